package io.millrace.api.search;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.millrace.api.ApiContext;
import io.millrace.api.ApiException;
import io.millrace.api.EventPublisher;
import io.millrace.api.Json;
import io.millrace.api.JsonBody;
import io.millrace.api.Params;
import io.millrace.api.PipelineApi;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Authentication;
import io.millrace.api.auth.Caller;
import io.millrace.api.auth.Role;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.api.iq.QueryRouter;
import io.millrace.schemas.search.CrawlSeed;
import io.millrace.schemas.search.SearchClick;
import io.millrace.topology.runtime.RunningPipeline;
import io.millrace.topology.runtime.StoreReader;
import io.millrace.topology.runtime.Violation;
import io.millrace.topology.search.CrawlRules;
import io.millrace.topology.search.InstantAnswers;
import io.millrace.topology.search.InstantAnswers.InstantAnswer;
import io.millrace.topology.search.SearchPipeline;
import io.millrace.topology.search.SearchQueries;
import io.millrace.topology.search.SearchQueries.Completion;
import io.millrace.topology.search.SearchQueries.CrawlerCounts;
import io.millrace.topology.search.SearchQueries.Hit;
import io.millrace.topology.search.SearchQueries.Ranking;
import io.millrace.topology.search.SearchQueries.ShardStats;
import io.millrace.topology.search.SearchQueries.ShardTop;
import io.millrace.topology.search.SearchStores;
import io.millrace.topology.search.Urls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * /api/search: ranked search over the document-partitioned index (two rounds over every instance, so scores and the
 * merged top k are those of one index), completions, and the crawler: seeds in, its progress out, and users' clicks.
 */
public final class SearchApi implements PipelineApi<SearchPipeline> {

    static final int MAX_QUERY_LENGTH = 200;
    static final int MAX_PAGE = 50;
    static final int MAX_SIZE = 50;
    static final int MAX_SEEDS = 100;
    static final int DEFAULT_MAX_DEPTH = 3;
    /** A crawl that does not say otherwise asks a host at most once a second. */
    static final long DEFAULT_POLITENESS_MS = 1000;
    private static final Pattern PREFIX = Pattern.compile("\\p{L}{1,30}");
    private static final Duration FAN_OUT_TIMEOUT = Duration.ofSeconds(5);
    private static final Access OPERATOR = Access.roles(Role.OPERATOR);

    /** GET /api/search. */
    public record SearchAnswer(String query, int page, int size, long total, List<Hit> results, Optional<String> didYouMean,
                               Optional<InstantAnswer> instantAnswer, boolean personalized, String status, List<String> failedHosts) {
    }

    /** GET /api/search/suggest as merged from every instance. */
    public record SuggestAnswer(String status, List<String> failedHosts, List<Completion> result) {
    }

    /** The crawler connector on its Connect worker, and the frontier in figures. */
    public record CrawlerStatus(String connector, List<String> tasks, CrawlerCounts frontier) {
    }

    /** GET /api/search/crawler as merged from every instance. */
    public record CrawlerAnswer(String status, List<String> failedHosts, CrawlerStatus result) {
    }

    /** POST /api/search/seeds. */
    public record SeedsRequest(List<String> urls, Optional<List<String>> allowedHosts, Optional<Integer> maxDepth,
                               Optional<Long> politenessMs) {
    }

    /** A seed written to search.seeds. */
    public record SeedAccepted(String url, String topic, int partition, long offset) {
    }

    /** POST /api/search/seeds: the seeds as written. */
    public record SeedsAccepted(List<SeedAccepted> seeds) {
    }

    /** POST /api/search/clicks: the caller opened {@code url} from the results of {@code query}. */
    public record ClickRequest(String url, Optional<String> query) {
    }

    @Override
    public void register(ApiRoutes routes, SearchPipeline pipeline, RunningPipeline running, ApiContext context) {
        Handlers handlers = new Handlers(pipeline, running.streams(), context);
        String tag = SearchPipeline.NAME;
        routes.get("/api/search", Doc.of("Pages ranked by BM25 and PageRank for a query, with snippets (matches in <b>), \"did you mean\", "
                                + "an instant answer for arithmetic and unit conversions, personalized by the clicks of a user token")
                        .tag(tag).access(Access.open("web search is public; a user's token personalizes the ranking"))
                        .returns(SearchAnswer.class)
                        .requiredQuery("q", "string", "the query, at most " + MAX_QUERY_LENGTH + " characters", "kafka streams")
                        .query("page", "integer", "1 (default) to " + MAX_PAGE)
                        .query("size", "integer", "results per page, 1 to " + MAX_SIZE + " (default 10)").errors(400, 503),
                handlers::search);
        routes.get("/api/search/suggest", Doc.of("Completions of a word from the index's vocabulary, most documents first")
                        .tag(tag).access(Access.open("completions are public, as search is")).returns(SuggestAnswer.class)
                        .requiredQuery("prefix", "string", "1 to 30 letters", "stre")
                        .query("n", "integer", "how many (1-20, default 10)").errors(400, 503),
                handlers::suggest);
        routes.post("/api/search/seeds", Doc.of("Add seed URLs for the crawler, with the hosts it may visit, its depth and its politeness")
                        .tag(tag).access(OPERATOR).accepts(SeedsRequest.class).returns(SeedsAccepted.class).status(202).errors(400, 503),
                handlers::seeds);
        routes.get("/api/search/crawler", Doc.of("The crawler connector's state and the frontier: URLs queued, fetched, gone, failed by reason")
                        .tag(tag).access(OPERATOR).returns(CrawlerAnswer.class).errors(503),
                handlers::crawler);
        routes.post("/api/search/clicks", Doc.of("Record that the caller opened a result; their later searches rank what they open higher")
                        .tag(tag).access(Access.ownData("clicks: the user is the caller")).accepts(ClickRequest.class)
                        .returns(EventPublisher.Coordinates.class).status(202).errors(400, 503),
                handlers::click);
    }

    private static final class Handlers {
        private final SearchPipeline pipeline;
        private final KafkaStreams streams;
        private final QueryRouter router;
        private final EventPublisher publisher;
        private final SearchQueries queries;
        private final SearchFanOut fanOut;
        private final AnswerCache cache;
        private final HttpClient connect = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        Handlers(SearchPipeline pipeline, KafkaStreams streams, ApiContext context) {
            this.pipeline = pipeline;
            this.streams = streams;
            this.router = context.router();
            this.publisher = context.publisher();
            // Figures are added up over instances: only active copies answer, or a standby would count a partition twice.
            this.queries = new SearchQueries(StoreReader.active(streams), pipeline.analysis(), pipeline.config());
            this.fanOut = new SearchFanOut(router, FAN_OUT_TIMEOUT);
            this.cache = new AnswerCache(pipeline.config().answerCache(), pipeline.indexChanges()::get, System::nanoTime);
        }

        void search(Context ctx) {
            String query = Params.required(ctx, "q");
            if (query.length() > MAX_QUERY_LENGTH) {
                throw ApiException.badRequest("query parameter 'q' is longer than " + MAX_QUERY_LENGTH + " characters");
            }
            int page = Params.wholeNumber(ctx, "page", 1, MAX_PAGE).map(Long::intValue).orElse(1);
            int size = Params.wholeNumber(ctx, "size", 1, MAX_SIZE).map(Long::intValue).orElse(10);
            QueryRouter.requireRunning(streams);
            if ("local".equals(ctx.header(QueryRouter.SCOPE_HEADER))) {
                answerRound(ctx, query, page * size);
                return;
            }
            Optional<InstantAnswer> instant = InstantAnswers.answer(query);
            Optional<String> user = Authentication.caller(ctx).filter(caller -> caller.role() == Role.USER).map(Caller::subject);
            if (queries.terms(query).isEmpty()) {
                ctx.json(new SearchAnswer(query, page, size, 0, List.of(), Optional.empty(), instant, false, "COMPLETE", List.of()));
                return;
            }
            String cacheKey = query + '\u0000' + page + '\u0000' + size + '\u0000' + user.orElse("");
            boolean fresh = "no-cache".equalsIgnoreCase(ctx.header("Cache-Control"));
            Object cached = fresh ? null : cache.get(cacheKey);
            if (cached != null) {
                ctx.json(cached);
                return;
            }
            List<HostInfo> hosts = hosts();
            ctx.future(() -> fanOut.ask(ctx, hosts, Map.of(SearchFanOut.ROUND_HEADER, "stats"), ShardStats.class, () -> queries.stats(query))
                    .thenCompose(stats -> {
                        ShardStats global = SearchQueries.merge(stats.answers());
                        Ranking ranking = new Ranking(global.collection(), global.terms(), user.orElse(null));
                        Optional<String> didYouMean = queries.didYouMean(query, global);
                        return fanOut.ask(ctx, hosts, Map.of(SearchFanOut.ROUND_HEADER, "top", SearchFanOut.RANKING_HEADER, encode(ranking)),
                                        ShardTop.class, () -> queries.top(query, ranking, page * size))
                                .thenAccept(tops -> {
                                    ShardTop top = SearchQueries.merge(tops.answers(), (page - 1) * size, size);
                                    List<String> failed = new ArrayList<>(stats.failedHosts());
                                    tops.failedHosts().stream().filter(host -> !failed.contains(host)).forEach(failed::add);
                                    SearchAnswer answer = new SearchAnswer(query, page, size, top.total(), top.hits(), didYouMean, instant,
                                            user.isPresent(), failed.isEmpty() ? "COMPLETE" : "PARTIAL", failed);
                                    if (failed.isEmpty()) {
                                        cache.put(cacheKey, answer);
                                    }
                                    ctx.json(answer);
                                });
                    }));
        }

        /** One instance's part of a search another instance runs. */
        private void answerRound(Context ctx, String query, int k) {
            String round = ctx.header(SearchFanOut.ROUND_HEADER);
            if ("stats".equals(round)) {
                ctx.json(queries.stats(query));
            } else if ("top".equals(round) && ctx.header(SearchFanOut.RANKING_HEADER) != null) {
                ctx.json(queries.top(query, decode(ctx.header(SearchFanOut.RANKING_HEADER)), k));
            } else {
                throw ApiException.badRequest("A local search part needs " + SearchFanOut.ROUND_HEADER + ": stats, or top with "
                        + SearchFanOut.RANKING_HEADER);
            }
        }

        private List<HostInfo> hosts() {
            List<HostInfo> hosts = streams.streamsMetadataForStore(SearchStores.DOCUMENTS).stream().map(StreamsMetadata::hostInfo)
                    .distinct().toList();
            return hosts.isEmpty() ? List.of(router.self()) : hosts;
        }

        void suggest(Context ctx) {
            String prefix = Params.required(ctx, "prefix").toLowerCase(java.util.Locale.ROOT);
            if (!PREFIX.matcher(prefix).matches()) {
                throw ApiException.badRequest("query parameter 'prefix' must be 1 to 30 letters");
            }
            int n = Params.wholeNumber(ctx, "n", 1, 20).map(Long::intValue).orElse(10);
            router.scatter(ctx, streams, SearchStores.VOCABULARY, c -> queries.complete(prefix, n), new TypeReference<List<Completion>>() { },
                    parts -> SearchQueries.mergeCompletions(parts, n));
        }

        void crawler(Context ctx) {
            router.scatter(ctx, streams, SearchStores.FRONTIER, c -> queries.crawler(), new TypeReference<CrawlerCounts>() { },
                    parts -> connectorStatus(CrawlerCounts.sum(parts)));
        }

        private CrawlerStatus connectorStatus(CrawlerCounts frontier) {
            String worker = pipeline.crawlerWorker().get();
            if (worker == null) {
                return new CrawlerStatus("NOT_RUNNING_HERE", List.of(), frontier);
            }
            try {
                HttpResponse<String> response = connect.send(HttpRequest.newBuilder(URI.create(worker + "/connectors/"
                        + SearchPipeline.CRAWLER + "/status")).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    return new CrawlerStatus("UNKNOWN (worker answered " + response.statusCode() + ")", List.of(), frontier);
                }
                JsonNode status = Json.MAPPER.readTree(response.body());
                List<String> tasks = new ArrayList<>();
                status.path("tasks").forEach(task -> tasks.add(task.path("state").asText()));
                return new CrawlerStatus(status.path("connector").path("state").asText("UNKNOWN"), tasks, frontier);
            } catch (java.io.IOException e) {
                return new CrawlerStatus("UNREACHABLE", List.of(), frontier);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new CrawlerStatus("UNKNOWN", List.of(), frontier);
            }
        }

        void seeds(Context ctx) {
            SeedsRequest request = JsonBody.read(ctx, SeedsRequest.class);
            if (request.urls() == null || request.urls().isEmpty() || request.urls().size() > MAX_SEEDS) {
                throw ApiException.badRequest("urls must list 1 to " + MAX_SEEDS + " URLs");
            }
            List<String> allowed = request.allowedHosts().orElse(List.of()).stream()
                    .map(host -> Optional.ofNullable(host).orElseThrow(() -> ApiException.badRequest("allowedHosts are host:port strings"))
                            .toLowerCase(java.util.Locale.ROOT)).toList();
            List<CrawlSeed> seeds = new ArrayList<>();
            for (String given : request.urls()) {
                String url = Urls.normalize(given).orElseThrow(() -> ApiException.badRequest("urls: '" + Params.shown(String.valueOf(given))
                        + "' is not an absolute http(s) URL"));
                CrawlSeed seed = CrawlSeed.newBuilder().setUrl(url).setAllowedHosts(allowed)
                        .setMaxDepth(request.maxDepth().orElse(DEFAULT_MAX_DEPTH))
                        .setPolitenessMs(request.politenessMs().orElse(DEFAULT_POLITENESS_MS))
                        .setTimestamp(System.currentTimeMillis()).build();
                Optional<Violation> violation = CrawlRules.seed(seed);
                if (violation.isPresent()) {
                    throw ApiException.badRequest(violation.get().reason());
                }
                seeds.add(seed);
            }
            List<CompletableFuture<SeedAccepted>> written = seeds.stream().map(seed -> publisher.publish(pipeline.searchTopics().seeds(),
                    seed.getUrl(), seed).thenApply(at -> new SeedAccepted(seed.getUrl(), at.topic(), at.partition(), at.offset()))).toList();
            ctx.future(() -> CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).handle((ignored, error) -> {
                if (error != null) {
                    ApiException.unavailable("The seeds could not be written to Kafka; try again", QueryRouter.RETRY_AFTER_SECONDS).writeTo(ctx);
                } else {
                    ctx.status(202).json(new SeedsAccepted(written.stream().map(CompletableFuture::join).toList()));
                }
                return null;
            }));
        }

        void click(Context ctx) {
            Caller caller = Authentication.requireCaller(ctx);
            ClickRequest request = JsonBody.read(ctx, ClickRequest.class);
            String url = Optional.ofNullable(request.url()).flatMap(Urls::normalize)
                    .orElseThrow(() -> ApiException.badRequest("url must be an absolute http(s) URL"));
            String query = request.query().orElse("");
            if (query.length() > MAX_QUERY_LENGTH) {
                throw ApiException.badRequest("query is longer than " + MAX_QUERY_LENGTH + " characters");
            }
            SearchClick click = new SearchClick(caller.subject(), query, url, System.currentTimeMillis());
            CrawlRules.click(click).ifPresent(violation -> {
                throw ApiException.badRequest(violation.reason());
            });
            ctx.future(() -> publisher.publish(pipeline.searchTopics().clicks(), caller.subject(), click).handle((coordinates, error) -> {
                if (error != null) {
                    ApiException.unavailable("The click could not be written to Kafka; try again", QueryRouter.RETRY_AFTER_SECONDS).writeTo(ctx);
                } else {
                    ctx.status(202).json(coordinates);
                }
                return null;
            }));
        }
    }

    static String encode(Ranking ranking) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.MAPPER.writeValueAsBytes(ranking));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A ranking is always JSON", e);
        }
    }

    static Ranking decode(String header) {
        try {
            return Json.MAPPER.readValue(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8), Ranking.class);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw ApiException.badRequest("Unreadable " + SearchFanOut.RANKING_HEADER);
        }
    }
}
