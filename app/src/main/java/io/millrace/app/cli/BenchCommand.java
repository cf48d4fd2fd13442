package io.millrace.app.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.api.auth.Role;
import io.millrace.app.PipelineModule;
import io.millrace.app.PipelineModules;
import io.millrace.app.Platform;
import io.millrace.app.PlatformConfig;
import io.millrace.app.broker.EmbeddedKafka;
import io.millrace.app.fraud.FraudAuthorizeBench;
import io.millrace.app.recommendations.RecommendationsBench;
import io.millrace.app.search.SearchBench;
import io.millrace.bench.harness.BenchReport;
import io.millrace.bench.harness.BenchResult;
import io.millrace.bench.harness.MachineInfo;
import io.millrace.bench.harness.PipelineBench;
import io.millrace.bench.harness.PipelineLauncher;
import io.millrace.bench.harness.Repeated;
import io.millrace.bench.live.Subscribers;
import io.millrace.bench.simulate.SimulationRun;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.registry.KafkaSchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.registry.SchemaRegistryClient;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Settings;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.messenger.MessengerPipeline;
import io.millrace.topology.runtime.BuiltPipeline;
import io.millrace.topology.runtime.TopicProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.StreamsBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code millrace bench <pipeline>|all}: throughput and end-to-end latency of pipelines next to a raw passthrough. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark pipelines on a fresh embedded broker (or --bootstrap-servers): events/s, e2e latency, ratio to passthrough.")
public final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A pipeline name (or several, comma-separated), 'all', 'live' (subscribers of the messenger's live stream), "
            + "'search-lucene', 'recommendations-feed' (the feed endpoint under read-heavy load) or 'fraud-authorize' (POST /api/fraud/authorize, open loop).")
    String which;

    @Option(names = "--events", defaultValue = "200000", description = "Events per throughput run (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--duration", defaultValue = "20", description = "Seconds of each fixed-rate latency run (default ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(names = "--runs", defaultValue = "3",
            description = "Measured runs per pipeline, each on a fresh broker; the table shows the median run and the spread (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "A warm-up round per pipeline (a fifth of the events and duration, not reported) before the measured runs, so the JIT has compiled the hot paths (default on; --no-warmup to skip).")
    boolean warmup;

    @Option(names = "--delete-topics", defaultValue = "false",
            description = "On an external cluster (--bootstrap-servers): delete the pipeline's topics, internal topics and consumer group before each run, so every run starts fresh. Never use it against a cluster whose data you keep.")
    boolean deleteTopics;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed of the simulators (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--output", defaultValue = "bench/results", description = "Directory of the JSON results (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--readme", defaultValue = "bench/README.md", description = "README whose results table is replaced (default ${DEFAULT-VALUE}; 'none' to skip).")
    String readme;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--subscribers", defaultValue = "1000", description = "live: WebSocket subscribers (default ${DEFAULT-VALUE}).")
    int subscribers;

    @Option(names = "--rate", description = "live: messenger simulator events/s (default 2,000); fraud-authorize: authorizations/s "
            + "offered over HTTP (default 6,944).")
    Double rate;

    @Override
    public Integer call() throws Exception {
        if (which.equals("live")) {
            return live();
        }
        if (which.equals("search-lucene")) {
            return searchLucene();
        }
        if (which.equals("recommendations-feed")) {
            return recommendationsFeed();
        }
        if (which.equals("fraud-authorize")) {
            return fraudAuthorize();
        }
        List<PipelineModule<?>> modules;
        try {
            modules = PipelineModules.select(PipelineModules.discover(), which.equals("all") ? List.of() : List.of(which.split(",")));
        } catch (IllegalArgumentException unknown) {
            System.err.println(unknown.getMessage());
            return 2;
        }
        if (runs < 1) {
            System.err.println("--runs must be at least 1");
            return 2;
        }
        if (connection.bootstrap().isPresent() && !deleteTopics && (runs > 1 || warmup)) {
            System.err.println("On an external cluster each run needs the pipeline's topics fresh: add --delete-topics (it deletes "
                    + "the pipeline's topics, internal topics and consumer group there), or measure once with --runs 1 --no-warmup");
            return 2;
        }
        Path work = WorkDirs.temporary("millrace-bench");
        List<Repeated> results = new ArrayList<>();
        for (PipelineModule<?> module : modules) {
            if (warmup) {
                System.out.printf("%s: warm-up round (%,d events, %d s; not reported)%n", module.name(), Math.max(1, events / 5),
                        Math.max(1, durationSeconds / 5));
                measure(module, work.resolve(module.name() + "-warmup"), Math.max(1, events / 5), Math.max(1, durationSeconds / 5));
            }
            List<BenchResult> measured = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                System.out.printf("%s: run %d of %d%n", module.name(), i, runs);
                measured.add(measure(module, work.resolve(module.name() + "-" + i), events, durationSeconds));
            }
            results.add(new Repeated(module.name(), measured));
        }
        BenchReport.Run run = BenchReport.Run.now(MachineInfo.current(),
                connection.bootstrap().map(b -> "external " + b).orElse("embedded single-node KRaft, a fresh broker per run"), results);
        Path json = BenchReport.writeJson(run, output);
        System.out.println();
        System.out.print(BenchReport.table(run));
        System.out.println("\nResults: " + json);
        if (!readme.equals("none")) {
            BenchReport.updateReadme(run, Path.of(readme));
            System.out.println("Table written to " + readme);
        }
        return 0;
    }

    /**
     * One measured run of {@code module} on a fresh topic set: a new embedded broker (and schema registry) in {@code dir},
     * or, on an external cluster, the pipeline's topics and internal topics deleted first.
     */
    private BenchResult measure(PipelineModule<?> module, Path dir, int events, long seconds) throws Exception {
        Files.createDirectories(dir);
        EmbeddedKafka kafka = connection.bootstrap().isPresent() ? null : EmbeddedKafka.start(dir.resolve("kafka"), 0);
        String bootstrap = kafka == null ? connection.bootstrap().get() : kafka.bootstrapServers();
        int replication = kafka == null ? 3 : 1;
        SchemaRegistry localRegistry = null;
        try {
            SchemaRegistryClient registryClient;
            if (connection.registry().isPresent()) {
                registryClient = connection.registryClient();
            } else {
                localRegistry = new SchemaRegistry(new KafkaSchemaLog(bootstrap, KafkaSchemaLog.DEFAULT_TOPIC, Map.of()));
                localRegistry.start();
                registryClient = new LocalRegistryClient(localRegistry);
            }
            PipelineContext context = new PipelineContext(new AvroSerdes(registryClient), new SimpleMeterRegistry(), Settings.fromProcess());
            Pipeline pipeline = module.pipeline(context);
            if (kafka == null && deleteTopics) {
                FreshTopics.delete(bootstrap, connection.kafkaClient(), pipeline);
            }
            return new PipelineBench(bootstrap, System.out::println).run(module.simulator(context), module.benchTarget(), launcher(module, pipeline, bootstrap, replication, dir),
                    events, Duration.ofSeconds(seconds), seed);
        } finally {
            if (localRegistry != null) {
                localRegistry.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            WorkDirs.delete(dir);
        }
    }

    /**
     * {@code bench live}: the whole platform on a fresh embedded broker, {@code --subscribers} users (the simulator's most
     * active ones) each following their stream over a WebSocket, and the messenger simulator at {@code --rate} events/s for
     * {@code --duration} seconds. Reported: the age of each message event when it reaches its subscriber, next to the age of
     * the same deliveries when a read_committed consumer of messenger.deliveries sees them, in the same run.
     */
    @Option(names = "--docs", defaultValue = "/usr/share/doc/git-doc",
            description = "search-lucene: directory of HTML pages crawled (default ${DEFAULT-VALUE}, from Debian's git-doc).")
    Path docs;

    @Option(names = "--clients", defaultValue = "8", description = "search-lucene, recommendations-feed: concurrent client threads (default ${DEFAULT-VALUE}).")
    int clients;

    private int searchLucene() throws Exception {
        SearchBench.Comparison comparison = SearchBench.run(docs, Duration.ofSeconds(durationSeconds), clients);
        String table = SearchBench.table(comparison);
        System.out.println(table);
        report("search-lucene", comparison, table);
        return 0;
    }

    /** {@code bench recommendations-feed}: the feed endpoint under read-heavy load, next to the HTTP passthrough (/health). */
    private int recommendationsFeed() throws Exception {
        RecommendationsBench.Result result = RecommendationsBench.run(events, Duration.ofSeconds(durationSeconds), clients, seed);
        System.out.println(result.table());
        report("recommendations-feed", result, result.table());
        return 0;
    }

    /** {@code bench fraud-authorize}: POST /api/fraud/authorize offered open loop at {@code --rate}, the Kafka path measured in the same run. */
    private int fraudAuthorize() throws Exception {
        if (runs < 1) {
            System.err.println("--runs must be at least 1");
            return 2;
        }
        FraudAuthorizeBench.Runs result = FraudAuthorizeBench.run(rate == null ? 6_944 : rate, Duration.ofSeconds(durationSeconds), runs, seed);
        System.out.println(result.table());
        report("fraud-authorize", result, result.table());
        return 0;
    }

    private int live() throws Exception {
        double liveRate = rate == null ? 2_000 : rate;
        Path work = WorkDirs.temporary("millrace-bench-live");
        PlatformConfig config = PlatformConfig.embedded(work).http("127.0.0.1", 0, "localhost").kafkaPort(0)
                .pipelines(List.of(MessengerPipeline.NAME)).settings(Settings.fromProcess()).build();
        try (Platform platform = Platform.start(config, PipelineModules.discover())) {
            try {
                platform.awaitRunning(Duration.ofMinutes(2));
            } catch (IllegalStateException notRunning) {
                System.err.println(notRunning.getMessage());
                return 1;
            }
            List<String> users = java.util.stream.IntStream.range(0, subscribers).mapToObj(i -> "u" + i).toList();
            System.out.printf("live: connecting %,d WebSocket subscribers…%n", users.size());
            long began = System.nanoTime();
            try (Subscribers connected = Subscribers.connect("ws://127.0.0.1:" + platform.httpPort(), users,
                    user -> "/api/messenger/users/" + user + "/socket", user -> platform.tokens().issue(user, Role.USER, Duration.ofHours(1)))) {
                System.out.printf("live: %,d connected in %d ms; messenger simulator at %,.0f events/s for %d s%n", connected.size(),
                        (System.nanoTime() - began) / 1_000_000, liveRate, durationSeconds);
                connected.seen();
                Simulator simulator = PipelineModules.select(PipelineModules.discover(), List.of(MessengerPipeline.NAME)).get(0)
                        .simulator(platform.pipelineContext());
                SimulationRun.Result run = new SimulationRun(simulator, platform.clientConfig(), liveRate, Duration.ofSeconds(durationSeconds), seed)
                        .run(System.out::println);
                Subscribers.Seen seen = connected.seen();
                LiveResult result = new LiveResult(connected.size(), run.eventsPerSecond(), seen.events() / run.seconds(),
                        seen.p50Ms(), seen.p99Ms(), seen.maxMs(), seen.resyncs(), seen.closedByServer(), run.latency().records() / run.seconds(),
                        run.latency().p50Ms(), run.latency().p99Ms(), MachineInfo.current().describe());
                System.out.println(run.summary());
                System.out.println(result.table());
                if (!readme.equals("none")) {
                    ReadmeBlock.replace(Path.of(readme), "live", result.table());
                    System.out.println("Written to " + readme);
                }
            }
        }
        return 0;
    }

    /** What {@code bench live} measured. */
    record LiveResult(int subscribers, double eventsInPerSecond, double eventsToSubscribersPerSecond, long p50Ms, long p99Ms, long maxMs,
                      long resyncs, long closed, double deliveriesPerSecond, long consumerP50Ms, long consumerP99Ms, String machine) {

        String table() {
            return String.format(java.util.Locale.ROOT, """
                    Run %s on %s.

                    | Subscribers | Simulator events/s | Events to subscribers/s | Subscriber p50 / p99 / max ms | read_committed consumer deliveries/s | Consumer p50 / p99 ms | Resyncs | Closed by the server |
                    |---:|---:|---:|---:|---:|---:|---:|---:|
                    | %,d | %,.0f | %,.0f | %d / %d / %d | %,.0f | %d / %d | %d | %d |
                    """, java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), machine, subscribers, eventsInPerSecond,
                    eventsToSubscribersPerSecond, p50Ms, p99Ms, maxMs, deliveriesPerSecond, consumerP50Ms, consumerP99Ms, resyncs, closed);
        }

    }

    /** Writes an endpoint benchmark's result as JSON in --output and its table into the README's block of the same name. */
    private void report(String name, Object result, String table) throws java.io.IOException {
        Files.createDirectories(output);
        Path json = output.resolve(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now()) + "-" + name + ".json");
        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), result);
        System.out.println("Written to " + json);
        if (!readme.equals("none")) {
            ReadmeBlock.replace(Path.of(readme), name, table);
            System.out.println("Written to " + readme);
        }
    }

    private PipelineLauncher launcher(PipelineModule<?> module, Pipeline pipeline, String bootstrap, int replication, Path work) {
        return new PipelineLauncher() {
            @Override
            public void provisionTopics() {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                    List<TopicSpec> topics = new ArrayList<>(pipeline.topics());
                    topics.addAll(pipeline.errorTopics());
                    new TopicProvisioner(admin).ensure(topics, replication);
                }
            }

            @Override
            public java.util.Set<String> sourceTopics() {
                StreamsBuilder builder = new StreamsBuilder();
                pipeline.build(builder);
                return BuiltPipeline.sourceTopics(pipeline, builder.build().describe());
            }

            @Override
            public Started start() {
                PlatformConfig config = PlatformConfig.embedded(work.resolve(pipeline.name())).http("127.0.0.1", 0, "localhost")
                        .bootstrapServers(bootstrap).schemaRegistryUrl(connection.registry()).replication(replication, 0)
                        .commitIntervalMs(100).pipelines(List.of(pipeline.name())).settings(Settings.fromProcess())
                        .kafkaClient(connection.kafkaClient()).build();
                Platform platform = Platform.start(config, List.of(module));
                return new Started() {
                    @Override
                    public boolean isRunning() {
                        return platform.allRunning();
                    }

                    @Override
                    public double processedRecords() {
                        return platform.pipelines().stream().flatMap(p -> p.streams().metrics().entrySet().stream())
                                .filter(e -> e.getKey().group().equals("stream-thread-metrics") && e.getKey().name().equals("process-total"))
                                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
                    }

                    @Override
                    public String consumerGroup() {
                        return Pipeline.applicationId(pipeline.name());
                    }

                    @Override
                    public void pause() {
                        platform.pipelines().forEach(p -> p.streams().pause());
                    }

                    @Override
                    public void resume() {
                        platform.pipelines().forEach(p -> p.streams().resume());
                    }

                    @Override
                    public void close() {
                        platform.close();
                    }
                };
            }
        };
    }
}
