package io.millrace.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.millrace.api.iq.QueryRouter;
import io.millrace.topology.runtime.DeadLetters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What Jetty and Javalin refuse before any route runs is answered in the platform's JSON error shape, with a 4xx. */
class MalformedRequestsTest {

    private static ApiServer api;

    @BeforeAll
    static void start() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ApiContext context = new ApiContext(List.of(), new DeadLetters(meters), meters, Optional.empty(),
                new QueryRouter(new HostInfo("localhost", 0), Duration.ofSeconds(1), () -> ""),
                new EventPublisher(new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer())),
                "test", () -> true, ApiContext.HttpSecurity.of(TestTokens.TOKENS, "localhost:0"), java.util.Map.of());
        api = ApiServer.start("127.0.0.1", 0, context, List.of());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void anEncodedNulInThePathIsABadRequestInJson() throws IOException {
        Answer answer = send("GET /api/pipelines%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("bad_request");
    }

    @Test
    void aRequestLineLongerThanTheLimitIsUriTooLongInJson() throws IOException {
        String target = "/api/pipelines?pad=" + "a".repeat(RequestLimits.MAX_HEAD_BYTES);

        Answer answer = send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(414);
        assertThat(answer.json().get("error").asText()).isEqualTo("uri_too_long");
    }

    @Test
    void headersLargerThanTheLimitAreRefusedInJsonWhateverTheMethod() throws IOException {
        Answer answer = send("PUT /api/pipelines HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Pad: "
                + "a".repeat(2 * RequestLimits.MAX_HEAD_BYTES) + "\r\n\r\n");

        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.json().get("error").asText()).isEqualTo("headers_too_large");
    }

    @Test
    void aCharsetOtherThanUtf8IsUnsupportedEvenWithoutABody() throws IOException {
        Answer answer = send("GET /api/pipelines?x=%C3%A9 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/json; charset=EBCDIC-XX\r\n\r\n");

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.json().get("detail").asText()).isEqualTo("The request must be in UTF-8, not charset 'EBCDIC-XX'");
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsRead() throws IOException {
        Answer answer = send("POST /api/pipelines HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (RequestLimits.MAX_BODY_BYTES + 1) + "\r\n\r\n{");

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("detail").asText()).isEqualTo("The body is larger than 1 MiB");
    }

    @Test
    void anUnknownRouteIsNotFoundInJson() throws IOException {
        Answer answer = send("DELETE /api/nothing-here HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("detail").asText()).isEqualTo("No such resource: DELETE /api/nothing-here");
    }

    private record Answer(int status, String body) {

        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }
    }

    private static Answer send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(raw.substring(9, 12));
            String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            return new Answer(status, body.startsWith("{") ? body : dechunked(body));
        }
    }

    // Answers without a Content-Length come chunked; these bodies are one chunk.
    private static String dechunked(String body) {
        int start = body.indexOf("\r\n") + 2;
        return body.substring(start, body.indexOf("\r\n", start));
    }
}
