package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millrace.api.auth.Role;
import io.millrace.api.auth.Tokens;
import io.millrace.app.broker.EmbeddedKafka;
import io.millrace.topology.Settings;
import io.millrace.topology.runtime.RunningPipeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Integration-test support: one embedded broker for the whole test JVM, and platform instances
 * started against it (port chosen freely, own state dir) with the pipelines a test names.
 */
public final class TestPlatform {

    /** Short, so that a test sees a stuck pipeline reported within seconds. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(10);

    /** One signing key for every test instance of this JVM: tests' tokens work on all of them, and they accept each other's peer tokens. */
    static final PlatformConfig.AuthConfig AUTH = PlatformConfig.AuthConfig.ephemeral();
    private static final Tokens TOKENS = new Tokens(AUTH.keys());

    private static EmbeddedKafka kafka;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        // A stream thread that dies on purpose in a test ends with an uncaught error; that is for the platform to handle,
        // not a failure of the waiting test.
        org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    private TestPlatform() {
    }

    /** The broker shared by every integration test of this JVM; started on first use, stopped at exit. */
    public static synchronized String bootstrapServers() {
        if (kafka == null) {
            try {
                Path dir = Files.createTempDirectory("millrace-it-kafka");
                kafka = EmbeddedKafka.start(dir, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return kafka.bootstrapServers();
    }

    /** A platform instance running only {@code pipelines} against the shared broker, with the embedded registry. */
    public static Platform start(String... pipelines) {
        return start(PipelineModules.discover(), pipelines);
    }

    /** The same with other modules, for tests of the platform's own mechanisms with a fixture pipeline ({@link FixtureModule}). */
    public static Platform start(List<PipelineModule<?>> modules, String... pipelines) {
        try {
            return startOn(bootstrapServers(), Files.createTempDirectory("millrace-it-app"), modules, pipelines);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An instance against a given broker with a given data directory: for tests that restart an instance on the same
     * state, or that must not leave junk in the shared broker's topics.
     */
    public static Platform startOn(String bootstrapServers, Path dataDir, List<PipelineModule<?>> modules, String... pipelines) {
        return startOn(bootstrapServers, dataDir, 0, modules, pipelines);
    }

    /**
     * The same on a given HTTP port: the state directory is named after the port, so a restart on the same port finds the
     * stores the previous instance left (0 picks a free port, and so a fresh state directory).
     */
    public static Platform startOn(String bootstrapServers, Path dataDir, int httpPort, List<PipelineModule<?>> modules,
                                   String... pipelines) {
        return Platform.start(config(bootstrapServers, dataDir, pipelines).http("127.0.0.1", httpPort, "localhost").build(), modules);
    }

    /**
     * The configuration every test instance starts from: the given broker, a free HTTP port, small memory, a short commit
     * interval and stall timeout, and the tests' signing key. Tests change what they need and build.
     */
    public static PlatformConfig.Builder config(String bootstrapServers, Path dataDir, String... pipelines) {
        return PlatformConfig.embedded(dataDir)
                .http("127.0.0.1", 0, "localhost")
                .bootstrapServers(bootstrapServers)
                .kafkaPort(0)
                .replication(1, 0)
                .rocksDbMemoryBytes(512L * 1024 * 1024)
                .commitIntervalMs(100)
                .pipelines(List.of(pipelines))
                .stallTimeout(STALL_TIMEOUT)
                .settings(Settings.fromProcess())
                .auth(AUTH);
    }

    /** A token signed with the tests' key, which every test instance accepts. */
    public static String token(String subject, Role role) {
        return TOKENS.issue(subject, role, Duration.ofHours(2));
    }

    /** Calls as the user {@code user}: what a user's own client would send. */
    public static Client as(Platform platform, String user) {
        return new Client(platform, Optional.of(token(user, Role.USER)));
    }

    /** Calls as an operator: what the operators' tools and the dashboard send. The plain get/post/put below do this. */
    public static Client operator(Platform platform) {
        return new Client(platform, Optional.of(token("test-operator", Role.OPERATOR)));
    }

    /** Calls as a service (a producer of authorizations, a registry client). */
    public static Client service(Platform platform) {
        return new Client(platform, Optional.of(token("test-service", Role.SERVICE)));
    }

    /** Calls without any credential. */
    public static Client anonymous(Platform platform) {
        return new Client(platform, Optional.empty());
    }

    /** Waits until every pipeline of the instance is RUNNING. */
    public static void awaitRunning(Platform platform, Duration timeout) {
        await("pipelines RUNNING").atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(platform.pipelines())
                        .as("pipelines RUNNING: %s", platform.pipelines().stream().map(p -> p.name() + "=" + p.streams().state()).toList())
                        .allMatch(RunningPipeline::isRunning));
    }

    /** GET as an operator. */
    public static HttpResponse<String> get(Platform platform, String path) throws IOException, InterruptedException {
        return operator(platform).get(path);
    }

    /** POST as an operator. */
    public static HttpResponse<String> post(Platform platform, String path, String json) throws IOException, InterruptedException {
        return operator(platform).post(path, json);
    }

    /** PUT as an operator. */
    public static HttpResponse<String> put(Platform platform, String path, String json) throws IOException, InterruptedException {
        return operator(platform).put(path, json);
    }

    /** Polls GET {@code path} as an operator until the response satisfies {@code condition}; returns that response. */
    public static HttpResponse<String> awaitGet(Platform platform, String path, Predicate<HttpResponse<String>> condition,
                                                Duration timeout) {
        return operator(platform).awaitGet(path, condition, timeout);
    }

    /** HTTP calls to one instance with one credential (or none). */
    public static final class Client {
        private final Platform platform;
        private final Optional<String> bearer;

        private Client(Platform platform, Optional<String> bearer) {
            this.platform = platform;
            this.bearer = bearer;
        }

        public HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return send(request(path).GET());
        }

        public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
            return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        public HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
            return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
        }

        public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
            return send(request(path).DELETE());
        }

        /** Polls GET {@code path} until the response satisfies {@code condition}; returns that response. */
        public HttpResponse<String> awaitGet(String path, Predicate<HttpResponse<String>> condition, Duration timeout) {
            AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
            await("GET " + path).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                HttpResponse<String> response = get(path);
                answer.set(response);
                assertThat(condition.test(response)).as("GET %s answered %d %s", path, response.statusCode(), response.body()).isTrue();
            });
            return answer.get();
        }

        /** The request with this client's credential, for tests that add headers of their own. */
        public HttpRequest.Builder request(String path) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(platform, path)).timeout(Duration.ofSeconds(10));
            bearer.ifPresent(token -> request.header("Authorization", "Bearer " + token));
            return request;
        }

        public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    static URI uri(Platform platform, String path) {
        return URI.create("http://localhost:" + platform.httpPort() + path);
    }
}
