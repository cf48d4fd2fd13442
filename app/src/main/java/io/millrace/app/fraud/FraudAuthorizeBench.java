package io.millrace.app.fraud;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Role;
import io.millrace.app.PipelineModules;
import io.millrace.app.Platform;
import io.millrace.app.PlatformConfig;
import io.millrace.app.cli.WorkDirs;
import io.millrace.bench.harness.MachineInfo;
import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.AuthorizationRequest;
import io.millrace.topology.Settings;
import io.millrace.topology.fraud.FraudConfig;
import io.millrace.topology.fraud.FraudPipeline;
import io.millrace.topology.fraud.FraudTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code millrace bench fraud-authorize}: {@code POST /api/fraud/authorize} under open-loop load. The fraud pipeline alone
 * on a fresh embedded broker; the fraud simulator's authorizations are offered over HTTP at a fixed rate, each request
 * sent at its intended time whatever the answers before it (many connections at once, JDK HttpClient, async), and its
 * latency is measured from that intended time, so a stall shows in the figures instead of slowing the load (no
 * coordinated omission). The rest of the simulator's traffic (card updates, merchant risk, settlements, refunds, bad
 * records) goes through Kafka, and one authorization in {@value #KAFKA_SHARE} more goes through the raw Kafka topic:
 * a read_committed consumer of the decisions measures that Kafka path (request record to decision record readable) in
 * the same run. A warm-up of {@link #WARM_UP} at the same rate, not reported, comes first: the JIT compiles the hot
 * paths, and the cards used first have been announced.
 */
public final class FraudAuthorizeBench {

    /** One authorization in this many more is sent through the raw Kafka topic, for the Kafka path's latency. */
    static final int KAFKA_SHARE = 10;
    static final Duration GRACE = Duration.ofSeconds(3);
    static final Duration WARM_UP = Duration.ofSeconds(10);
    /** How long authorize waits before its 504 (the API's own limit). */
    static final Duration AUTHORIZE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * At most this many simulator events are drawn for one request slot: a card's first use comes as its card update
     * (through Kafka) and its purchase 2 s later, so right after the start most events are card updates; a slot with no
     * authorization among them is skipped, and the offered rate reported is what was actually sent.
     */
    static final int EVENTS_PER_SLOT = 3;
    /**
     * Connections at most, as a gateway's pool would have: a request due while all are busy waits for one in a queue,
     * its latency still counted from its intended time (the JDK client would otherwise open one per request in flight).
     */
    static final int CONNECTIONS = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run measured; latencies in milliseconds. */
    public record Result(double offeredPerSecond, double answeredPerSecond, long answered, long refused, long timeouts, long errors,
                         double p50Ms, double p99Ms, double maxMs, double kafkaPerSecond, long kafkaDecisions, double kafkaP50Ms,
                         double kafkaP99Ms, double kafkaMaxMs, long commitIntervalMs, String machine, String at) {
    }

    /** Several runs of the same settings: the run with the median HTTP p99, and the spread of p99 over the runs. */
    public record Runs(List<Result> runs) {

        public Result median() {
            List<Result> sorted = runs.stream().sorted(java.util.Comparator.comparingDouble(Result::p99Ms)).toList();
            return sorted.get((sorted.size() - 1) / 2);
        }

        public String table() {
            Result m = median();
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < runs.size(); i++) {
                Result r = runs.get(i);
                rows.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.1f / %.1f / %.1f | %d / %d / %d | %,.0f | %.0f / %.0f / %.0f |%n",
                        i + 1, r.offeredPerSecond(), r.answeredPerSecond(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.refused(), r.timeouts(),
                        r.errors(), r.kafkaPerSecond(), r.kafkaP50Ms(), r.kafkaP99Ms(), r.kafkaMaxMs()));
            }
            double low = runs.stream().mapToDouble(Result::p99Ms).min().orElseThrow();
            double high = runs.stream().mapToDouble(Result::p99Ms).max().orElseThrow();
            double kafkaLow = runs.stream().mapToDouble(Result::kafkaP99Ms).min().orElseThrow();
            double kafkaHigh = runs.stream().mapToDouble(Result::kafkaP99Ms).max().orElseThrow();
            return String.format(Locale.ROOT, """
                    Run %s on %s; fraud.commit-interval-ms %d. Median of %d run%s (by HTTP p99): p99 %.1f ms (spread %.1f–%.1f), \
                    Kafka path p99 %.0f ms (spread %.0f–%.0f).

                    | Run | Offered/s | Answered/s | HTTP p50 / p99 / max ms | 400 / 504 / errors | Kafka-path decisions/s | Kafka path p50 / p99 / max ms |
                    |---:|---:|---:|---:|---:|---:|---:|
                    %s""", m.at(), m.machine(), m.commitIntervalMs(), runs.size(), runs.size() == 1 ? "" : "s", m.p99Ms(), low, high,
                    m.kafkaP99Ms(), kafkaLow, kafkaHigh, rows);
        }
    }

    private FraudAuthorizeBench() {
    }

    public static Runs run(double rate, Duration duration, int runs, long seed) throws Exception {
        List<Result> results = new java.util.ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            System.out.printf(Locale.ROOT, "fraud-authorize: run %d of %d, %,.0f authorizations/s over HTTP for %d s%n", i, runs, rate,
                    duration.toSeconds());
            results.add(once(rate, duration, seed + i));
        }
        return new Runs(results);
    }

    private static Result once(double rate, Duration duration, long seed) throws Exception {
        Path work = WorkDirs.temporary("millrace-bench-fraud-authorize");
        try {
            return once(work, rate, duration, seed);
        } finally {
            WorkDirs.delete(work); // this run's broker and stores, before the next run starts its own
        }
    }

    private static Result once(Path work, double rate, Duration duration, long seed) throws Exception {
        Settings settings = Settings.fromProcess();
        PlatformConfig config = PlatformConfig.embedded(work).http("127.0.0.1", 0, "localhost").kafkaPort(0)
                .pipelines(List.of(FraudPipeline.NAME)).settings(settings).build();
        try (Platform platform = Platform.start(config, PipelineModules.discover());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(platform), new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            platform.awaitRunning(Duration.ofMinutes(2));
            Simulator simulator = PipelineModules.select(PipelineModules.discover(), List.of(FraudPipeline.NAME)).get(0)
                    .simulator(platform.pipelineContext());
            FraudTopics topics = new FraudTopics(platform.pipelineContext().serdes());
            Load load = new Load(platform, producer, simulator, topics, new SplittableRandom(seed));
            try (DecisionClock clock = new DecisionClock(platform, topics, load.sentThroughKafka)) {
                load.offer(rate, WARM_UP, null);
                clock.reset();
                Measured measured = new Measured();
                double seconds = load.offer(rate, duration, measured);
                measured.awaitAll(GRACE.plus(AUTHORIZE_TIMEOUT));
                measured.failures.forEach((failure, count) -> System.out.printf(Locale.ROOT, "fraud-authorize: %,d × %s%n", count, failure));
                Histogram http = measured.latencies();
                Histogram kafka = clock.latencies();
                Result result = new Result(measured.offered.get() / seconds, measured.answered.get() / seconds, measured.answered.get(),
                        measured.refused.get(), measured.timeouts.get(), measured.errors.get(), ms(http.getValueAtPercentile(50)),
                        ms(http.getValueAtPercentile(99)), ms(http.getMaxValue()), kafka.getTotalCount() / seconds, kafka.getTotalCount(),
                        ms(kafka.getValueAtPercentile(50)), ms(kafka.getValueAtPercentile(99)), ms(kafka.getMaxValue()),
                        FraudConfig.from(settings).commitIntervalMs(), MachineInfo.current().describe(),
                        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
                System.out.printf(Locale.ROOT, "fraud-authorize: offered %,.0f/s, answered %,.0f/s, p50 %.1f / p99 %.1f / max %.1f ms, "
                                + "%d refused, %d timeouts, %d errors; Kafka path %,d decisions, p50 %.0f / p99 %.0f / max %.0f ms%n",
                        result.offeredPerSecond(), result.answeredPerSecond(), result.p50Ms(), result.p99Ms(), result.maxMs(), result.refused(),
                        result.timeouts(), result.errors(), result.kafkaDecisions(), result.kafkaP50Ms(), result.kafkaP99Ms(), result.kafkaMaxMs());
                return result;
            }
        }
    }

    private static Map<String, Object> producerConfig(Platform platform) {
        Map<String, Object> config = new HashMap<>(platform.clientConfig());
        config.put("acks", "all");
        config.put("linger.ms", 1);
        return config;
    }

    /** The simulator's traffic: authorizations over HTTP at their intended times, everything else through Kafka. */
    private static final class Load {
        private final Platform platform;
        private final KafkaProducer<byte[], byte[]> producer;
        private final Simulator simulator;
        private final FraudTopics topics;
        private final SplittableRandom random;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final java.util.concurrent.Semaphore connections = new java.util.concurrent.Semaphore(CONNECTIONS);
        private final java.util.Queue<Runnable> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final URI authorize;
        private final String bearer;
        /** Transaction ids sent through the raw Kafka topic, with the epoch millis they were sent at. */
        final Map<String, Long> sentThroughKafka = new ConcurrentHashMap<>();
        private long slots;

        Load(Platform platform, KafkaProducer<byte[], byte[]> producer, Simulator simulator, FraudTopics topics, SplittableRandom random) {
            this.platform = platform;
            this.producer = producer;
            this.simulator = simulator;
            this.topics = topics;
            this.random = random;
            this.authorize = URI.create("http://127.0.0.1:" + platform.httpPort() + "/api/fraud/authorize");
            this.bearer = "Bearer " + platform.tokens().issue("bench", Role.SERVICE, Duration.ofHours(2));
        }

        /** Offers {@code rate} authorizations/s over HTTP for {@code duration}; returns the seconds it took. */
        double offer(double rate, Duration duration, Measured measured) {
            long began = System.nanoTime();
            long total = (long) (rate * duration.toNanos() / 1e9);
            double interval = 1e9 / rate;
            for (long i = 0; i < total; i++) {
                long intended = began + (long) (i * interval);
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                nextAuthorization().ifPresent(request -> send(request, intended, measured));
                if (++slots % KAFKA_SHARE == 0) {
                    nextAuthorization().ifPresent(viaKafka -> {
                        sentThroughKafka.put(viaKafka.getTransactionId(), viaKafka.getTimestamp());
                        producer.send(new ProducerRecord<>(FraudTopics.AUTHORIZATION_REQUESTS, utf8(viaKafka.getTransactionId()),
                                topics.authorizationRequests().valueSerde().serializer().serialize(FraudTopics.AUTHORIZATION_REQUESTS, viaKafka)));
                    });
                }
            }
            return (System.nanoTime() - began) / 1e9;
        }

        /** The simulator's next authorization, stamped now, if one comes within a slot's events; the others go to Kafka as they are. */
        private java.util.Optional<AuthorizationRequest> nextAuthorization() {
            for (int drawn = 0; drawn < EVENTS_PER_SLOT; drawn++) {
                long now = System.currentTimeMillis();
                SimulatedEvent event = simulator.next(random, now);
                if (event.topic().equals(FraudTopics.AUTHORIZATION_REQUESTS)) {
                    try {
                        AuthorizationRequest request = topics.authorizationRequests().valueSerde().deserializer()
                                .deserialize(event.topic(), event.value());
                        if (request != null) {
                            request.setTimestamp(now);
                            return java.util.Optional.of(request);
                        }
                    } catch (RuntimeException undecodable) {
                        // The simulator's bad bytes: they go to Kafka, where the pipeline dead-letters them.
                    }
                }
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(event.topic(), event.key(), event.value());
                event.headers().forEach((k, v) -> record.headers().add(k, utf8(v)));
                producer.send(record);
            }
            return java.util.Optional.empty();
        }

        private void send(AuthorizationRequest request, long intendedNanos, Measured measured) {
            HttpRequest post = HttpRequest.newBuilder(authorize).header("Authorization", bearer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(request))).build();
            long id = measured == null ? -1 : measured.offer(intendedNanos);
            waiting.add(() -> http.sendAsync(post, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (measured != null) {
                    measured.record(id, System.nanoTime() - intendedNanos, response == null ? -1 : response.statusCode(), error);
                }
                connections.release();
                sendWaiting();
            }));
            sendWaiting();
        }

        /** Sends queued requests while a connection is free. */
        private void sendWaiting() {
            while (!waiting.isEmpty() && connections.tryAcquire()) {
                Runnable next = waiting.poll();
                if (next == null) {
                    connections.release();
                    return;
                }
                next.run();
            }
        }

        private static String body(AuthorizationRequest r) {
            Map<String, Object> body = new HashMap<>();
            body.put("transactionId", r.getTransactionId());
            if (r.getCardNumber() != null) {
                body.put("cardNumber", r.getCardNumber());
            }
            if (r.getCardToken() != null) {
                body.put("cardToken", r.getCardToken());
            }
            body.put("merchantId", r.getMerchantId());
            body.put("merchantCategory", r.getMerchantCategory());
            body.put("amount", r.getAmount());
            body.put("currency", r.getCurrency());
            body.put("country", r.getCountry());
            if (r.getLatitude() != null) {
                body.put("latitude", r.getLatitude());
                body.put("longitude", r.getLongitude());
            }
            body.put("timestamp", r.getTimestamp());
            try {
                return JSON.writeValueAsString(body);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Answers of the measured phase: latency from each request's intended send time, and what came back. */
    private static final class Measured {
        private final Histogram latencies = new Histogram(60_000_000_000L, 3);
        final AtomicLong offered = new AtomicLong();
        /** Requests without an answer yet, by number, with their intended send time. */
        private final Map<Long, Long> inFlight = new ConcurrentHashMap<>();
        final AtomicLong answered = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        final AtomicLong errors = new AtomicLong();

        /** The first failure of a kind, for the report. */
        final Map<String, Long> failures = new ConcurrentHashMap<>();

        long offer(long intendedNanos) {
            long id = offered.getAndIncrement();
            inFlight.put(id, intendedNanos);
            return id;
        }

        void record(long id, long nanos, int status, Throwable error) {
            if (inFlight.remove(id) == null) {
                return;
            }
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
                failures.merge(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1L, Long::sum);
            }
            synchronized (latencies) {
                latencies.recordValue(Math.min(nanos, latencies.getHighestTrackableValue()));
            }
            switch (status) {
                case 200 -> answered.incrementAndGet();
                case 400 -> refused.incrementAndGet();
                case 504 -> timeouts.incrementAndGet();
                default -> errors.incrementAndGet();
            }
        }

        /**
         * Until every request offered has its answer (each has one within the API's 2 s, or fails), or {@code grace} passes;
         * a request still unanswered then counts as an error with the latency it has reached, so that a stall shows.
         */
        void awaitAll(Duration grace) throws InterruptedException {
            long deadline = System.nanoTime() + grace.toNanos();
            while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long now = System.nanoTime();
            for (Map.Entry<Long, Long> unanswered : Map.copyOf(inFlight).entrySet()) {
                record(unanswered.getKey(), now - unanswered.getValue(), -1, null);
            }
        }

        Histogram latencies() {
            synchronized (latencies) {
                return latencies.copy();
            }
        }
    }

    /**
     * A read_committed consumer of every decision partition, from the end: for each decision of a request sent through
     * the raw Kafka topic, the time from that request's send to the decision being readable.
     */
    private static final class DecisionClock implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final FraudTopics topics;
        private final Map<String, Long> sent;
        private final Histogram latencies = new Histogram(60_000_000_000L, 3);
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        DecisionClock(Platform platform, FraudTopics topics, Map<String, Long> sent) {
            Map<String, Object> config = new HashMap<>(platform.clientConfig());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
            this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.topics = topics;
            this.sent = sent;
            List<TopicPartition> partitions = consumer.partitionsFor(FraudTopics.DECISIONS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            this.thread = new Thread(this::run, "fraud-bench-decision-clock");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            Set<String> seen = new java.util.HashSet<>();
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    AuthorizationDecision decision = topics.decisions().valueSerde().deserializer().deserialize(record.topic(), record.value());
                    Long at = sent.get(decision.getTransactionId());
                    if (at != null && seen.add(decision.getTransactionId())) {
                        synchronized (latencies) {
                            latencies.recordValue(Math.max(0, Math.min((now - at) * 1_000_000, latencies.getHighestTrackableValue())));
                        }
                    }
                }
            }
            consumer.close();
        }

        void reset() {
            synchronized (latencies) {
                latencies.reset();
            }
        }

        Histogram latencies() {
            synchronized (latencies) {
                return latencies.copy();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(5_000);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

}
