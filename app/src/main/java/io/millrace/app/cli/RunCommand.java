package io.millrace.app.cli;

import io.millrace.api.auth.Role;
import io.millrace.api.auth.Tokens;
import io.millrace.app.PipelineModules;
import io.millrace.app.search.SearchDemo;
import io.millrace.app.Platform;
import io.millrace.app.PlatformConfig;
import io.millrace.app.auth.AuthKeyStore;
import io.millrace.bench.simulate.DemoTraffic;
import io.millrace.topology.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code millrace run}: the whole platform in this process until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the platform. With no options: embedded Kafka under ./data, every pipeline, HTTP on :7070.")
public final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** Two of the messenger simulator's most active users. */
    private static final List<String> DEMO_USERS = List.of("u0", "u1");
    /** How long a stop may take before the process ends regardless. */
    static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(75);

    @Option(names = "--demo", description = "Also run every pipeline's simulator at a gentle rate so the dashboard is alive.")
    boolean demo;

    @Option(names = "--port", defaultValue = "${env:MILLRACE_PORT:-7070}", description = "HTTP port (env MILLRACE_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "${env:MILLRACE_HOST:-127.0.0.1}",
            description = "Interface the HTTP server binds to (env MILLRACE_HOST, default ${DEFAULT-VALUE}; 0.0.0.0 in containers).")
    String host;

    @Option(names = "--advertised-host", defaultValue = "${env:MILLRACE_ADVERTISED_HOST:-localhost}",
            description = "Host name other instances use to reach this one for forwarded queries (env MILLRACE_ADVERTISED_HOST, default ${DEFAULT-VALUE}).")
    String advertisedHost;

    @Option(names = "--data-dir", defaultValue = "${env:MILLRACE_DATA_DIR:-data}",
            description = "Where the embedded broker and the state stores keep their data (env MILLRACE_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "${env:MILLRACE_KAFKA_PORT:-9092}",
            description = "Port of the embedded broker (env MILLRACE_KAFKA_PORT, default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--replication-factor", defaultValue = "${env:MILLRACE_REPLICATION_FACTOR}",
            description = "Replication of the topics the platform creates (env MILLRACE_REPLICATION_FACTOR; default 1 embedded, 3 external).")
    Integer replicationFactor;

    @Option(names = "--standby-replicas", defaultValue = "${env:MILLRACE_STANDBY_REPLICAS}",
            description = "Standby copies of each store on other instances (env MILLRACE_STANDBY_REPLICAS; default 0 embedded, 1 external).")
    Integer standbyReplicas;

    @Option(names = "--stream-threads", defaultValue = "${env:MILLRACE_STREAM_THREADS:-1}",
            description = "Stream threads per pipeline (env MILLRACE_STREAM_THREADS, default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--rocksdb-memory-mb", defaultValue = "${env:MILLRACE_ROCKSDB_MEMORY_MB:-1024}",
            description = "Off-heap budget shared by all RocksDB stores (env MILLRACE_ROCKSDB_MEMORY_MB, default ${DEFAULT-VALUE}).")
    long rocksDbMemoryMb;

    @Option(names = "--commit-interval-ms", defaultValue = "${env:MILLRACE_COMMIT_INTERVAL_MS:-1000}",
            description = "How often pipelines commit (env MILLRACE_COMMIT_INTERVAL_MS, default ${DEFAULT-VALUE}; exactly-once pipelines use 100).")
    long commitIntervalMs;

    @Option(names = "--pipelines", defaultValue = "${env:MILLRACE_PIPELINES}", split = ",",
            description = "Only these pipelines, comma-separated (env MILLRACE_PIPELINES; default all).")
    List<String> pipelines;

    @Option(names = "--connect-port", defaultValue = "${env:MILLRACE_CONNECT_PORT:-8083}",
            description = "REST port of the embedded Kafka Connect worker (env MILLRACE_CONNECT_PORT, default ${DEFAULT-VALUE}; 0 = no worker).")
    int connectPort;

    @Option(names = "--connect-url", defaultValue = "${env:MILLRACE_CONNECT_URL}",
            description = "An external Kafka Connect worker to create the connectors on (env MILLRACE_CONNECT_URL).")
    String connectUrl;

    @Option(names = "--webhook-url", defaultValue = "${env:MILLRACE_WEBHOOK_URL}",
            description = "Where notifications are POSTed by the webhook sink connector (env MILLRACE_WEBHOOK_URL; unset = no webhook).")
    String webhookUrl;

    @Option(names = "--webhook-secret", defaultValue = "${env:MILLRACE_WEBHOOK_SECRET:-}",
            description = "Key of the webhook's HMAC-SHA256 signature header (env MILLRACE_WEBHOOK_SECRET).")
    String webhookSecret;

    @Option(names = "--stall-timeout", defaultValue = "${env:MILLRACE_STALL_TIMEOUT:-60}",
            description = "Seconds a pipeline may make no progress while records wait before /health reports it DEGRADED "
                    + "(env MILLRACE_STALL_TIMEOUT, default ${DEFAULT-VALUE}).")
    long stallTimeoutSeconds;

    @Option(names = "--auth-key-file", defaultValue = "${env:MILLRACE_AUTH_KEY_FILE}",
            description = "File of base64 token keys, one per line, the first signing (env MILLRACE_AUTH_KEY_FILE); "
                    + "MILLRACE_AUTH_KEY wins over it; without either, a development key under the data directory.")
    Path authKeyFile;

    @Option(names = "--metrics-auth", defaultValue = "${env:MILLRACE_METRICS_AUTH:-false}",
            description = "Make /metrics operator-only (env MILLRACE_METRICS_AUTH, default ${DEFAULT-VALUE}: open to Prometheus).")
    boolean metricsAuth;

    @Option(names = "--cors-origins", defaultValue = "${env:MILLRACE_CORS_ORIGINS}", split = ",",
            description = "Origins browsers may call the API from, comma-separated (env MILLRACE_CORS_ORIGINS; default none).")
    List<String> corsOrigins;

    @picocli.CommandLine.Mixin
    ConnectionOptions connection;

    /**
     * The demo's way in, printed to the terminal (never to the log): an operator token with the dashboard link that signs
     * in with it, and tokens of two of the simulated users, who have inboxes to read.
     */
    private static void printDemoAccess(Tokens tokens, String base) {
        Duration day = Duration.ofHours(12);
        String operator = tokens.issue("demo-operator", Role.OPERATOR, day);
        System.out.println();
        System.out.println("  Dashboard (signs you in as an operator): " + base + "/login?token=" + operator);
        System.out.println("  Operator token:  " + operator);
        for (String user : DEMO_USERS) {
            System.out.println("  Token of " + user + ": " + tokens.issue(user, Role.USER, day)
                    + "   (e.g. curl -H 'Authorization: Bearer …' " + base + "/api/messenger/users/" + user + "/inbox)");
        }
        System.out.println("  More: millrace token --user <id> [--role operator|service] [--ttl 1h]");
        System.out.println();
    }

    private static Optional<String> blankToEmpty(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    @Override
    public Integer call() throws Exception {
        boolean external = connection.bootstrap().isPresent();
        Settings settings = Settings.fromProcess();
        AuthKeyStore.Loaded keys = AuthKeyStore.load(settings, Optional.ofNullable(authKeyFile), dataDir);
        log.info("Tokens are signed with the {}{}", keys.source(), keys.generated()
                ? "; `millrace token --user <id>` with the same --data-dir signs tokens this platform accepts" : "");
        PlatformConfig.Builder config = PlatformConfig.embedded(dataDir)
                .http(host, port, advertisedHost)
                .kafkaPort(kafkaPort)
                .schemaRegistryUrl(connection.registry())
                .replication(Optional.ofNullable(replicationFactor).orElse(external ? 3 : 1),
                        Optional.ofNullable(standbyReplicas).orElse(external ? 1 : 0))
                .streamThreads(streamThreads)
                .rocksDbMemoryBytes(rocksDbMemoryMb * 1024 * 1024)
                .commitIntervalMs(commitIntervalMs)
                .pipelines(pipelines == null ? List.of() : pipelines.stream().flatMap(p -> Arrays.stream(p.split(","))).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList())
                .connect(new PlatformConfig.ConnectConfig(connectPort, blankToEmpty(connectUrl), blankToEmpty(webhookUrl), webhookSecret))
                .stallTimeout(Duration.ofSeconds(stallTimeoutSeconds))
                .settings(settings)
                .auth(new PlatformConfig.AuthConfig(keys.keys(), metricsAuth, corsOrigins == null ? List.of()
                        : corsOrigins.stream().map(String::trim).filter(o -> !o.isEmpty()).toList()))
                .kafkaClient(connection.kafkaClient())
                .schemaRegistryUserInfo(connection.registryUserInfo());
        connection.bootstrap().ifPresent(config::bootstrapServers);
        Platform platform = Platform.start(config.build(), PipelineModules.discover());
        DemoTraffic demoTraffic = null;
        Optional<SearchDemo> searchDemo = Optional.empty();
        if (demo) {
            demoTraffic = DemoTraffic.start(platform.simulators(), platform.clientConfig());
            searchDemo = SearchDemo.start(platform, settings);
            printDemoAccess(platform.tokens(), "http://" + advertisedHost + ":" + platform.httpPort());
        }
        DemoTraffic running = demoTraffic;
        Optional<SearchDemo> crawled = searchDemo;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Millrace…");
            // Ctrl-C always stops it: a part that does not stop within the deadline is named, and the process ends anyway.
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_DEADLINE.toMillis());
                } catch (InterruptedException stoppedInTime) {
                    return;
                }
                // Printed, not logged: the logging system may have stopped with the other shutdown hooks.
                System.err.printf("Millrace did not stop within %d s (still stopping %s); exiting without it%n",
                        SHUTDOWN_DEADLINE.toSeconds(), platform.closing().orElse("nothing it knows of"));
                Runtime.getRuntime().halt(1);
            }, "millrace-shutdown-deadline");
            watchdog.setDaemon(true);
            watchdog.start();
            if (running != null) {
                running.close();
            }
            crawled.ifPresent(SearchDemo::close);
            platform.close();
            watchdog.interrupt();
            stopped.countDown();
        }, "millrace-shutdown"));
        stopped.await();
        return 0;
    }
}
