package io.millrace.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;

/** A registry client speaking the Confluent REST API, for any Confluent-compatible registry (ours included). */
public final class HttpRegistryClient extends CachingRegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final HttpClient http;
    private final Optional<String> authorization;

    public HttpRegistryClient(String baseUrl) {
        this(baseUrl, Optional.empty());
    }

    /**
     * A client that authenticates with HTTP Basic, as Confluent's clients do with {@code basic.auth.user.info}:
     * {@code userInfo} is {@code user:password} (for Millrace's registry, any user and a token as the password).
     */
    public HttpRegistryClient(String baseUrl, Optional<String> userInfo) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        this.authorization = userInfo.filter(info -> !info.isBlank())
                .map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    int registerUncached(String subject, Schema schema) {
        byte[] body = writeJson(Map.of("schema", schema.toString()));
        HttpRequest request = request("/subjects/" + encodePathSegment(subject) + "/versions")
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return required(send(request), "id").asInt();
    }

    @Override
    Schema fetchSchemaById(int id) {
        JsonNode response = send(request("/schemas/ids/" + id).GET().build());
        return new Schema.Parser().parse(required(response, "schema").asText());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).header("Accept", ACCEPT);
        authorization.ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("Schema registry call " + request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during schema registry call " + request.method() + " " + request.uri(), e);
        }
        JsonNode body = readJson(response.body());
        if (response.statusCode() / 100 != 2) {
            throw toException(response.statusCode(), body);
        }
        return body;
    }

    private static JsonNode required(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw SchemaRegistryException.storeError("Schema registry response lacks '" + field + "'", null);
        }
        return value;
    }

    private static SchemaRegistryException toException(int status, JsonNode body) {
        int errorCode = body.path("error_code").asInt(status);
        String message = body.path("message").asText(body.path("error").asText("Schema registry answered HTTP " + status));
        if (status == 401 || status == 403) {
            message += " (registry writes need credentials: basic auth with an operator or service token as the password)";
        }
        return new SchemaRegistryException(status, errorCode, message, null);
    }

    // A proxy in front of the registry may answer with HTML; that must surface as the HTTP status, not a parse error.
    private static JsonNode readJson(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static byte[] writeJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encodePathSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
