package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.millrace.app.connect.EmbeddedConnect;
import io.millrace.schemas.common.MetricPoint;
import io.millrace.topology.Settings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pipeline's notification topic reaches a user's webhook through the Kafka Connect webhook sink, as signed JSON. */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WebhookNotificationsIT {

    @Test
    void notificationsArePostedToTheWebhookAsSignedJson() throws Exception {
        LinkedBlockingQueue<String[]> received = new LinkedBlockingQueue<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/notify", exchange -> {
            received.add(new String[] {new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("X-Millrace-Signature")});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        try (EmbeddedConnect worker = EmbeddedConnect.start(TestPlatform.bootstrapServers(),
                Files.createTempDirectory("millrace-it-connect"), EmbeddedRunIT.freePort());
             Platform platform = Platform.start(config(worker, webhook.getAddress().getPort()),
                     List.of(FixtureModule.of(new TallyPipeline(), new TallyPipeline.Api())))) {
            MetricPoint point = MetricPoint.newBuilder().setSeries("user-42/unread").setTimestamp(1_764_000_000_000L).setValue(3).build();
            byte[] value = platform.pipelineContext().serdes().value(MetricPoint.class).serializer()
                    .serialize(TallyPipeline.NOTIFICATIONS, point);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestPlatform.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(TallyPipeline.NOTIFICATIONS, "user-42".getBytes(StandardCharsets.UTF_8), value)).get();
            }

            String[] delivery = await("webhook call").atMost(Duration.ofSeconds(60)).until(() -> received.poll(1, TimeUnit.SECONDS),
                    next -> next != null && next[0].contains("user-42/unread"));
            assertThat(delivery[0]).contains("\"value\":3.0");
            assertThat(delivery[1]).startsWith("sha256=").hasSize("sha256=".length() + 64);
        } finally {
            webhook.stop(0);
        }
    }

    private static PlatformConfig config(EmbeddedConnect worker, int webhookPort) throws Exception {
        return TestPlatform.config(TestPlatform.bootstrapServers(), Files.createTempDirectory("millrace-it-app"), "tally")
                .connect(new PlatformConfig.ConnectConfig(0, Optional.of(worker.restUrl()),
                        Optional.of("http://127.0.0.1:" + webhookPort + "/notify"), "webhook-secret"))
                .stallTimeout(PlatformConfig.DEFAULT_STALL_TIMEOUT).settings(Settings.none()).build();
    }
}
