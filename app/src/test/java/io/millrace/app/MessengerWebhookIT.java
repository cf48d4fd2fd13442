package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.millrace.app.connect.EmbeddedConnect;
import io.millrace.topology.Settings;
import io.millrace.topology.messenger.MessengerPipeline;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A message to someone who is offline becomes a push: the messenger writes a notification (collapsed over 30 s, never
 * the body), and the platform's webhook sink connector, run by a real Kafka Connect worker, POSTs it to the webhook
 * signed with the shared secret. This is what `millrace run --webhook-url ...` wires.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MessengerWebhookIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "webhook-secret-of-the-ops-team";

    /** One call the webhook received. */
    private record Call(String body, String signature) {
    }

    @Test
    void aMessageToAnOfflineMemberArrivesAtTheWebhookAsASignedPushWithoutItsBody() throws Exception {
        LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/push", exchange -> {
            calls.add(new Call(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("X-Millrace-Signature")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String sender = "ana-" + run;
        String offline = "ben-" + run;
        try (EmbeddedConnect worker = EmbeddedConnect.start(TestPlatform.bootstrapServers(),
                Files.createTempDirectory("millrace-it-connect"), EmbeddedRunIT.freePort());
             Platform platform = Platform.start(config(worker, webhook.getAddress().getPort()), PipelineModules.discover())) {
            TestPlatform.awaitRunning(platform, Duration.ofSeconds(60));

            assertThat(TestPlatform.as(platform, sender).post("/api/messenger/messages", JSON.writeValueAsString(Map.of("sender", sender,
                    "conversationType", "DIRECT", "to", offline, "body", "dinner at eight?"))).statusCode()).isEqualTo(202);

            Call push = await().atMost(Duration.ofSeconds(90)).until(() -> calls.poll(1, TimeUnit.SECONDS),
                    call -> call != null && call.body().contains(offline));
            JsonNode notification = JSON.readTree(push.body());
            assertThat(notification.get("user").asText()).isEqualTo(offline);
            assertThat(notification.get("conversation").asText()).isEqualTo("dm:" + sender + ":" + offline);
            assertThat(notification.get("count").asInt()).isEqualTo(1);
            assertThat(push.body()).doesNotContain("dinner");
            assertThat(push.signature()).isEqualTo("sha256=" + hmac(SECRET, push.body()));
        } finally {
            webhook.stop(0);
        }
    }

    private static PlatformConfig config(EmbeddedConnect worker, int webhookPort) throws Exception {
        return TestPlatform.config(TestPlatform.bootstrapServers(), Files.createTempDirectory("millrace-it-app"), MessengerPipeline.NAME)
                .connect(new PlatformConfig.ConnectConfig(0, Optional.of(worker.restUrl()),
                        Optional.of("http://127.0.0.1:" + webhookPort + "/push"), SECRET))
                .stallTimeout(PlatformConfig.DEFAULT_STALL_TIMEOUT).settings(Settings.none()).build();
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
