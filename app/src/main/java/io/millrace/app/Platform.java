package io.millrace.app;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.millrace.api.ApiContext;
import io.millrace.api.ApiServer;
import io.millrace.api.EventPublisher;
import io.millrace.api.PipelineApi;
import io.millrace.api.auth.Authentication;
import io.millrace.api.auth.Role;
import io.millrace.api.auth.Tokens;
import io.millrace.api.dashboard.Dashboard;
import io.millrace.api.dashboard.DashboardPage;
import io.millrace.api.iq.QueryRouter;
import io.millrace.api.live.LiveHub;
import io.millrace.app.broker.EmbeddedKafka;
import io.millrace.app.connect.Connectors;
import io.millrace.app.connect.EmbeddedConnect;
import io.millrace.app.health.DeadLetterTally;
import io.millrace.app.health.PipelineMetrics;
import io.millrace.app.health.ProgressMonitor;
import io.millrace.bench.simulate.Simulator;
import io.millrace.connectors.webhook.WebhookSinkConfig;
import io.millrace.connectors.webhook.WebhookSinkConnector;
import io.millrace.schemas.registry.HttpRegistryClient;
import io.millrace.schemas.registry.KafkaSchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.registry.SchemaRegistryClient;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.runtime.BuiltPipeline;
import io.millrace.topology.runtime.DeadLetters;
import io.millrace.topology.runtime.PipelineHealth;
import io.millrace.topology.runtime.PoisonRecords;
import io.millrace.topology.runtime.RestoreProgress;
import io.millrace.topology.runtime.RunningPipeline;
import io.millrace.topology.runtime.StreamsSettings;
import io.millrace.topology.runtime.TopicProvisioner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Millrace instance: the broker when embedded, the schema registry, every pipeline as its own
 * KafkaStreams application, and the HTTP API. Closing it stops them in reverse order.
 */
public final class Platform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Platform.class);
    public static final String VERSION = "0.1.0";
    /** Where the webhook sink puts notifications the webhook refused for good. */
    public static final String WEBHOOK_DEAD_LETTERS = "millrace.webhook.dlq";

    /** How long a client of the platform may take to close, the broker reachable or not. */
    static final Duration CLIENT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** The setting (MILLRACE_LIVE_QUEUE) of how many events a subscriber may be behind before it must resync. */
    public static final String LIVE_QUEUE = "live.queue";
    private static final Duration SLOW_CLOSE = Duration.ofSeconds(10);
    private volatile String closing;
    /** How often lag and progress are measured from the broker. */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<RunningPipeline> pipelines = new ArrayList<>();
    private String bootstrapServers;
    private String registryUrl;
    private PipelineContext pipelineContext;
    private Map<String, String> kafkaClient = Map.of();
    private Tokens tokens;
    private List<PipelineModule<?>> running = List.of();
    private ApiServer api;
    private PrometheusMeterRegistry meters;
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

    private Platform() {
    }

    /** Starts the pipelines of {@code modules} that the config enables (all when it names none). */
    public static Platform start(PlatformConfig config, List<PipelineModule<?>> modules) {
        Platform platform = new Platform();
        try {
            platform.boot(config, modules);
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private void boot(PlatformConfig config, List<PipelineModule<?>> modules) {
        List<PipelineModule<?>> selected = PipelineModules.select(modules, config.pipelines());
        long began = System.nanoTime();
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);

        if (config.embeddedKafka()) {
            EmbeddedKafka kafka = EmbeddedKafka.start(config.dataDir().resolve("kafka"), config.kafkaPort());
            resources.add(kafka);
            bootstrapServers = kafka.bootstrapServers();
        } else {
            bootstrapServers = config.bootstrapServers().orElseThrow();
            kafkaClient = config.kafkaClient();
        }

        int httpPort = config.httpPort() == 0 ? freePort(config.httpHost()) : config.httpPort();
        HostInfo self = new HostInfo(config.advertisedHost(), httpPort);

        Optional<SchemaRegistry> registry = Optional.empty();
        SchemaRegistryClient registryClient;
        if (config.embeddedRegistry()) {
            KafkaSchemaLog schemaLog = new KafkaSchemaLog(bootstrapServers, "_schemas", Map.copyOf(config.kafkaClient()));
            SchemaRegistry embedded = new SchemaRegistry(schemaLog);
            resources.add(embedded);
            embedded.start();
            registry = Optional.of(embedded);
            registryClient = new LocalRegistryClient(embedded);
            registryUrl = "http://" + config.advertisedHost() + ":" + httpPort + "/registry";
        } else {
            registryUrl = config.schemaRegistryUrl().orElseThrow();
            registryClient = new HttpRegistryClient(registryUrl, config.schemaRegistryUserInfo());
        }
        pipelineContext = new PipelineContext(new AvroSerdes(registryClient), meters, config.settings());

        List<Module<?>> enabledModules = selected.stream().<Module<?>>map(module -> Module.of(module, pipelineContext)).toList();
        List<Pipeline> enabled = enabledModules.stream().<Pipeline>map(Module::pipeline).toList();
        try (Admin admin = admin()) {
            List<TopicSpec> topics = new ArrayList<>();
            for (Pipeline pipeline : enabled) {
                topics.addAll(pipeline.topics());
                topics.addAll(pipeline.errorTopics());
            }
            new TopicProvisioner(admin).ensure(topics, config.replicationFactor());
        }

        DeadLetters deadLetters = new DeadLetters(meters);
        StreamsSettings settings = new StreamsSettings(bootstrapServers, config.dataDir().resolve("streams-" + httpPort),
                self.host() + ":" + self.port(), config.replicationFactor(), config.standbyReplicas(), config.streamThreads(),
                config.rocksDbMemoryBytes(), config.commitIntervalMs(), deadLetters, Map.copyOf(config.kafkaClient()));
        Map<String, TopologyDescription> topologies = new java.util.HashMap<>();
        List<PipelineApi.Bound<?>> apis = new ArrayList<>();
        for (Module<?> module : enabledModules) {
            RunningPipeline running = create(module.pipeline(), settings, config.stallTimeout(), topologies);
            pipelines.add(running);
            apis.add(module.bind(running));
        }
        running = enabledModules.stream().<PipelineModule<?>>map(Module::module).toList();

        Map<String, Object> producerConfig = clientConfig();
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "millrace-api-" + httpPort);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        // Bounded: with the broker gone, a close that waits for what is in flight would never return.
        resources.add(new Named("the API's producer", () -> producer.close(CLIENT_CLOSE_TIMEOUT)));
        tokens = new Tokens(config.auth().keys());
        Authentication auth = new Authentication(tokens, self.host() + ":" + self.port());
        QueryRouter router = new QueryRouter(self, Duration.ofSeconds(5), auth::peerToken);
        ApiContext context = new ApiContext(List.copyOf(pipelines), deadLetters, meters, registry, router,
                new EventPublisher(producer), VERSION, started::get,
                new ApiContext.HttpSecurity(auth, config.auth().metricsNeedOperator(), config.auth().corsOrigins()), clientConfig());
        int liveQueue = config.settings().get(LIVE_QUEUE).map(Integer::parseInt).filter(n -> n > 0)
                .orElse(LiveHub.DEFAULT_QUEUE);
        DeadLetterDesk deadLetterDesk = new DeadLetterDesk(clientConfig());
        resources.add(new Named("the dead-letter replays", deadLetterDesk));
        for (Module<?> module : enabledModules) {
            for (AutoCloseable companion : module.companions(clientConfig())) {
                resources.add(new Named(module.module().name() + "'s " + companion.getClass().getSimpleName(), companion));
            }
        }
        List<DashboardPage> pages = enabledModules.stream().map(module -> module.module().dashboard()).toList();
        api = ApiServer.start(config.httpHost(), httpPort, context, apis, liveQueue, new Dashboard(pages, deadLetterDesk));
        resources.add(api);

        pipelines.forEach(p -> p.streams().start());
        watch(deadLetters, topologies);
        connectors(config, enabled, enabledModules);
        log.info("Millrace {} started {} pipeline{} in {} ms", VERSION, pipelines.size(), pipelines.size() == 1 ? "" : "s",
                (System.nanoTime() - began) / 1_000_000);
        log.info("  Kafka:           {}{}", bootstrapServers, config.embeddedKafka() ? " (embedded, data in " + config.dataDir().toAbsolutePath() + ")" : "");
        log.info("  Schema registry: {}", registryUrl);
        log.info("  Dashboard:       http://{}:{}/", config.advertisedHost(), httpPort);
        started.set(true);
    }

    // The embedded worker runs beside an embedded broker; with an external cluster a worker URL may be given.
    private void connectors(PlatformConfig config, List<Pipeline> enabled, List<Module<?>> enabledModules) {
        PlatformConfig.ConnectConfig connect = config.connect();
        Optional<String> workerUrl = connect.workerUrl();
        if (workerUrl.isEmpty() && config.embeddedKafka() && connect.embeddedPort() > 0) {
            EmbeddedConnect worker = EmbeddedConnect.start(bootstrapServers, config.kafkaClient(), config.dataDir().resolve("connect"), connect.embeddedPort());
            resources.add(worker);
            workerUrl = Optional.of(worker.restUrl());
        }
        if (workerUrl.isPresent()) {
            // The embedded registry takes writes from operators and services: connectors that write Avro get a service token,
            // renewed each time the platform starts (a token lives at most Tokens.MAX_TTL).
            Optional<String> registryUserInfo = config.embeddedRegistry()
                    ? Optional.of("connect:" + tokens.issue("connect-worker", Role.SERVICE, Tokens.MAX_TTL))
                    : config.schemaRegistryUserInfo();
            PipelineModule.ConnectWorker worker = new PipelineModule.ConnectWorker(workerUrl.get(), bootstrapServers, registryUrl,
                    registryUserInfo, config.kafkaClient());
            for (Module<?> module : enabledModules) {
                module.connectors(worker).forEach((name, connector) -> new Connectors(worker.restUrl()).put(name, connector));
            }
        }
        List<String> notificationTopics = enabled.stream().flatMap(p -> p.notificationTopics().stream()).toList();
        if (workerUrl.isEmpty() || connect.webhookUrl().isEmpty() || notificationTopics.isEmpty()) {
            return;
        }
        Map<String, String> webhook = new java.util.TreeMap<>(Map.of(
                "connector.class", WebhookSinkConnector.class.getName(),
                "tasks.max", "1",
                "topics", String.join(",", notificationTopics),
                WebhookSinkConfig.URL, connect.webhookUrl().get(),
                WebhookSinkConfig.SECRET, connect.webhookSecret(),
                WebhookSinkConfig.SCHEMA_REGISTRY_URL, registryUrl,
                "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", WEBHOOK_DEAD_LETTERS,
                "errors.deadletterqueue.topic.replication.factor", String.valueOf(config.replicationFactor()),
                "errors.deadletterqueue.context.headers.enable", "true"));
        new Connectors(workerUrl.get()).put("millrace-notifications-webhook", webhook);
    }

    /** Measures every pipeline's lag and progress from the broker, and counts what their dead-letter topics hold. */
    private void watch(DeadLetters deadLetters, Map<String, TopologyDescription> topologies) {
        Admin monitorAdmin = admin();
        resources.add(new Named("the lag monitor's admin client", () -> monitorAdmin.close(CLIENT_CLOSE_TIMEOUT)));
        ProgressMonitor progress = new ProgressMonitor(monitorAdmin, pipelines, topologies, meters);
        resources.add(progress);
        progress.start(PROGRESS_INTERVAL);
        PipelineMetrics pipelineMetrics = new PipelineMetrics(meters, pipelines);
        resources.add(pipelineMetrics);
        pipelineMetrics.start();
        Map<String, String> pipelineByDeadLetterTopic = new java.util.HashMap<>();
        pipelines.forEach(p -> pipelineByDeadLetterTopic.put(p.pipeline().deadLetterTopic(), p.name()));
        DeadLetterTally tally = new DeadLetterTally(clientConfig(), pipelineByDeadLetterTopic, deadLetters);
        resources.add(tally);
        tally.start();
    }

    /** What every Kafka client of the platform connects with. */
    /** What every Kafka client of the platform connects with: the bootstrap servers and the --kafka-config properties. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new java.util.HashMap<>(kafkaClient);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    private RunningPipeline create(Pipeline pipeline, StreamsSettings settings, Duration stallTimeout,
                                   Map<String, TopologyDescription> topologies) {
        BuiltPipeline built = BuiltPipeline.of(pipeline, settings);
        Topology topology = built.topology();
        topologies.put(pipeline.name(), topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, built.properties());
        RestoreProgress restores = new RestoreProgress();
        PipelineHealth health = new PipelineHealth(stallTimeout, System::currentTimeMillis);
        streams.setGlobalStateRestoreListener(restores);
        // Runs on the thread that failed, so it can tell which record that thread was processing.
        streams.setUncaughtExceptionHandler(error -> {
            Optional<PoisonRecords.Coordinates> record = PoisonRecords.processing();
            health.threadFailed(error, record);
            boolean skipped = record.map(r -> built.poison().threadFailedOn(r, error)).orElse(false);
            log.error("{}: stream thread failed{}; replacing it{}", pipeline.name(), record.map(r -> " on record " + r).orElse(""),
                    skipped ? ", which will dead-letter that record" : "", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> log.info("{}: {} -> {}", pipeline.name(), before, now));
        // Leaving the group on close lets a restarted or remaining instance take the partitions at once,
        // instead of waiting out the session timeout of a member that is gone.
        resources.add(new Named("pipeline " + pipeline.name() + " (Kafka Streams)", () -> streams.close(
                CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)))));
        return new RunningPipeline(pipeline, streams, restores, topology.describe(), health, built.poison());
    }

    /** A module with its pipeline built. */
    private record Module<P extends Pipeline>(PipelineModule<P> module, P pipeline) {

        static <P extends Pipeline> Module<P> of(PipelineModule<P> module, PipelineContext context) {
            P pipeline = module.pipeline(context);
            if (!pipeline.name().equals(module.name())) {
                throw new IllegalStateException("Pipeline module '" + module.name() + "' builds a pipeline named '" + pipeline.name() + "'");
            }
            return new Module<>(module, pipeline);
        }

        List<AutoCloseable> companions(Map<String, Object> kafkaClient) {
            return module.companions(pipeline, kafkaClient);
        }

        Map<String, Map<String, String>> connectors(PipelineModule.ConnectWorker worker) {
            return module.connectors(pipeline, worker);
        }

        PipelineApi.Bound<P> bind(RunningPipeline running) {
            return new PipelineApi.Bound<>(module.api(), pipeline, running);
        }
    }

    /** The simulators of the pipelines running here, bound to this instance's registry (for --demo). */
    public List<Simulator> simulators() {
        return running.stream().map(module -> module.simulator(pipelineContext)).toList();
    }

    /** Issues and checks this platform's tokens (its keys): for the demo's tokens, and for tests. */
    public Tokens tokens() {
        return tokens;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public PipelineContext pipelineContext() {
        return pipelineContext;
    }

    public int httpPort() {
        return api.port();
    }

    public List<RunningPipeline> pipelines() {
        return List.copyOf(pipelines);
    }

    /** Whether every pipeline of this instance is RUNNING. */
    public boolean allRunning() {
        return pipelines.stream().allMatch(RunningPipeline::isRunning);
    }

    /** Waits until every pipeline is RUNNING; past {@code timeout}, fails naming each pipeline's state (for the benchmarks). */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allRunning()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Pipelines not RUNNING within " + timeout.toSeconds() + " s: "
                        + pipelines.stream().map(p -> p.name() + "=" + p.streams().state()).toList());
            }
            Thread.sleep(100);
        }
    }

    public Admin admin() {
        return Admin.create(clientConfig());
    }

    /** What {@link #close()} is stopping right now (null when it is not), for a shutdown that takes too long to say so. */
    public Optional<String> closing() {
        return Optional.ofNullable(closing);
    }

    private static String describe(AutoCloseable resource) {
        return resource instanceof Named named ? named.name() : resource.getClass().getSimpleName();
    }

    /** A resource closed by a lambda, with the name a slow or stuck shutdown reports. */
    private record Named(String name, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            resource.close();
        }
    }

    @Override
    public void close() {
        // Streams close before the API and the broker, so that they commit and flush their state cleanly.
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        java.util.Collections.reverse(reversed);
        for (AutoCloseable resource : reversed) {
            closing = describe(resource);
            long began = System.nanoTime();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Error while stopping {}: {}", closing, e.toString());
            }
            long millis = (System.nanoTime() - began) / 1_000_000;
            if (millis > SLOW_CLOSE.toMillis()) {
                log.warn("Stopping {} took {} ms", closing, millis);
            }
        }
        closing = null;
        resources.clear();
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port on " + host, e);
        }
    }
}
