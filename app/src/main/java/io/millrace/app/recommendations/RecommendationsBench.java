package io.millrace.app.recommendations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Role;
import io.millrace.app.PipelineModules;
import io.millrace.app.Platform;
import io.millrace.app.PlatformConfig;
import io.millrace.app.cli.WorkDirs;
import io.millrace.bench.harness.MachineInfo;
import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.bench.simulate.Simulator;
import io.millrace.topology.Settings;
import io.millrace.topology.recommendations.RecommendationsPipeline;
import io.millrace.topology.runtime.RunningPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code millrace bench recommendations-feed}: the feed endpoint under read-heavy load. The recommendations pipeline alone
 * on a fresh embedded broker takes in the simulator's catalog and {@code events} of its events; then {@code clients}
 * threads ask {@code GET /api/recommendations/users/{user}/feed?limit=10} for the simulator's most active users, each with
 * the user's own token, for {@code duration}, while interactions go on at a steady rate; then the same clients ask
 * {@code GET /health} (the same server, no store read: the HTTP passthrough) for as long, in the same run.
 */
public final class RecommendationsBench {

    static final int USERS = 2_000;
    static final double BACKGROUND_EVENTS_PER_SECOND = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Requests per second and latency of one side. */
    public record Side(String name, double requestsPerSecond, double p50Ms, double p99Ms, double maxMs, long failed) {
    }

    /** What one run measured. */
    public record Result(int eventsLoaded, double loadedPerSecond, int users, int personalizedOfFirst100, int clients, Side feed,
                         Side passthrough, String machine, String at) {

        public String table() {
            return String.format(Locale.ROOT, """
                    Run %s on %s: %,d simulator events taken in at %,.0f events/s, then %d clients for %s users' feeds (%d of the \
                    first 100 personalized), %,.0f interactions/s going on.

                    | Endpoint | Requests/s | p50 ms | p99 ms | max ms | Failed |
                    |---|---:|---:|---:|---:|---:|
                    | %s | %,.0f | %.1f | %.1f | %.1f | %d |
                    | %s | %,.0f | %.1f | %.1f | %.1f | %d |
                    """, at, machine, eventsLoaded, loadedPerSecond, clients, String.format(Locale.ROOT, "%,d", users), personalizedOfFirst100,
                    BACKGROUND_EVENTS_PER_SECOND, feed.name(), feed.requestsPerSecond(), feed.p50Ms(), feed.p99Ms(), feed.maxMs(), feed.failed(),
                    passthrough.name(), passthrough.requestsPerSecond(), passthrough.p50Ms(), passthrough.p99Ms(), passthrough.maxMs(),
                    passthrough.failed());
        }
    }

    private RecommendationsBench() {
    }

    public static Result run(int events, Duration duration, int clients, long seed) throws Exception {
        Path work = WorkDirs.temporary("millrace-bench-recommendations");
        PlatformConfig config = PlatformConfig.embedded(work).http("127.0.0.1", 0, "localhost").kafkaPort(0)
                .pipelines(List.of(RecommendationsPipeline.NAME)).settings(Settings.fromProcess()).build();
        try (Platform platform = Platform.start(config, PipelineModules.discover());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(platform.clientConfig(), new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            platform.awaitRunning(Duration.ofMinutes(2));
            Simulator simulator = PipelineModules.select(PipelineModules.discover(), List.of(RecommendationsPipeline.NAME)).get(0)
                    .simulator(platform.pipelineContext());
            SplittableRandom random = new SplittableRandom(seed);
            long began = System.nanoTime();
            List<SimulatedEvent> catalog = simulator.standingState(random, System.currentTimeMillis());
            catalog.forEach(event -> producer.send(record(event)));
            for (int i = 0; i < events; i++) {
                producer.send(record(simulator.next(random, System.currentTimeMillis())));
            }
            producer.flush();
            awaitCaughtUp(platform);
            double loadedPerSecond = (catalog.size() + events) / ((System.nanoTime() - began) / 1e9);
            System.out.printf(Locale.ROOT, "recommendations: %,d events taken in at %,.0f events/s%n", catalog.size() + events, loadedPerSecond);
            Thread.sleep(3_000); // the last trending and similar lists reach the global stores

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + platform.httpPort();
            Map<String, String> tokens = new HashMap<>();
            for (int u = 0; u < USERS; u++) {
                tokens.put("user-" + u, platform.tokens().issue("user-" + u, Role.USER, Duration.ofHours(2)));
            }
            int personalized = 0;
            for (int u = 0; u < 100; u++) {
                HttpResponse<String> feed = http.send(feedRequest(base, "user-" + u, tokens).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode answer = JSON.readTree(feed.body());
                personalized += answer.path("personalized").asBoolean() ? 1 : 0;
            }
            AtomicBoolean stopBackground = new AtomicBoolean();
            Thread background = backgroundTraffic(producer, simulator, random, stopBackground);
            try {
                Side feed = load("GET /api/recommendations/users/{user}/feed?limit=10", clients, duration, http,
                        u -> feedRequest(base, "user-" + u, tokens));
                Side health = load("GET /health (HTTP passthrough)", clients, duration, http,
                        u -> HttpRequest.newBuilder(URI.create(base + "/health")).GET());
                return new Result(catalog.size() + events, loadedPerSecond, USERS, personalized, clients, feed, health,
                        MachineInfo.current().describe(), Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            } finally {
                stopBackground.set(true);
                background.join();
            }
        }
    }

    private static HttpRequest.Builder feedRequest(String base, String user, Map<String, String> tokens) {
        return HttpRequest.newBuilder(URI.create(base + "/api/recommendations/users/" + user + "/feed?limit=10"))
                .header("Authorization", "Bearer " + tokens.get(user)).GET();
    }

    private static ProducerRecord<byte[], byte[]> record(SimulatedEvent event) {
        return new ProducerRecord<>(event.topic(), event.key(), event.value());
    }

    /** The simulator's events at a steady rate until stopped. */
    private static Thread backgroundTraffic(KafkaProducer<byte[], byte[]> producer, Simulator simulator, SplittableRandom random,
                                            AtomicBoolean stop) {
        Thread thread = new Thread(() -> {
            long perTick = Math.round(BACKGROUND_EVENTS_PER_SECOND / 100);
            while (!stop.get()) {
                for (int i = 0; i < perTick; i++) {
                    producer.send(record(simulator.next(random, System.currentTimeMillis())));
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "recommendations-bench-traffic");
        thread.start();
        return thread;
    }

    /** Requests from {@code clients} threads for {@code duration}, each for a user picked at random. */
    static Side load(String name, int clients, Duration duration, HttpClient http, IntFunction<HttpRequest.Builder> request) throws Exception {
        for (int u = 0; u < 200; u++) {
            http.send(request.apply(u).build(), HttpResponse.BodyHandlers.discarding());
        }
        Histogram latencies = new Histogram(60_000_000_000L, 3);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> counts = new ArrayList<>();
        long began = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long seed = c;
            counts.add(threads.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                long done = 0;
                long failed = 0;
                while (!stop.get()) {
                    // The simulator's users are active by a power law: so are the feeds asked for.
                    int user = (int) Math.floor(Math.pow(random.nextDouble(), 2.5) * USERS);
                    long start = System.nanoTime();
                    int status = http.send(request.apply(user).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    long took = System.nanoTime() - start;
                    synchronized (latencies) {
                        latencies.recordValue(took);
                    }
                    done++;
                    failed += status == 200 ? 0 : 1;
                }
                return new long[] {done, failed};
            }));
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        long total = 0;
        long failed = 0;
        for (Future<long[]> count : counts) {
            long[] result = count.get();
            total += result[0];
            failed += result[1];
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        threads.shutdown();
        Side side = new Side(name, total / seconds, latencies.getValueAtPercentile(50) / 1e6, latencies.getValueAtPercentile(99) / 1e6,
                latencies.getMaxValue() / 1e6, failed);
        System.out.printf(Locale.ROOT, "%s: %,.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d failed (%d clients)%n", name,
                side.requestsPerSecond(), side.p50Ms(), side.p99Ms(), failed, clients);
        return side;
    }

    /** Until the pipeline's consumer lag, as the platform measures it, is zero on every input (10 minutes at most). */
    private static void awaitCaughtUp(Platform platform) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        RunningPipeline pipeline = platform.pipelines().get(0);
        Thread.sleep(2_000);
        while (pipeline.health().lagByTopic().isEmpty() || pipeline.health().lagByTopic().values().stream().mapToLong(Long::longValue).sum() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The recommendations pipeline did not catch up within 10 minutes: "
                        + pipeline.health().lagByTopic());
            }
            Thread.sleep(500);
        }
    }
}
