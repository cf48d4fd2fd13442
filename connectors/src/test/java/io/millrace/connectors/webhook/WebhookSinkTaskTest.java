package io.millrace.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.millrace.schemas.common.MetricPoint;
import io.millrace.schemas.registry.InMemorySchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.registry.SchemaRegistryClient;
import io.millrace.schemas.serde.AvroSerde;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookSinkTaskTest {

    record Received(String body, Map<String, List<String>> headers) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger answer = new AtomicInteger(204);
    private HttpServer server;
    private SchemaRegistryClient registry;
    private WebhookSinkTask task;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            received.add(new Received(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders()));
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        server.start();
        SchemaRegistry store = new SchemaRegistry(new InMemorySchemaLog());
        store.start();
        registry = new LocalRegistryClient(store);
        task = new WebhookSinkTask() {
            @Override
            protected SchemaRegistryClient registryClient(WebhookSinkConfig config) {
                return registry;
            }
        };
        task.start(Map.of(WebhookSinkConfig.URL, "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
                WebhookSinkConfig.SECRET, "s3cret", WebhookSinkConfig.SCHEMA_REGISTRY_URL, "http://unused"));
    }

    @AfterEach
    void stop() {
        task.stop();
        server.stop(0);
    }

    @Test
    void postsTheRecordAsSignedJsonWithAnIdempotencyKey() {
        task.put(List.of(record(7, point("checkout.p99", 412.5))));

        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.body()).contains("\"series\":\"checkout.p99\"").contains("412.5");
            assertThat(r.headers().get("Idempotency-key")).containsExactly("messenger.notifications/0/7");
            assertThat(r.headers().get("X-millrace-signature"))
                    .containsExactly("sha256=" + WebhookSinkTask.sign("s3cret", r.body()));
        });
    }

    @Test
    void serverErrorIsRetriedByConnect() {
        answer.set(503);

        assertThatThrownBy(() -> task.put(List.of(record(1, point("a", 1)))))
                .isInstanceOf(RetriableException.class).hasMessageContaining("503");
    }

    @Test
    void refusedRecordIsSkippedSoTheNextOneIsDelivered() {
        answer.set(422);
        task.put(List.of(record(1, point("refused", 1))));
        answer.set(200);
        task.put(List.of(record(2, point("accepted", 2))));

        assertThat(received).extracting(Received::body).hasSize(2).last().asString().contains("accepted");
    }

    private SinkRecord record(long offset, MetricPoint value) {
        byte[] bytes = new AvroSerde<>(registry, MetricPoint.class, false).serializer().serialize("messenger.notifications", value);
        return new SinkRecord("messenger.notifications", 0, null, "key", null, bytes, offset);
    }

    private static MetricPoint point(String series, double value) {
        return MetricPoint.newBuilder().setSeries(series).setTimestamp(1_764_000_000_000L).setValue(value).build();
    }
}
