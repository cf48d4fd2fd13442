package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.app.broker.EmbeddedKafka;
import io.millrace.schemas.fraud.CardStatus;
import io.millrace.schemas.fraud.CardUpdate;
import io.millrace.schemas.fraud.Settlement;
import io.millrace.topology.Pipeline;
import io.millrace.topology.fraud.FraudPipeline;
import io.millrace.topology.fraud.FraudTopics;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The records that used to stop a pipeline for good, sent to a running app: junk on each topic that feeds a global
 * table (latency's SLOs, fraud's merchant risk) and a settlement whose transaction id is 900 KB. Each is dead-lettered
 * once, the pipelines keep deciding and alerting, and an instance restarted on the same data goes on where it was
 * without dead-lettering anything again. On a broker of its own, so the junk stays out of other tests' topics.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PoisonRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String VISA = "4000056655665556";

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start(Files.createTempDirectory("millrace-poison-kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void junkOnGlobalTableTopicsAndAnOversizedSettlementAreDeadLetteredOnceAndNothingStopsAcrossARestart() throws Exception {
        Path dataDir = Files.createTempDirectory("millrace-poison-app");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            try (Platform platform = start(dataDir)) {
                FraudTopics fraud = new FraudTopics(platform.pipelineContext().serdes());
                openCard(producer, fraud);
                await().atMost(WAIT).until(() -> authorize(platform, "before-junk").statusCode() == 200);

                send(producer, "latency.slos", "checkout", Topics.utf8("junk"));
                send(producer, FraudTopics.MERCHANT_RISK, "m-ny-grocer", Topics.utf8("\u0000\u0000\u0000\u0000\u0001junk"));
                String hugeId = "t".repeat(900_000);
                send(producer, FraudTopics.SETTLEMENTS, "huge", fraud.settlements().valueSerde().serializer()
                        .serialize(FraudTopics.SETTLEMENTS, new Settlement(hugeId, 100L, System.currentTimeMillis())));

                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(deadLetters(platform, "latency")).isEqualTo(1);
                    assertThat(deadLetters(platform, "fraud")).isEqualTo(2);
                });
                assertThat(authorize(platform, "after-junk").statusCode()).isEqualTo(200);
                assertThat(putSlo(platform).statusCode()).isEqualTo(202);
                await().atMost(WAIT).until(() -> TestPlatform.get(platform, "/api/latency/slos").body().contains("\"service\":\"checkout\""));
                assertUp(platform);
            }

            try (Platform restarted = start(dataDir)) {
                assertThat(authorize(restarted, "after-restart").statusCode()).isEqualTo(200);
                assertThat(TestPlatform.get(restarted, "/api/latency/slos").body()).contains("\"service\":\"checkout\"");
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(deadLetters(restarted, "latency")).isEqualTo(1);
                    assertThat(deadLetters(restarted, "fraud")).isEqualTo(2);
                });
                assertUp(restarted);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> fraudLetters = committed(Pipeline.dlqOf(FraudPipeline.NAME));
        assertThat(fraudLetters).extracting(r -> Topics.header(r, "__streams.errors.topic"))
                .containsExactlyInAnyOrder(FraudTopics.MERCHANT_RISK, FraudTopics.SETTLEMENTS);
        assertThat(fraudLetters).filteredOn(r -> FraudTopics.SETTLEMENTS.equals(Topics.header(r, "__streams.errors.topic")))
                .singleElement().satisfies(r -> assertThat(Topics.header(r, "__streams.errors.message"))
                        .contains("larger than the 65536 bytes"));
    }

    private static Platform start(Path dataDir) throws InterruptedException {
        Platform platform = TestPlatform.startOn(kafka.bootstrapServers(), dataDir, PipelineModules.discover(), "latency", "fraud");
        TestPlatform.awaitRunning(platform, WAIT);
        return platform;
    }

    private static void openCard(KafkaProducer<byte[], byte[]> producer, FraudTopics fraud) {
        send(producer, FraudTopics.CARD_UPDATES, "account-1", fraud.cardUpdates().valueSerde().serializer().serialize(
                FraudTopics.CARD_UPDATES, CardUpdate.newBuilder().setCardNumber(VISA).setCreditLimit(100_000L)
                        .setStatus(CardStatus.ACTIVE).setHomeCountry("US").setTimestamp(System.currentTimeMillis()).build()));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, Topics.utf8(key), value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> authorize(Platform platform, String transactionId) throws Exception {
        return TestPlatform.post(platform, "/api/fraud/authorize", JSON.writeValueAsString(Map.of("transactionId", transactionId,
                "cardNumber", VISA, "merchantId", "m-ny-grocer", "merchantCategory", "5411", "amount", 1_250, "currency", "USD",
                "country", "US")));
    }

    private static HttpResponse<String> putSlo(Platform platform) throws Exception {
        return TestPlatform.put(platform, "/api/latency/slos/checkout", "{\"p99ThresholdMicros\": 250000, \"errorRateThreshold\": 0.01}");
    }

    private static long deadLetters(Platform platform, String pipeline) throws Exception {
        for (JsonNode info : JSON.readTree(TestPlatform.get(platform, "/api/pipelines").body())) {
            if (info.get("name").asText().equals(pipeline)) {
                return info.get("deadLetters").asLong();
            }
        }
        throw new AssertionError("no pipeline " + pipeline);
    }

    private static void assertUp(Platform platform) throws Exception {
        JsonNode health = JSON.readTree(TestPlatform.get(platform, "/health").body());
        assertThat(health.get("status").asText()).as(health.toString()).isEqualTo("UP");
    }

    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        return Topics.committed(kafka.bootstrapServers(), topic);
    }
}
