package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
        PlatformConfig config = new PlatformConfig(dataDir, "127.0.0.1", httpPort, "localhost", Optional.of(bootstrapServers),
                Optional.empty(), 0, 1, 0, 1, 64L * 1024 * 1024, 100, List.of(pipelines), PlatformConfig.ConnectConfig.none(),
                STALL_TIMEOUT, Settings.fromProcess());
        return Platform.start(config, modules);
    }

    /** Waits until every pipeline of the instance is RUNNING. */
    public static void awaitRunning(Platform platform, Duration timeout) {
        await("pipelines RUNNING").atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(platform.pipelines())
                        .as("pipelines RUNNING: %s", platform.pipelines().stream().map(p -> p.name() + "=" + p.streams().state()).toList())
                        .allMatch(RunningPipeline::isRunning));
    }

    public static HttpResponse<String> get(Platform platform, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(platform, path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> post(Platform platform, String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(platform, path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> put(Platform platform, String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(platform, path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls GET {@code path} until the response satisfies {@code condition}; returns that response. */
    public static HttpResponse<String> awaitGet(Platform platform, String path, Predicate<HttpResponse<String>> condition,
                                                Duration timeout) {
        AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
        await("GET " + path).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            HttpResponse<String> response = get(platform, path);
            answer.set(response);
            assertThat(condition.test(response)).as("GET %s answered %d %s", path, response.statusCode(), response.body()).isTrue();
        });
        return answer.get();
    }

    private static URI uri(Platform platform, String path) {
        return URI.create("http://localhost:" + platform.httpPort() + path);
    }
}
