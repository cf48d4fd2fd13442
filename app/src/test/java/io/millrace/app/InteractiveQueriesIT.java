package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two instances of one pipeline share its partitions; either answers any key (forwarding) and all keys (fan-out). */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InteractiveQueriesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> WORDS = List.of("alder", "birch", "cedar", "daphne", "elm", "fir", "ginkgo", "hazel",
            "ilex", "juniper", "kauri", "larch");

    @Test
    void eitherInstanceAnswersEveryKeyAndTheMergedTopIsComplete() throws Exception {
        try (Platform first = TestPlatform.start(List.of(FixtureModule.of(new TallyPipeline(), new TallyPipeline.Api())), "tally");
             Platform second = TestPlatform.start(List.of(FixtureModule.of(new TallyPipeline(), new TallyPipeline.Api())), "tally")) {
            TestPlatform.awaitRunning(first, Duration.ofSeconds(60));
            TestPlatform.awaitRunning(second, Duration.ofSeconds(60));
            String run = Long.toString(System.nanoTime(), 36);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestPlatform.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < WORDS.size(); i++) {
                    for (int n = 0; n <= i; n++) {
                        producer.send(new ProducerRecord<>(TallyPipeline.WORDS, WORDS.get(i) + "-" + run, "x"));
                    }
                }
            }

            Set<String> servedBy = new HashSet<>();
            for (int i = 0; i < WORDS.size(); i++) {
                String word = WORDS.get(i) + "-" + run;
                long expected = i + 1;
                HttpResponse<String> answer = TestPlatform.awaitGet(first, "/api/tally/counts/" + word,
                        r -> r.statusCode() == 200 && count(r) == expected, Duration.ofSeconds(60));
                servedBy.add(answer.headers().firstValue("X-Millrace-Served-By").orElseThrow());
                // An instance answers 503 while a rebalance moves partitions; the same question is asked until it answers.
                HttpResponse<String> viaSecond = TestPlatform.awaitGet(second, "/api/tally/counts/" + word,
                        r -> r.statusCode() != 503, Duration.ofSeconds(60));
                assertThat(count(viaSecond)).isEqualTo(expected);
            }
            assertThat(servedBy).as("keys live on both instances, so some answers were forwarded").hasSize(2);

            JsonNode top = JSON.readTree(TestPlatform.get(second, "/api/tally/top").body());
            assertThat(top.get("status").asText()).isEqualTo("COMPLETE");
            assertThat(top.get("failedHosts")).isEmpty();
            List<String> ours = new java.util.ArrayList<>();
            top.get("result").forEach(entry -> {
                if (entry.get("word").asText().endsWith("-" + run)) {
                    ours.add(entry.get("word").asText());
                }
            });
            assertThat(ours).hasSize(WORDS.size()).first().isEqualTo("larch-" + run);

            assertThat(TestPlatform.get(first, "/api/tally/counts/never-seen-" + run).statusCode()).isEqualTo(404);
            assertThat(TestPlatform.get(first, "/api/tally/counts/x?maxLag=minus").statusCode()).isEqualTo(400);
        }
    }

    private static long count(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body()).path("count").asLong(-1);
        } catch (Exception e) {
            return -1;
        }
    }
}
