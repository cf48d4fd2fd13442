package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.millrace.api.ApiContext;
import io.millrace.api.EventPublisher;
import io.millrace.api.auth.Tokens;
import io.millrace.api.dashboard.DashboardPage;
import io.millrace.api.dashboard.DashboardRoutes;
import io.millrace.api.dashboard.DashboardStream;
import io.millrace.api.dashboard.DeadLetterBrowser;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.iq.QueryRouter;
import io.millrace.bench.harness.Target;
import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.registry.InMemorySchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Settings;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.runtime.BuiltPipeline;
import io.millrace.topology.runtime.DeadLetters;
import io.millrace.topology.runtime.PipelineHealth;
import io.millrace.topology.runtime.RestoreProgress;
import io.millrace.topology.runtime.RunningPipeline;
import io.millrace.topology.runtime.StreamsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every pipeline module has every piece the platform and its users expect, so a new pipeline cannot be half-registered:
 * a topology that builds and declares its inputs, routes under /api/<name> that appear in the OpenAPI document, a
 * dashboard page (its script, its result topics, documented endpoints it reads), a Grafana board, a simulator that
 * feeds every input, a benchmark target, a README section, a TopologyTestDriver test and an integration test. One dynamic test per pipeline and piece, so a failure names both.
 */
class CatalogTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final SchemaRegistry REGISTRY = new SchemaRegistry(new InMemorySchemaLog());
    private static PipelineContext context;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void start() {
        REGISTRY.start();
        context = new PipelineContext(new AvroSerdes(new LocalRegistryClient(REGISTRY)), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Settings.none());
    }

    @AfterAll
    static void stop() {
        REGISTRY.close();
    }

    @TestFactory
    Stream<DynamicTest> everyPipelineHasEveryPiece() {
        List<PipelineModule<?>> modules = PipelineModules.discover();
        assertThat(modules).extracting(PipelineModule::name).as("the pipelines found on the class path").isNotEmpty();
        return modules.stream().flatMap(module -> Stream.of(
                DynamicTest.dynamicTest(module.name() + ": a topology that builds, with inputs among its topics", () -> topology(module)),
                DynamicTest.dynamicTest(module.name() + ": routes under /api/" + module.name() + " in the OpenAPI document", () -> api(module)),
                DynamicTest.dynamicTest(module.name() + ": a simulator that feeds every input", () -> simulator(module)),
                DynamicTest.dynamicTest(module.name() + ": a benchmark target", () -> target(module)),
                DynamicTest.dynamicTest(module.name() + ": a dashboard page with its script, results and what it reads", () -> dashboard(module)),
                DynamicTest.dynamicTest(module.name() + ": a Grafana board", () -> grafanaBoard(module)),
                DynamicTest.dynamicTest(module.name() + ": a README section", () -> readme(module)),
                DynamicTest.dynamicTest(module.name() + ": a TopologyTestDriver test", () -> topologyTest(module)),
                DynamicTest.dynamicTest(module.name() + ": an integration test", () -> integrationTest(module))));
    }

    private static void topology(PipelineModule<?> module) throws IOException {
        Pipeline pipeline = module.pipeline(context);
        assertThat(pipeline.name()).isEqualTo(module.name());
        Set<String> topics = pipeline.topics().stream().map(TopicSpec::name).collect(Collectors.toSet());
        assertThat(pipeline.inputs()).as("declared inputs").isNotEmpty();
        assertThat(pipeline.inputs()).extracting(Topic::name).allMatch(topics::contains, "is one of the pipeline's topics");
        BuiltPipeline built = BuiltPipeline.of(pipeline, StreamsSettings.forTests(Files.createTempDirectory(stateDir, module.name()),
                new DeadLetters(context.meters())));
        assertThat(built.sourceTopics()).as("topics its tasks read").isNotEmpty();
    }

    private static <P extends Pipeline> void api(PipelineModule<P> module) throws IOException {
        assertThat(operations(module)).as("documented operations").isNotEmpty()
                .allSatisfy(op -> assertThat(op.path()).matches(path -> path.equals("/api/" + module.name())
                        || path.startsWith("/api/" + module.name() + "/"), "is /api/" + module.name() + " or under it"));
    }

    /** The operations a module's API registers, on a pipeline that is built but not started. */
    private static <P extends Pipeline> List<ApiRoutes.Operation> operations(PipelineModule<P> module) throws IOException {
        P pipeline = module.pipeline(context);
        BuiltPipeline built = BuiltPipeline.of(pipeline, StreamsSettings.forTests(Files.createTempDirectory(stateDir, module.name()),
                new DeadLetters(context.meters())));
        try (KafkaStreams notStarted = new KafkaStreams(built.topology(), built.properties())) {
            RunningPipeline running = new RunningPipeline(pipeline, notStarted, new RestoreProgress(), built.topology().describe(),
                    new PipelineHealth(Duration.ofSeconds(60), System::currentTimeMillis), built.poison());
            ApiContext api = apiContext(List.of(running));
            List<ApiRoutes.Operation> operations = new java.util.ArrayList<>();
            Javalin.create(config -> {
                ApiRoutes routes = new ApiRoutes(config.routes);
                module.api().register(routes, pipeline, running, api);
                operations.addAll(routes.operations());
            });
            return operations;
        }
    }

    private static ApiContext apiContext(List<RunningPipeline> pipelines) {
        return new ApiContext(pipelines, new DeadLetters(context.meters()),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Optional.empty(),
                new QueryRouter(new HostInfo("localhost", 0), Duration.ofSeconds(1), () -> ""),
                new EventPublisher(new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer())), "test",
                () -> true, ApiContext.HttpSecurity.of(new Tokens(TestPlatform.AUTH.keys()), "localhost:0"), Map.of());
    }

    private static <P extends Pipeline> void dashboard(PipelineModule<P> module) throws IOException {
        DashboardPage page = module.dashboard();
        assertThat(page.pipeline()).isEqualTo(module.name());
        assertThat(page.title()).as("the page's title").isNotBlank();
        assertThat(page.summary()).as("what the page shows").isNotBlank();
        assertThat(ROOT.resolve("api/src/main/resources/dashboard" + page.script())).as("the page's script").isRegularFile();
        assertThat(Files.readString(ROOT.resolve("api/src/main/resources/dashboard" + page.script())))
                .as("the script registers the page").contains("Millrace.definePage('" + module.name() + "'");
        P pipeline = module.pipeline(context);
        assertThat(page.outputs()).as("the topics holding its results").isNotEmpty()
                .allMatch(topic -> pipeline.topics().stream().anyMatch(t -> t.name().equals(topic)), "is one of the pipeline's topics");
        Set<String> documented = new java.util.HashSet<>(operations(module).stream().map(ApiRoutes.Operation::path).toList());
        documented.addAll(dashboardOperations());
        assertThat(page.reads()).as("the endpoints the page reads").isNotEmpty().allMatch(documented::contains, "is a documented endpoint");
    }

    private static void grafanaBoard(PipelineModule<?> module) {
        assertThat(ROOT.resolve("app").resolve(GrafanaBoards.DIRECTORY).resolve("millrace-" + module.name() + ".json"))
                .as("its Grafana board").isRegularFile();
    }

    /** The dashboard's own endpoints, as the platform registers them. */
    private static List<String> dashboardOperations() {
        ApiContext api = apiContext(List.of());
        try (DashboardStream stream = new DashboardStream(api, Map.of())) {
            List<String> paths = new java.util.ArrayList<>();
            Javalin.create(config -> {
                ApiRoutes routes = new ApiRoutes(config.routes);
                new DashboardRoutes(api, stream, Map.of(), DeadLetterBrowser.none()).register(routes);
                routes.operations().forEach(op -> paths.add(op.path()));
            });
            return paths;
        }
    }

    private static void simulator(PipelineModule<?> module) {
        Pipeline pipeline = module.pipeline(context);
        Simulator simulator = module.simulator(context);
        assertThat(simulator.pipeline()).isEqualTo(module.name());
        Set<String> inputs = pipeline.inputs().stream().map(Topic::name).collect(Collectors.toSet());
        SplittableRandom random = new SplittableRandom(7);
        Set<String> fed = new java.util.TreeSet<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 50_000; i++) {
            SimulatedEvent event = simulator.next(random, now + i);
            assertThat(inputs).as("the topic of a simulated event").contains(event.topic());
            fed.add(event.topic());
        }
        assertThat(fed).as("inputs fed in 50,000 events").containsExactlyInAnyOrderElementsOf(inputs);
        assertThat(simulator.outputTopic()).isIn(pipeline.topics().stream().map(TopicSpec::name).toList());
    }

    private static void target(PipelineModule<?> module) {
        Target target = module.benchTarget();
        assertThat(target.pipeline()).isEqualTo(module.name());
        assertThat(target.peakTarget()).isGreaterThanOrEqualTo(target.seedRate());
    }

    private static void readme(PipelineModule<?> module) throws IOException {
        assertThat(Files.readString(ROOT.resolve("README.md"))).as("README.md").contains("\n## " + title(module) + "\n");
    }

    private static void topologyTest(PipelineModule<?> module) throws IOException {
        Path tests = ROOT.resolve("topologies/src/test/java/io/millrace/topology/" + module.name());
        assertThat(tests).as("the pipeline's test package").isDirectory();
        try (Stream<Path> files = Files.walk(tests)) {
            assertThat(files.filter(f -> f.toString().endsWith(".java")).anyMatch(CatalogTest::drivesATopology))
                    .as("a test in %s that runs the pipeline in the PipelineTestDriver", tests).isTrue();
        }
    }

    private static boolean drivesATopology(Path file) {
        try {
            return Files.readString(file).contains("PipelineTestDriver");
        } catch (IOException e) {
            return false;
        }
    }

    private static void integrationTest(PipelineModule<?> module) {
        assertThat(ROOT.resolve("app/src/test/java/io/millrace/app/" + title(module) + "IT.java")).as("its integration test").isRegularFile();
    }

    private static String title(PipelineModule<?> module) {
        return module.name().substring(0, 1).toUpperCase(Locale.ROOT) + module.name().substring(1);
    }
}
