package io.millrace.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/** Millrace started the way a user starts it, `millrace run`, in a child JVM, stopped with SIGTERM like Ctrl-C. */
final class ChildProcessApp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path log;
    final int httpPort;

    private ChildProcessApp(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    static ChildProcessApp start(Path dataDir, int httpPort, int kafkaPort, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.millrace.app.cli.Millrace", "run",
                "--data-dir", dataDir.toString(), "--port", String.valueOf(httpPort), "--kafka-port", String.valueOf(kafkaPort),
                "--connect-port", String.valueOf(freePort())));
        command.addAll(List.of(extraArgs));
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + httpPort + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildProcessApp(process, log, httpPort);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Polls /ready until it answers 200; returns how long that took. Fails at once if the process exits. */
    Duration awaitReady(Duration timeout) throws IOException {
        long start = System.nanoTime();
        try {
            await("millrace /ready").atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    // the HTTP server starts after the broker and the registry: until then it is not listening
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .failFast("millrace exited", () -> !process.isAlive())
                    .until(() -> get("/ready").statusCode() == 200);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + (process.isAlive() ? "" : " with " + process.exitValue()) + ":\n" + output(), e);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String output() throws IOException {
        return java.nio.file.Files.readString(log);
    }

    /** SIGTERM, as Ctrl-C would; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("millrace did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: the process gets no chance to commit, flush or leave its group, as in a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("millrace did not die within 30 s of SIGKILL");
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
    }
}
