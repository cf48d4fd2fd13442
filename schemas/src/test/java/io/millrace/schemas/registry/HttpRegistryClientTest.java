package io.millrace.schemas.registry;

import static io.millrace.schemas.registry.TestSchemas.ORDER;
import static io.millrace.schemas.registry.TestSchemas.ORDER_WITH_REQUIRED_AMOUNT;
import static io.millrace.schemas.registry.TestSchemas.PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP client against a minimal stand-in for a Confluent registry, backed by a real {@link SchemaRegistry}. */
class HttpRegistryClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private SchemaRegistry registry;
    private HttpServer server;
    private String baseUrl;

    @BeforeEach
    void startServer() throws IOException {
        registry = new SchemaRegistry(new InMemorySchemaLog());
        registry.start();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/registry/", this::serveConfluentApi);
        server.createContext("/behind-a-proxy/", exchange -> respond(exchange, 502, "<html>Bad Gateway</html>"));
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        registry.close();
    }

    @Test
    void registersASchemaWithTheConfluentContentTypeAndReturnsItsId() {
        HttpRegistryClient client = new HttpRegistryClient(baseUrl + "/registry");

        int id = client.register("orders-value", parse(ORDER));

        assertThat(id).isEqualTo(registry.version("orders-value", "1").id());
        assertThat(contentTypes).containsExactly("application/vnd.schemaregistry.v1+json");
    }

    @Test
    void urlEncodesTheSubject() {
        HttpRegistryClient client = new HttpRegistryClient(baseUrl + "/registry/");

        client.register("shop orders/v1-value", parse(ORDER));

        assertThat(requests).containsExactly("POST /registry/subjects/shop%20orders%2Fv1-value/versions");
        assertThat(registry.subjects()).containsExactly("shop orders/v1-value");
    }

    @Test
    void registersEachSchemaOncePerSubject() {
        HttpRegistryClient client = new HttpRegistryClient(baseUrl + "/registry");

        client.register("orders-value", parse(ORDER));
        client.register("orders-value", parse(ORDER));
        client.register("orders-archive-value", parse(ORDER));

        assertThat(requests).hasSize(2);
    }

    @Test
    void fetchesASchemaByIdOnce() {
        int id = registry.register("payments-value", PAYMENT).id();
        HttpRegistryClient client = new HttpRegistryClient(baseUrl + "/registry");

        Schema first = client.schemaById(id);
        Schema second = client.schemaById(id);

        assertThat(first).isEqualTo(parse(PAYMENT)).isSameAs(second);
        assertThat(requests).containsExactly("GET /registry/schemas/ids/" + id);
    }

    @Test
    void turnsAConfluentErrorBodyIntoTheSameException() {
        registry.register("orders-value", ORDER);
        HttpRegistryClient client = new HttpRegistryClient(baseUrl + "/registry");

        assertThatThrownBy(() -> client.register("orders-value", parse(ORDER_WITH_REQUIRED_AMOUNT)))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("orders-value");
                });
        assertThatThrownBy(() -> client.schemaById(77))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.getMessage()).isEqualTo("Schema 77 not found");
                });
    }

    @Test
    void keepsTheHttpStatusWhenTheErrorBodyIsNotJson() {
        HttpRegistryClient client = new HttpRegistryClient(baseUrl + "/behind-a-proxy");

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(502);
                    assertThat(e.errorCode()).isEqualTo(502);
                });
    }

    @Test
    void doesNotCacheFailures() {
        HttpRegistryClient client = new HttpRegistryClient(baseUrl + "/registry");
        assertThatThrownBy(() -> client.schemaById(1)).isInstanceOf(SchemaRegistryException.class);

        registry.register("orders-value", ORDER);

        assertThat(client.schemaById(1)).isEqualTo(parse(ORDER));
    }

    private void serveConfluentApi(HttpExchange exchange) throws IOException {
        String rawPath = exchange.getRequestURI().getRawPath();
        requests.add(exchange.getRequestMethod() + " " + rawPath);
        String[] segments = rawPath.substring("/registry/".length()).split("/");
        try {
            if (exchange.getRequestMethod().equals("POST") && segments[0].equals("subjects")) {
                contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                String subject = URLDecoder.decode(segments[1], StandardCharsets.UTF_8);
                String schema = JSON.readTree(exchange.getRequestBody()).get("schema").asText();
                respond(exchange, 200, JSON.writeValueAsString(Map.of("id", registry.register(subject, schema).id())));
            } else {
                int id = Integer.parseInt(segments[2]);
                respond(exchange, 200, JSON.writeValueAsString(Map.of("schema", registry.schemaById(id))));
            }
        } catch (SchemaRegistryException e) {
            respond(exchange, e.httpStatus(), JSON.writeValueAsString(Map.of("error_code", e.errorCode(), "message", e.getMessage())));
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
