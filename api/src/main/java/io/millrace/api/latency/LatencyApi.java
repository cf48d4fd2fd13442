package io.millrace.api.latency;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Tag;
import io.millrace.api.ApiContext;
import io.millrace.api.ApiException;
import io.millrace.api.EventPublisher;
import io.millrace.api.JsonBody;
import io.millrace.api.Params;
import io.millrace.api.PipelineApi;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Role;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.api.iq.QueryRouter;
import io.millrace.api.live.Follow;
import io.millrace.api.live.LiveEvent;
import io.millrace.api.live.Subscription;
import io.millrace.schemas.latency.AlertState;
import io.millrace.schemas.latency.LatencyAlert;
import io.millrace.schemas.latency.SloDefinition;
import io.millrace.topology.latency.LatencyPipeline;
import io.millrace.topology.latency.LatencyQueries;
import io.millrace.topology.latency.LatencyQueries.Alert;
import io.millrace.topology.latency.LatencyQueries.EndpointLatency;
import io.millrace.topology.latency.LatencyQueries.SeriesPoint;
import io.millrace.topology.latency.LatencyQueries.ServiceStatus;
import io.millrace.topology.latency.LatencyQueries.Slo;
import io.millrace.topology.latency.LatencyStores;
import io.millrace.topology.latency.SloPolicy;
import io.millrace.topology.latency.WindowSize;
import io.millrace.topology.runtime.RunningPipeline;
import io.millrace.topology.runtime.StoreReader;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KafkaStreams;

/** /api/latency: percentile series per service and endpoint, services overview, slowest endpoints, alerts and SLOs. */
public final class LatencyApi implements PipelineApi<LatencyPipeline> {

    /** Latency figures and SLOs are for the people who run the services. */
    private static final Access OPERATOR = Access.roles(Role.OPERATOR);
    private static final Duration DEFAULT_SPAN = Duration.ofHours(1);
    private static final Duration MAX_SPAN = Duration.ofHours(24);
    private static final int CACHE_CAPACITY = 512;
    // Answers that include the open minute may be this stale; answers over closed windows change only when one closes.
    private static final Duration CACHE_TTL = Duration.ofSeconds(5);
    private static final int MAX_N = 100;

    /** A series of windows of a service or endpoint. */
    public record Series(String service, Optional<String> endpoint, Optional<String> region, String window, long from, long to,
                         List<SeriesPoint> points) {
    }

    /** PUT /api/latency/slos/{service}: an objective for the service, or for one endpoint of it. */
    public record SloRequest(Optional<String> endpoint, Long p99ThresholdMicros, Double errorRateThreshold, Optional<String> window) {
    }

    /** GET /api/latency/services as merged from every instance. */
    public record ServicesAnswer(String status, List<String> failedHosts, List<ServiceStatus> result) {
    }

    /** GET /api/latency/slowest as merged from every instance. */
    public record SlowestAnswer(String status, List<String> failedHosts, List<EndpointLatency> result) {
    }

    /** GET /api/latency/alerts as merged from every instance. */
    public record AlertsAnswer(String status, List<String> failedHosts, List<Alert> result) {
    }

    @Override
    public void register(ApiRoutes routes, LatencyPipeline pipeline, RunningPipeline running, ApiContext context) {
        QueryCache cache = new QueryCache(CACHE_CAPACITY, CACHE_TTL, pipeline.closedWindows()::generation, System::nanoTime);
        cache.bindTo(context.meters(), "latency-queries", Tag.of("pipeline", LatencyPipeline.NAME));
        Handlers handlers = new Handlers(running.streams(), LatencyQueries.of(StoreReader.of(running.streams()), pipeline.closedWindows()), cache,
                context.router(), context.publisher(), pipeline);
        String tag = LatencyPipeline.NAME;

        routes.get("/api/latency/services", Doc.of("Services seen, with the p99 and error rate of their latest closed 5-minute window")
                .tag(tag).access(OPERATOR).returns(ServicesAnswer.class).errors(503), handlers::services);
        routes.get("/api/latency/services/{service}", Doc.of("Percentiles of a service per window, all endpoints and regions merged")
                .tag(tag).access(OPERATOR).returns(Series.class).path("service", "a service id", "checkout").keyLookup().errors(404)
                .query("window", "string", "1m (default) or 5m")
                .query("from", "string", "first window start, epoch millis or ISO-8601 (default: an hour before 'to')")
                .query("to", "string", "windows start before this, epoch millis or ISO-8601 (default: end of the current minute)"),
                handlers::serviceSeries);
        routes.get("/api/latency/services/{service}/endpoints/{endpoint}", Doc.of("Percentiles of one endpoint of a service per window")
                .tag(tag).access(OPERATOR).returns(Series.class).path("service", "a service id", "checkout")
                .path("endpoint", "an endpoint label (percent-encoded)", "cart.add").keyLookup().errors(404)
                .query("window", "string", "1m (default) or 5m")
                .query("region", "string", "only this region (default: all regions merged)")
                .query("from", "string", "first window start, epoch millis or ISO-8601 (default: an hour before 'to')")
                .query("to", "string", "windows start before this, epoch millis or ISO-8601 (default: end of the current minute)"),
                handlers::endpointSeries);
        routes.get("/api/latency/slowest", Doc.of("The endpoints with the highest p99 over the latest closed window, across all instances")
                .tag(tag).access(OPERATOR).returns(SlowestAnswer.class).errors(503)
                .query("n", "integer", "how many (1-100, default 10)")
                .query("window", "string", "5m (default) or 1m"),
                handlers::slowest);
        // Before /api/latency/alerts/{…}-like routes could take "events" for an id.
        routes.subscribe("/api/latency/alerts/events", "/api/latency/alerts/socket", Doc.of("Alerts as they fire and resolve, "
                        + "pushed (server-sent events; the same as a WebSocket at /api/latency/alerts/socket)")
                .tag(tag).access(OPERATOR).query("state", "string", "only FIRING or only RESOLVED (default: both)")
                .query("service", "string", "only this service's alerts"),
                Subscription.of("latency-alerts", pipeline.latencyTopics().alerts().name(),
                        pipeline.latencyTopics().alerts().valueSerde().deserializer(), ctx -> {
                            Optional<AlertState> state = alertState(ctx);
                            Optional<String> service = Params.queryId(ctx, "service");
                            return Follow.<LatencyAlert>all(alert -> Optional.of(LatencyQueries.alert(alert))
                                    .filter(a -> state.map(s -> s.name().equals(a.state())).orElse(true))
                                    .filter(a -> service.map(a.service()::equals).orElse(true))
                                    .map(a -> new LiveEvent("alert", a)));
                        }));
        routes.get("/api/latency/alerts", Doc.of("The latest state of each SLO's alert: FIRING ones are active")
                .tag(tag).access(OPERATOR).returns(AlertsAnswer.class).errors(503)
                .query("state", "string", "FIRING or RESOLVED (default: both)"),
                handlers::alerts);
        routes.get("/api/latency/slos", Doc.of("Every SLO").tag(tag).access(OPERATOR).returnsListOf(Slo.class).errors(503), handlers::slos);
        routes.put("/api/latency/slos/{service}", Doc.of("Set the SLO of a service, or of one endpoint of it; alerts follow its breaches. "
                        + "Accepted while the latency pipeline is down too, since Kafka keeps the SLO until the pipeline is back")
                .tag(tag).access(OPERATOR).accepts(SloRequest.class).returns(EventPublisher.Coordinates.class).status(202)
                .path("service", "a service id", "checkout").errors(503),
                handlers::putSlo);
    }

    /** The handlers of one running pipeline: parse, ask the queries (through the cache and the router), answer. */
    private record Handlers(KafkaStreams streams, LatencyQueries queries, QueryCache cache, QueryRouter router,
                            EventPublisher publisher, LatencyPipeline pipeline) {

        void services(Context ctx) {
            router.scatter(ctx, streams, LatencyStores.SERVICES, c -> cache.get("services", queries::services),
                    new TypeReference<List<ServiceStatus>>() { },
                    parts -> merge(parts, ServiceStatus::service, latest(ServiceStatus::windowEnd),
                            Comparator.comparing(ServiceStatus::service), Integer.MAX_VALUE));
        }

        void serviceSeries(Context ctx) {
            String service = Params.id(ctx, "service");
            WindowSize size = window(ctx, WindowSize.ONE_MINUTE);
            long[] range = range(ctx);
            String query = String.join("|", "service", service, size.label(), range[0] + "-" + range[1]);
            router.byKey(ctx, streams, LatencyStores.ENDPOINT_MINUTES, service, c -> new Series(service, Optional.empty(),
                    Optional.empty(), size.label(), range[0], range[1],
                    cache.get(query, () -> queries.serviceSeries(service, size, range[0], range[1]))
                            .orElseThrow(() -> ApiException.notFound("No samples of service '" + service + "' are kept"))));
        }

        void endpointSeries(Context ctx) {
            String service = Params.id(ctx, "service");
            String endpoint = Params.label(ctx, "endpoint");
            Optional<String> region = Params.queryLabel(ctx, "region");
            WindowSize size = window(ctx, WindowSize.ONE_MINUTE);
            long[] range = range(ctx);
            String query = String.join("|", "endpoint", service, endpoint, region.orElse("*"), size.label(), range[0] + "-" + range[1]);
            router.byKey(ctx, streams, LatencyStores.ENDPOINT_MINUTES, service, c -> new Series(service, Optional.of(endpoint),
                    region, size.label(), range[0], range[1],
                    cache.get(query, () -> queries.endpointSeries(service, endpoint, region, size, range[0], range[1]))
                            .orElseThrow(() -> ApiException.notFound("No samples of endpoint '" + endpoint + "' of service '"
                                    + service + "'" + region.map(r -> " in region '" + r + "'").orElse("") + " are kept"))));
        }

        void slowest(Context ctx) {
            int n = count(ctx);
            WindowSize size = window(ctx, WindowSize.FIVE_MINUTES);
            router.scatter(ctx, streams, LatencyStores.ENDPOINT_MINUTES,
                    c -> cache.get("slowest|" + n + "|" + size.label(), () -> queries.slowest(n, size)),
                    new TypeReference<List<EndpointLatency>>() { },
                    parts -> merge(parts, e -> e.service() + "|" + e.endpoint(), latest(EndpointLatency::count),
                            Comparator.comparingLong(EndpointLatency::p99Micros).reversed(), n));
        }

        void alerts(Context ctx) {
            Optional<AlertState> state = alertState(ctx);
            router.scatter(ctx, streams, LatencyStores.ALERTS,
                    c -> cache.get("alerts|" + state.map(Enum::name).orElse("ALL"), () -> queries.alerts(state)),
                    new TypeReference<List<Alert>>() { },
                    parts -> merge(parts, Alert::sloKey, latest(Alert::changedAt),
                            Comparator.comparingLong(Alert::changedAt).reversed(), Integer.MAX_VALUE));
        }

        void slos(Context ctx) {
            router.global(ctx, streams, c -> queries.slos());
        }

        void putSlo(Context ctx) {
            String service = Params.id(ctx, "service");
            SloRequest request = JsonBody.read(ctx, SloRequest.class);
            String endpoint = request.endpoint().map(label -> JsonBody.requireLabel("endpoint", label)).orElse(null);
            String window = request.window().orElse(null);
            List<String> problems = SloPolicy.problems(service, endpoint, request.p99ThresholdMicros(), request.errorRateThreshold(),
                    window);
            if (!problems.isEmpty()) {
                throw ApiException.badRequest(String.join("; ", problems));
            }
            SloDefinition slo = SloDefinition.newBuilder()
                    .setService(service)
                    .setEndpoint(endpoint)
                    .setP99ThresholdMicros(request.p99ThresholdMicros())
                    .setErrorRateThreshold(request.errorRateThreshold())
                    .setWindow(window == null ? WindowSize.FIVE_MINUTES.label() : window)
                    .setTimestamp(System.currentTimeMillis())
                    .build();
            ctx.future(() -> publisher.publish(pipeline.latencyTopics().slos(), SloPolicy.key(service, endpoint), slo)
                    .handle((coordinates, error) -> {
                        if (error != null) {
                            ApiException.unavailable("The SLO could not be written to Kafka; try again", QueryRouter.RETRY_AFTER_SECONDS)
                                    .writeTo(ctx);
                        } else {
                            ctx.status(202).json(coordinates);
                        }
                        return null;
                    }));
        }
    }

    /** Concatenates the instances' parts, keeps one answer per key (a standby may repeat its active), sorts and cuts. */
    private static <T> List<T> merge(List<List<T>> parts, Function<T, String> key, BinaryOperator<T> pick, Comparator<T> order, int limit) {
        Map<String, T> unique = new LinkedHashMap<>();
        parts.stream().flatMap(Collection::stream).forEach(item -> unique.merge(key.apply(item), item, pick));
        return unique.values().stream().sorted(order).limit(limit).toList();
    }

    private static <T> BinaryOperator<T> latest(ToLongFunction<T> version) {
        return (a, b) -> version.applyAsLong(b) > version.applyAsLong(a) ? b : a;
    }

    private static WindowSize window(Context ctx, WindowSize fallback) {
        return Params.query(ctx, "window", WindowSize::parse, "1m or 5m").orElse(fallback);
    }

    // Defaults end with the current minute, so that polling the same default range hits the cache within a minute.
    private static long[] range(Context ctx) {
        long endOfMinute = (System.currentTimeMillis() / WindowSize.MINUTE_MS + 1) * WindowSize.MINUTE_MS;
        long to = time(ctx, "to").orElse(endOfMinute);
        long from = time(ctx, "from").orElse(to - DEFAULT_SPAN.toMillis());
        if (from >= to) {
            throw ApiException.badRequest("query parameter 'from' must be before 'to'");
        }
        if (to - from > MAX_SPAN.toMillis()) {
            throw ApiException.badRequest("query parameters 'from' and 'to' may be at most 24 hours apart: windows are kept for 24 hours");
        }
        return new long[] {from, to};
    }

    private static Optional<Long> time(Context ctx, String name) {
        return Params.query(ctx, name, LatencyApi::epochMillis, "epoch millis or an ISO-8601 instant");
    }

    private static Optional<Long> epochMillis(String value) {
        try {
            return Optional.of(value.matches("\\d{1,18}") ? Long.parseLong(value) : Instant.parse(value).toEpochMilli());
        } catch (DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static int count(Context ctx) {
        return Params.wholeNumber(ctx, "n", 1, MAX_N).map(Long::intValue).orElse(10);
    }

    private static Optional<AlertState> alertState(Context ctx) {
        return Params.query(ctx, "state", value -> Arrays.stream(AlertState.values()).filter(s -> s.name().equals(value)).findFirst(),
                "FIRING or RESOLVED");
    }
}
