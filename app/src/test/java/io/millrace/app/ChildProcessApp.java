package io.millrace.app;

import static org.awaitility.Awaitility.await;

import io.millrace.api.auth.AuthKeys;
import io.millrace.api.auth.Role;
import io.millrace.api.auth.Tokens;
import io.millrace.app.auth.AuthKeyStore;
import io.millrace.topology.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/** Millrace started the way a user starts it, `millrace run`, in a child JVM, stopped with SIGTERM like Ctrl-C. */
final class ChildProcessApp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path log;
    private final Path dataDir;
    final int httpPort;

    private ChildProcessApp(Process process, Path log, Path dataDir, int httpPort) {
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
        this.httpPort = httpPort;
    }

    static ChildProcessApp start(Path dataDir, int httpPort, int kafkaPort, String... extraArgs) throws IOException {
        return start(dataDir, httpPort, kafkaPort, Map.of(), extraArgs);
    }

    /** The same with environment variables of its own (keys, log level), as a user's shell would set them. */
    static ChildProcessApp start(Path dataDir, int httpPort, int kafkaPort, Map<String, String> environment, String... extraArgs)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "io.millrace.app.cli.Millrace", "run",
                "--data-dir", dataDir.toString(), "--port", String.valueOf(httpPort), "--kafka-port", String.valueOf(kafkaPort),
                "--connect-port", String.valueOf(freePort())));
        command.addAll(List.of(extraArgs));
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + httpPort + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new ChildProcessApp(process, log, dataDir, httpPort);
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

    /**
     * A token this instance accepts, signed as {@code millrace token --data-dir <its data dir>} signs it: with the key the
     * instance generated in its data directory on first start.
     */
    String token(String subject, Role role) {
        AuthKeys keys = AuthKeyStore.existing(Settings.none(), Optional.empty(), dataDir)
                .orElseThrow(() -> new AssertionError("no auth key in " + dataDir + " yet"));
        return new Tokens(keys).issue(subject, role, Duration.ofHours(1));
    }

    /** GET as an operator (/ready and /health need no token; it is sent anyway). */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, Files.exists(dataDir.resolve("auth.key")) ? Optional.of(token("test-operator", Role.OPERATOR)) : Optional.empty());
    }

    HttpResponse<String> get(String path, Optional<String> bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path)).timeout(Duration.ofSeconds(10));
        bearer.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST as a service (what registry clients and producers of authorizations are). */
    HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return post(path, token("test-service", Role.SERVICE), contentType, body);
    }

    /** POST as the user {@code user}. */
    HttpResponse<String> postAs(String user, String path, String contentType, String body) throws IOException, InterruptedException {
        return post(path, token(user, Role.USER), contentType, body);
    }

    private HttpResponse<String> post(String path, String bearer, String contentType, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String output() throws IOException {
        return java.nio.file.Files.readString(log);
    }

    /** SIGTERM, as Ctrl-C would; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
            // What it is stuck on (the platform itself gives up after 75 s and says on what), for whoever reads the failure: its threads, and the end of its log
            String threads = threadDump();
            process.destroyForcibly();
            String output = "";
            try {
                output = output();
            } catch (IOException unreadable) {
                output = unreadable.toString();
            }
            throw new AssertionError("millrace did not stop within 90 s of SIGTERM; its last log lines:\n"
                    + output.substring(Math.max(0, output.length() - 6_000)) + "\nits threads:\n" + threads);
        }
        return process.exitValue();
    }

    private String threadDump() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            return dump;
        } catch (IOException | InterruptedException e) {
            return "no thread dump: " + e;
        }
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
