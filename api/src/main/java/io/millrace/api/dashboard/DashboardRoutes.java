package io.millrace.api.dashboard;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.http.Context;
import io.millrace.api.ApiContext;
import io.millrace.api.ApiException;
import io.millrace.api.JsonBody;
import io.millrace.api.Params;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Role;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.topology.runtime.RunningPipeline;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The dashboard's data, all for operators: this instance's pipelines once a second and their last 15 minutes, the
 * pipelines' own pages and the store counts they show, the dead-letter viewer and its replays.
 */
public final class DashboardRoutes {

    static final int DEFAULT_LETTERS = 50;
    static final int MAX_LETTERS = 200;
    private static final Pattern LETTER_ID = Pattern.compile("\\d{1,5}:\\d{1,19}");
    private static final Pattern JOB_ID = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Access OPERATOR = Access.roles(Role.OPERATOR);
    private static final String TAG = "dashboard";

    private final ApiContext context;
    private final DashboardStream stream;
    private final Map<String, DashboardPage> pages;
    private final DeadLetterBrowser letters;

    public DashboardRoutes(ApiContext context, DashboardStream stream, Map<String, DashboardPage> pages, DeadLetterBrowser letters) {
        this.context = context;
        this.stream = stream;
        this.pages = Map.copyOf(pages);
        this.letters = letters;
    }

    /** GET /api/dashboard/pages: a pipeline's page as the overview links it. */
    public record PageInfo(String pipeline, String title, String summary, String script, List<String> outputs, String outputDelay,
                           List<String> reads, boolean figures) {
    }

    /** GET /api/dashboard/history: points every {@code stepMillis}, over the last {@code spanMillis}, per pipeline, oldest first. */
    public record History(long stepMillis, long spanMillis, Map<String, List<PipelineHistory.Point>> pipelines) {
    }

    /** GET /api/dashboard/figures: a page's store counts, added up over the instances. */
    public record Figures(String status, List<String> failedHosts, Map<String, Long> result) {
    }

    /** GET /api/dashboard/dead-letters: the newest letters of a pipeline's dead-letter topic. */
    public record DeadLetters(String pipeline, String topic, long total, int shownBytes, List<DeadLetterBrowser.Letter> letters) {
    }

    /** POST /api/dashboard/dead-letters/replays: replay these letters (ids from the viewer), or every letter not replayed yet. */
    public record ReplayRequest(String pipeline, Optional<List<String>> letters) {
    }

    public void register(ApiRoutes routes) {
        routes.get("/api/dashboard/stats", Doc.of("State, records in and out per second, record age, lag, dead letters, rejections and "
                        + "store sizes of every pipeline on this instance").tag(TAG).access(OPERATOR).returns(DashboardStream.Snapshot.class),
                ctx -> ctx.json(stream.snapshot()));
        routes.sse("/api/dashboard/stream", OPERATOR, stream::connect);
        routes.get("/api/dashboard/pages", Doc.of("Each pipeline's own dashboard page: title, script, result topics and what it reads")
                .tag(TAG).access(OPERATOR).returnsListOf(PageInfo.class), ctx -> ctx.json(pages()));
        routes.get("/api/dashboard/history", Doc.of("The last 15 minutes of every pipeline on this instance (or one), a point every 5 s: "
                        + "records in and out per second (also per topic), lag, dead letters and rejections per second, record age")
                .tag(TAG).access(OPERATOR).returns(History.class).query("pipeline", "string", "only this pipeline").errors(404),
                this::history);
        routes.get("/api/dashboard/figures", Doc.of("The counts a pipeline's page shows from its stores (the messenger's online users, "
                        + "the price alerts' most-watched offers and searches with their best prices), added up over every instance").tag(TAG).access(OPERATOR).returns(Figures.class)
                .requiredQuery("pipeline", "string", "a pipeline whose page shows store counts", "messenger").errors(404, 503),
                this::figures);
        routes.get("/api/dashboard/dead-letters", Doc.of("The newest dead letters of a pipeline, newest first: where each failed, why, "
                        + "and at most the first " + DeadLetterBrowser.SHOWN_BYTES / 1024 + " KiB of its key and value as base64 "
                        + "(letters of topics that may carry card numbers hold only lengths)")
                .tag(TAG).access(OPERATOR).returns(DeadLetters.class)
                .requiredQuery("pipeline", "string", "the pipeline", "fraud")
                .query("limit", "integer", "how many (1-" + MAX_LETTERS + ", default " + DEFAULT_LETTERS + ")").errors(404),
                this::deadLetters);
        routes.post("/api/dashboard/dead-letters/replays", Doc.of("Replay dead letters into the topics they failed on: the ones named, "
                        + "or every one not replayed yet; each letter at most once. 202 with the replay, whose progress "
                        + "GET /api/dashboard/dead-letters/replays/{id} tells").tag(TAG).access(OPERATOR)
                .accepts(ReplayRequest.class).returns(DeadLetterBrowser.ReplayJob.class).status(202).errors(404, 409, 503),
                this::replay);
        routes.get("/api/dashboard/dead-letters/replays/{id}", Doc.of("A replay started on this instance: RUNNING, DONE or FAILED, "
                        + "with how many letters it sent back and how many were replayed before").tag(TAG).access(OPERATOR)
                .path("id", "the replay's id, as its POST answered", "r-1").returns(DeadLetterBrowser.ReplayJob.class).errors(404),
                this::job);
    }

    private List<PageInfo> pages() {
        return context.pipelines().stream().map(RunningPipeline::name).filter(pages::containsKey).map(pages::get)
                .map(p -> new PageInfo(p.pipeline(), p.title(), p.summary(), p.script(), p.outputs(),
                        p.windowedOutputs() ? PipelineStats.WINDOW_CLOSE : PipelineStats.END_TO_END, p.reads(), p.figures().isPresent()))
                .toList();
    }

    private void history(Context ctx) {
        Optional<String> only = Params.queryId(ctx, "pipeline").map(name -> pipeline(name).name());
        Map<String, List<PipelineHistory.Point>> points = new LinkedHashMap<>();
        for (String name : stream.history().pipelines()) {
            if (only.map(name::equals).orElse(true)) {
                points.put(name, stream.history().points(name));
            }
        }
        ctx.json(new History(PipelineHistory.STEP.toMillis(), PipelineHistory.SPAN.toMillis(), points));
    }

    private void figures(Context ctx) {
        RunningPipeline running = pipeline(Params.queryId(ctx, "pipeline").orElseThrow(() ->
                ApiException.badRequest("query parameter 'pipeline' is required")));
        DashboardPage.Figures figures = Optional.ofNullable(pages.get(running.name())).flatMap(DashboardPage::figures)
                .orElseThrow(() -> ApiException.notFound("The page of " + running.name() + " shows no store counts"));
        context.router().scatter(ctx, running.streams(), figures.store(), c -> figures.local().apply(running.streams()),
                new TypeReference<Map<String, Long>>() { }, parts -> {
                    Map<String, Long> sum = new TreeMap<>();
                    parts.forEach(part -> part.forEach((name, count) -> sum.merge(name, count, Long::sum)));
                    return sum;
                });
    }

    private void deadLetters(Context ctx) {
        RunningPipeline running = pipeline(Params.queryId(ctx, "pipeline").orElseThrow(() ->
                ApiException.badRequest("query parameter 'pipeline' is required")));
        int limit = Params.wholeNumber(ctx, "limit", 1, MAX_LETTERS).orElse((long) DEFAULT_LETTERS).intValue();
        ctx.json(new DeadLetters(running.name(), running.pipeline().deadLetterTopic(), context.deadLetters().count(running.name()),
                DeadLetterBrowser.SHOWN_BYTES, letters.latest(running.name(), limit)));
    }

    private void replay(Context ctx) {
        ReplayRequest request = JsonBody.read(ctx, ReplayRequest.class);
        if (request.pipeline() == null) {
            throw ApiException.badRequest("field 'pipeline' is required: the pipeline whose dead letters to replay");
        }
        RunningPipeline running = pipeline(JsonBody.requireId("pipeline", request.pipeline()));
        Optional<List<String>> chosen = request.letters();
        chosen.ifPresent(ids -> {
            if (ids.isEmpty() || ids.size() > MAX_LETTERS) {
                throw ApiException.badRequest("field 'letters' names 1 to " + MAX_LETTERS + " letters (leave it out to replay every one)");
            }
            ids.forEach(id -> {
                if (id == null || !LETTER_ID.matcher(id).matches()) {
                    throw ApiException.badRequest("field 'letters': each is a letter's id as the viewer shows it, partition:offset (e.g. 0:17)");
                }
            });
        });
        ctx.status(202).json(letters.replay(running.name(), chosen.map(ids -> List.copyOf(new java.util.LinkedHashSet<>(ids)))));
    }

    private void job(Context ctx) {
        String id = Params.path(ctx, "id", value -> JOB_ID.matcher(value).matches(), "a replay's id, as its POST answered");
        ctx.json(letters.job(id).orElseThrow(() -> ApiException.notFound("No replay " + id + " on this instance")));
    }

    private RunningPipeline pipeline(String name) {
        return context.pipeline(name).orElseThrow(() -> ApiException.notFound("No pipeline '" + Params.shown(name)
                + "' runs on this instance"));
    }
}
