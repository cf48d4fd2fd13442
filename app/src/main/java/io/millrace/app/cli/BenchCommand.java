package io.millrace.app.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.app.PipelineModule;
import io.millrace.app.PipelineModules;
import io.millrace.app.Platform;
import io.millrace.app.PlatformConfig;
import io.millrace.app.broker.EmbeddedKafka;
import io.millrace.bench.harness.BenchReport;
import io.millrace.bench.harness.BenchResult;
import io.millrace.bench.harness.MachineInfo;
import io.millrace.bench.harness.PipelineBench;
import io.millrace.bench.harness.PipelineLauncher;
import io.millrace.schemas.registry.KafkaSchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.registry.SchemaRegistryClient;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Settings;
import io.millrace.topology.TopicSpec;
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

    @Parameters(index = "0", description = "A pipeline name, or 'all'.")
    String which;

    @Option(names = "--events", defaultValue = "200000", description = "Events per throughput run (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--duration", defaultValue = "20", description = "Seconds of each fixed-rate latency run (default ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed of the simulators (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--output", defaultValue = "bench/results", description = "Directory of the JSON results (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--readme", defaultValue = "bench/README.md", description = "README whose results table is replaced (default ${DEFAULT-VALUE}; 'none' to skip).")
    String readme;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("millrace-bench");
        EmbeddedKafka kafka = connection.bootstrap().isPresent() ? null : EmbeddedKafka.start(work.resolve("kafka"), 0);
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
            List<PipelineModule<?>> modules;
            try {
                modules = PipelineModules.select(PipelineModules.discover(), which.equals("all") ? List.of() : List.of(which));
            } catch (IllegalArgumentException unknown) {
                System.err.println(unknown.getMessage());
                return 2;
            }
            List<BenchResult> results = new ArrayList<>();
            PipelineBench bench = new PipelineBench(bootstrap, System.out::println);
            for (PipelineModule<?> module : modules) {
                results.add(bench.run(module.simulator(context), module.benchTarget(),
                        launcher(module, module.pipeline(context), bootstrap, replication, work), events,
                        Duration.ofSeconds(durationSeconds), seed));
            }
            BenchReport.Run run = BenchReport.Run.now(MachineInfo.current(),
                    kafka == null ? "external " + bootstrap : "embedded single-node KRaft", results);
            Path json = BenchReport.writeJson(run, output);
            System.out.println();
            System.out.print(BenchReport.table(run));
            System.out.println("\nResults: " + json);
            if (!readme.equals("none")) {
                BenchReport.updateReadme(run, Path.of(readme));
                System.out.println("Table written to " + readme);
            }
            return 0;
        } finally {
            if (localRegistry != null) {
                localRegistry.close();
            }
            if (kafka != null) {
                kafka.close();
            }
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
                        return platform.pipelines().stream().allMatch(p -> p.isRunning());
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
                    public void close() {
                        platform.close();
                    }
                };
            }
        };
    }
}
