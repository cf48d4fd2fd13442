package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What one bad record can do to a running pipeline, and what the platform does about it: an output no broker takes,
 * a record that kills the stream thread, and a record that blocks it. Each test runs its own fixture pipeline.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PoisonPillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger RUN = new AtomicInteger();

    private static EchoPipeline echo(String kind, boolean exactlyOnce) {
        return new EchoPipeline("echo-" + kind + "-" + RUN.incrementAndGet() + "-" + System.nanoTime() % 100_000, exactlyOnce);
    }

    private static Platform start(EchoPipeline pipeline) throws InterruptedException {
        Platform platform = TestPlatform.start(List.of(FixtureModule.of(pipeline)), pipeline.name());
        TestPlatform.awaitRunning(platform, Duration.ofSeconds(60));
        return platform;
    }

    @ParameterizedTest(name = "exactly once: {0}")
    @ValueSource(booleans = {false, true})
    void anOutputTheBrokerRefusesIsDeadLetteredOnceAndThePipelineGoesOn(boolean exactlyOnce) throws Exception {
        EchoPipeline pipeline = echo("large", exactlyOnce);
        try (Platform platform = start(pipeline); KafkaProducer<byte[], byte[]> producer = Topics.producer()) {
            for (String word : List.of("alder", "blow-up:1500000", "birch", "cedar")) {
                Topics.send(producer, pipeline.words(), Topics.utf8("k"), Topics.utf8(word));
            }

            // At least once, a record processed before the failing one may be echoed again after the thread is replaced.
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(echoes(pipeline, exactlyOnce))
                    .containsExactly("alder", "birch", "cedar"));
            List<ConsumerRecord<byte[], byte[]>> letters = Topics.committed(pipeline.deadLetterTopic());
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(Topics.text(letter.value())).isEqualTo("blow-up:1500000");
                assertThat(Topics.header(letter, "__streams.errors.offset")).isEqualTo("1");
                assertThat(Topics.header(letter, "__streams.errors.message")).contains("RecordTooLargeException");
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode info = pipelineInfo(platform, pipeline.name());
                assertThat(info.get("state").asText()).isEqualTo("RUNNING");
                assertThat(info.get("deadLetters").asLong()).as("dead letters counted from the topic").isEqualTo(1);
                assertThat(info.get("poisonRecordsSkipped").asLong()).isEqualTo(1);
                assertThat(info.get("lag").asLong()).isZero();
            });
        }
    }

    @Test
    void aRecordThatKillsTheStreamThreadTwiceIsDeadLetteredAndSkipped() throws Exception {
        EchoPipeline pipeline = echo("overflow", false);
        try (Platform platform = start(pipeline); KafkaProducer<byte[], byte[]> producer = Topics.producer()) {
            for (String word : List.of("alder", "overflow", "birch")) {
                Topics.send(producer, pipeline.words(), Topics.utf8("k"), Topics.utf8(word));
            }

            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(echoes(pipeline, false))
                    .containsExactly("alder", "birch"));
            assertThat(Topics.committed(pipeline.deadLetterTopic())).singleElement().satisfies(letter -> {
                assertThat(Topics.text(letter.value())).isEqualTo("overflow");
                assertThat(Topics.header(letter, "__streams.errors.message")).contains("stopped a stream thread 2 times")
                        .contains("StackOverflowError");
            });
            JsonNode info = pipelineInfo(platform, pipeline.name());
            assertThat(info.get("threadFailures").asInt()).isEqualTo(2);
            assertThat(info.get("state").asText()).isEqualTo("RUNNING");
        }
    }

    @Test
    void aPipelineStuckWithRecordsWaitingIsDegradedWithTheReasonUntilItMovesAgain() throws Exception {
        EchoPipeline pipeline = echo("stall", false);
        try (Platform platform = start(pipeline); KafkaProducer<byte[], byte[]> producer = Topics.producer()) {
            Topics.send(producer, pipeline.words(), Topics.utf8("k"), Topics.utf8("stall"));
            for (int i = 0; i < 20; i++) {
                Topics.send(producer, pipeline.words(), Topics.utf8("k"), Topics.utf8("word-" + i));
            }

            JsonNode degraded = await().atMost(Duration.ofSeconds(60)).until(() -> health(platform),
                    health -> health.path("pipelines").path(pipeline.name()).path("status").asText().equals("DEGRADED"));
            assertThat(TestPlatform.get(platform, "/health").statusCode()).isEqualTo(503);
            assertThat(degraded.get("status").asText()).isEqualTo("DOWN");
            JsonNode verdict = degraded.path("pipelines").path(pipeline.name());
            assertThat(verdict.get("state").asText()).as("Kafka Streams itself still says").isEqualTo("RUNNING");
            assertThat(verdict.get("reason").asText()).startsWith("no progress for").contains(pipeline.words());
            assertThat(verdict.get("lag").asLong()).isEqualTo(21);

            pipeline.release();

            await().atMost(Duration.ofSeconds(60)).until(() -> TestPlatform.get(platform, "/health").statusCode() == 200);
            assertThat(Topics.committed(pipeline.echoes())).hasSize(21);
        }
    }

    /** The echoes in order; at least once, each distinct echo once (a replaced thread may repeat what it did not commit). */
    private static List<String> echoes(EchoPipeline pipeline, boolean exactlyOnce) {
        List<String> echoes = Topics.committed(pipeline.echoes()).stream().map(r -> Topics.text(r.value())).toList();
        return exactlyOnce ? echoes : echoes.stream().distinct().toList();
    }

    private static JsonNode health(Platform platform) throws Exception {
        return JSON.readTree(TestPlatform.get(platform, "/health").body());
    }

    private static JsonNode pipelineInfo(Platform platform, String name) throws Exception {
        for (JsonNode info : JSON.readTree(TestPlatform.get(platform, "/api/pipelines").body())) {
            if (info.get("name").asText().equals(name)) {
                return info;
            }
        }
        throw new AssertionError("no pipeline " + name);
    }
}
