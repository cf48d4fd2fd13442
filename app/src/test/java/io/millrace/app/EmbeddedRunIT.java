package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

        try (ChildProcessApp again = ChildProcessApp.start(dataDir, freePort(), kafkaPort)) {
            Duration ready = again.awaitReady(Duration.ofSeconds(120));
            System.out.printf("start-to-ready (restart): %d ms%n", ready.toMillis());
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

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
