package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `millrace run` with no configuration, as a user runs it: embedded broker, registry, pipelines, HTTP; then a restart. */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EmbeddedRunIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGISTRY_JSON = "application/vnd.schemaregistry.v1+json";
    private static final String ORDER_V1 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final String ORDER_V2 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"total\",\"type\":\"long\",\"default\":0}]}";
    private static final String ORDER_INCOMPATIBLE = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"owner\",\"type\":\"string\"}]}";

    @TempDir
    Path workDir;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void startsReadyServesTheRegistryAndKeepsSchemasAndTopicsAcrossARestart() throws Exception {
        Path dataDir = workDir.resolve("data");
        int kafkaPort = freePort();
        int v1Id;
        int v2Id;
        try (ChildProcessApp app = ChildProcessApp.start(dataDir, freePort(), kafkaPort)) {
            Duration ready = app.awaitReady(Duration.ofSeconds(120));
            System.out.printf("start-to-ready (cold): %d ms%n", ready.toMillis());
            assertThat(app.output()).contains("Kafka broker (1 node) ready").contains("Schema registry: http://localhost:" + app.httpPort + "/registry");

            assertThat(json(app.get("/registry/subjects"), 200).isArray()).isTrue();
            v1Id = json(app.post("/registry/subjects/orders-value/versions", REGISTRY_JSON, schemaBody(ORDER_V1)), 200).get("id").asInt();
            v2Id = json(app.post("/registry/subjects/orders-value/versions", REGISTRY_JSON, schemaBody(ORDER_V2)), 200).get("id").asInt();
            JsonNode incompatible = json(app.post("/registry/subjects/orders-value/versions", REGISTRY_JSON, schemaBody(ORDER_INCOMPATIBLE)), 409);
            assertThat(incompatible.get("error_code").asInt()).isEqualTo(409);
            assertThat(v2Id).isNotEqualTo(v1Id);

            assertThat(json(app.get("/health"), 200).get("status").asText()).isEqualTo("UP");
            assertThat(json(app.get("/no/such/thing"), 404).get("error").asText()).isEqualTo("not_found");
            assertThat(app.get("/metrics").body()).contains("jvm_memory_used_bytes");
            assertThat(app.stop()).as("exit code after SIGTERM").isIn(0, 130, 143);
            assertThat(app.output()).doesNotContain("Exception in thread");
        }

        try (ChildProcessApp again = ChildProcessApp.start(dataDir, freePort(), kafkaPort, "--demo")) {
            Duration ready = again.awaitReady(Duration.ofSeconds(120));
            System.out.printf("start-to-ready (restart): %d ms%n", ready.toMillis());
            assertThat(again.output()).contains("Tokens are signed with the development key " + dataDir.resolve("auth.key"));

            // The demo's sign-in link, as the terminal shows it, opens the dashboard as an operator
            Matcher link = Pattern.compile("Dashboard \\(signs you in as an operator\\): (\\S+)")
                    .matcher(again.output());
            assertThat(link.find()).as(again.output()).isTrue();
            String login = link.group(1).replace("http://localhost:" + again.httpPort, "");
            HttpResponse<String> signedIn = again.get(login, Optional.empty());
            assertThat(signedIn.statusCode()).isEqualTo(302);
            String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).startsWith("millrace_session=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
            HttpResponse<String> stats = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + again.httpPort + "/api/dashboard/stats")).header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stats.statusCode()).isEqualTo(200);
            assertThat(again.get("/api/dashboard/stats", Optional.empty()).statusCode()).as("without the cookie").isEqualTo(401);

            // `millrace token` with the same data directory signs a token this platform accepts
            String token = millraceToken("--user", "u0", "--data-dir", dataDir.toString());
            assertThat(again.get("/api/messenger/users/u0/presence", Optional.of(token)).statusCode()).isIn(200, 404);
            assertThat(again.get("/api/messenger/users/u1/presence", Optional.of(token)).statusCode()).isEqualTo(403);
            assertThat(again.get("/api/pipelines", Optional.of(millraceToken("--user", "ops", "--role", "operator",
                    "--data-dir", dataDir.toString()))).statusCode()).isEqualTo(200);
            JsonNode latest = json(again.get("/registry/subjects/orders-value/versions/latest"), 200);
            assertThat(latest.get("version").asInt()).isEqualTo(2);
            assertThat(latest.get("id").asInt()).isEqualTo(v2Id);
            assertThat(json(again.get("/registry/schemas/ids/" + v1Id), 200).get("schema").asText()).contains("\"Order\"");
            JsonNode sameAgain = json(again.post("/registry/subjects/orders-value/versions", REGISTRY_JSON, schemaBody(ORDER_V1)), 200);
            assertThat(sameAgain.get("id").asInt()).as("re-registering returns the id from before the restart").isEqualTo(v1Id);
        }
    }

    private static String schemaBody(String schema) throws Exception {
        return JSON.writeValueAsString(java.util.Map.of("schema", schema));
    }

    private static JsonNode json(HttpResponse<String> response, int expectedStatus) throws Exception {
        assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    /** Runs `millrace token ...` as a user would, and returns what it printed. */
    private static String millraceToken(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "io.millrace.app.cli.Millrace", "token"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return printed;
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
