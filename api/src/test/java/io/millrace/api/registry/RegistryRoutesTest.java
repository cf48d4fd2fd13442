package io.millrace.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.millrace.api.ApiContext;
import io.millrace.api.ApiServer;
import io.millrace.api.EventPublisher;
import io.millrace.api.TestTokens;
import io.millrace.api.auth.Role;
import io.millrace.api.iq.QueryRouter;
import io.millrace.schemas.registry.InMemorySchemaLog;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.topology.runtime.DeadLetters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry's REST API as a Confluent client meets it: its answers, and its errors in Confluent's shape. */
class RegistryRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ORDER = """
            {"type": "record", "name": "Order", "namespace": "shop", "fields": [{"name": "orderId", "type": "string"}]}
            """;

    private SchemaRegistry registry;
    private ApiServer api;

    @BeforeEach
    void start() {
        registry = new SchemaRegistry(new InMemorySchemaLog());
        registry.start();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ApiContext context = new ApiContext(List.of(), new DeadLetters(meters), meters, Optional.of(registry),
                new QueryRouter(new HostInfo("localhost", 0), Duration.ofSeconds(1), () -> ""),
                new EventPublisher(new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer())),
                "test", () -> true, ApiContext.HttpSecurity.of(TestTokens.TOKENS, "localhost:0"), java.util.Map.of());
        api = ApiServer.start("127.0.0.1", 0, context, List.of());
    }

    @AfterEach
    void stop() {
        api.close();
        registry.close();
    }

    @Test
    void aBodyThatIsNotJsonIs400InConfluentsShape() throws Exception {
        HttpResponse<String> response = send("POST", "/registry/subjects/orders-value/versions", "schema=" + ORDER);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/vnd.schemaregistry.v1+json"));
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error_code").asInt()).isEqualTo(400);
        assertThat(error.get("message").asText()).startsWith("The body is not valid JSON");
        assertThat(error.get("detail").asText()).isEqualTo(error.get("message").asText());
    }

    @Test
    void aSchemaThatIsNotJsonIs42201InWordsNotJava() throws Exception {
        JsonNode error = error(send("POST", "/registry/subjects/orders-value/versions", body("not json")), 422, 42201);

        assertThat(error.get("message").asText()).startsWith("Invalid schema: the schema is not valid JSON")
                .doesNotContain("com.fasterxml").doesNotContain("org.apache").doesNotContain("Exception");
    }

    @Test
    void anEmptyUnionIs42201() throws Exception {
        error(send("POST", "/registry/subjects/orders-value/versions", body("[]")), 422, 42201);
    }

    @Test
    void aSubjectWithALineBreakIs42208() throws Exception {
        error(send("POST", "/registry/subjects/orders%0D%0A-value/versions", body(ORDER)), 422, 42208);

        assertThat(JSON.readTree(send("GET", "/registry/subjects", null).body())).isEmpty();
    }

    @Test
    void schemaReferencesAre42201() throws Exception {
        String withReference = JSON.writeValueAsString(Map.of("schema", ORDER,
                "references", List.of(Map.of("name", "shop.Address", "subject", "address-value", "version", 1))));

        JsonNode error = error(send("POST", "/registry/subjects/orders-value/versions", withReference), 422, 42201);

        assertThat(error.get("message").asText()).contains("schema references are not supported");
    }

    @Test
    void aLevelWithATrailingSpaceOrInLowerCaseIs42203() throws Exception {
        error(send("PUT", "/registry/config", "{\"compatibility\": \"NONE \"}"), 422, 42203);
        error(send("PUT", "/registry/config", "{\"compatibility\": \"backward\"}"), 422, 42203);

        HttpResponse<String> exact = send("PUT", "/registry/config", "{\"compatibility\": \"BACKWARD\"}");

        assertThat(exact.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(exact.body()).get("compatibility").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void softDeleteHidesTheSubjectAndKeepsItsIdThenPermanentDeleteRemovesBoth() throws Exception {
        int id = JSON.readTree(send("POST", "/registry/subjects/orders-value/versions", body(ORDER)).body()).get("id").asInt();

        assertThat(JSON.readTree(send("DELETE", "/registry/subjects/orders-value", null).body())).containsExactly(JSON.readTree("1"));
        assertThat(JSON.readTree(send("GET", "/registry/subjects", null).body())).isEmpty();
        assertThat(JSON.readTree(send("GET", "/registry/subjects?deleted=true", null).body()).get(0).asText()).isEqualTo("orders-value");
        error(send("GET", "/registry/subjects/orders-value/versions/1", null), 404, 40401);
        assertThat(send("GET", "/registry/schemas/ids/" + id, null).statusCode()).isEqualTo(200);

        assertThat(send("DELETE", "/registry/subjects/orders-value?permanent=true", null).statusCode()).isEqualTo(200);

        error(send("GET", "/registry/schemas/ids/" + id, null), 404, 40403);
    }

    @Test
    void aPermanentDeleteWithoutASoftOneFirstIs40405() throws Exception {
        send("POST", "/registry/subjects/orders-value/versions", body(ORDER));

        error(send("DELETE", "/registry/subjects/orders-value?permanent=true", null), 404, 40405);
    }

    @Test
    void deletesOneVersionAndAnswersItsNumber() throws Exception {
        send("POST", "/registry/subjects/orders-value/versions", body(ORDER));

        HttpResponse<String> deleted = send("DELETE", "/registry/subjects/orders-value/versions/latest", null);

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("1");
        error(send("DELETE", "/registry/subjects/orders-value/versions/1", null), 404, 40406);
    }

    @Test
    void aPermanentFlagThatIsNeitherTrueNorFalseIs400() throws Exception {
        send("POST", "/registry/subjects/orders-value/versions", body(ORDER));

        error(send("DELETE", "/registry/subjects/orders-value?permanent=yes", null), 400, 400);
        assertThat(registry.subjects()).containsExactly("orders-value");
    }

    @Test
    void aSchemaIdThatIsNotANumberIs400InConfluentsShape() throws Exception {
        error(send("GET", "/registry/schemas/ids/one", null), 400, 400);
    }

    @Test
    void theOpenApiDocumentDescribesTheDeletes() throws Exception {
        JsonNode document = JSON.readTree(send("GET", "/openapi.json", null).body());

        JsonNode deleteSubject = document.at("/paths/~1registry~1subjects~1{subject}/delete");
        assertThat(deleteSubject.at("/parameters/1/name").asText()).isEqualTo("permanent");
        assertThat(deleteSubject.at("/responses/200/content/application~1json/schema/type").asText()).isEqualTo("array");
        assertThat(document.at("/paths/~1registry~1subjects~1{subject}~1versions~1{version}/delete/responses/404").isMissingNode()).isFalse();
        assertThat(document.at("/paths/~1registry~1subjects/get/parameters/0/name").asText()).isEqualTo("deleted");
        assertThat(document.at("/components/schemas/SchemaRequest/properties/references/type").asText()).isEqualTo("array");
    }

    private JsonNode error(HttpResponse<String> response, int status, int errorCode) throws Exception {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(error.get("error").asText()).isEqualTo("registry_" + errorCode);
        return error;
    }

    /** A request as a service that registers its schemas would send it, with Confluent's Basic credentials. */
    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, Optional.of(basic("checkout-service", TestTokens.TOKENS.issue("checkout-service", Role.SERVICE,
                Duration.ofMinutes(5)))));
    }

    private HttpResponse<String> send(String method, String path, String body, Optional<String> authorization) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path));
        authorization.ifPresent(value -> builder.header("Authorization", value));
        HttpRequest request = builder
                .header("Content-Type", RegistryRoutes.CONTENT_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void readsAreOpenAndChangesNeedAnOperatorOrAServiceAsConfluentClientsAuthenticate() throws Exception {
        assertThat(send("POST", "/registry/subjects/payments-value/versions", body(ORDER), Optional.empty()).statusCode())
                .as("register without credentials").isEqualTo(401);
        assertThat(send("PUT", "/registry/config", "{\"compatibility\": \"NONE\"}",
                Optional.of(TestTokens.bearer("ana", Role.USER))).statusCode()).as("a user changing the level").isEqualTo(403);
        assertThat(send("POST", "/registry/subjects/payments-value/versions", body(ORDER),
                Optional.of(basic("ops", "not-a-token"))).statusCode()).as("Basic with a password that is no token").isEqualTo(401);
        assertThat(send("POST", "/registry/subjects/payments-value/versions", body(ORDER),
                Optional.of(TestTokens.bearer("ops", Role.OPERATOR))).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/registry/subjects/payments-value/versions/latest", null, Optional.empty()).statusCode())
                .as("reading needs nothing").isEqualTo(200);
    }

    private static String body(String schema) throws Exception {
        return JSON.writeValueAsString(Map.of("schema", schema));
    }
}
