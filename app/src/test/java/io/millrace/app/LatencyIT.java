package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.schemas.latency.AlertState;
import io.millrace.schemas.latency.LatencyAlert;
import io.millrace.schemas.latency.LatencySample;
import io.millrace.schemas.serde.AvroSerdes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The latency pipeline as a user meets it: SLOs set over HTTP, samples on Kafka, answers and alerts from the stores. */
class LatencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MINUTE = 60_000;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static Platform platform;
    private static KafkaProducer<String, LatencySample> producer;
    private static long base;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.start("latency");
        TestPlatform.awaitRunning(platform, Duration.ofSeconds(120));
        AvroSerdes serdes = platform.pipelineContext().serdes();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), serdes.value(LatencySample.class).serializer());
        base = (System.currentTimeMillis() / MINUTE - 20) * MINUTE;
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void servesSeriesSlowestEndpointsAndEdgeTriggeredAlertsFromTheStores() throws Exception {
        // Given objectives set over HTTP: checkout's p99 under 200 ms, payments' card.authorize under 5% errors
        HttpResponse<String> accepted = put("/api/latency/slos/checkout",
                "{\"p99ThresholdMicros\":200000,\"errorRateThreshold\":0.05,\"window\":\"1m\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).get("topic").asText()).isEqualTo("latency.slos");
        assertThat(put("/api/latency/slos/payments",
                "{\"endpoint\":\"card.authorize\",\"p99ThresholdMicros\":2000000,\"errorRateThreshold\":0.05,\"window\":\"1m\"}")
                .statusCode()).isEqualTo(202);
        HttpResponse<String> invalid = put("/api/latency/slos/checkout", "{\"p99ThresholdMicros\":-1,\"errorRateThreshold\":0.05}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("p99ThresholdMicros");
        TestPlatform.awaitGet(platform, "/api/latency/slos", r -> r.body().contains("payments|card.authorize")
                && r.body().contains("\"key\":\"checkout\""), PATIENCE);

        // And three minutes of traffic: checkout slow in minute 1 only, payments failing in minute 2, search always slow
        for (int minute = 0; minute < 3; minute++) {
            for (int i = 0; i < 200; i++) {
                long at = base + minute * MINUTE + i * 250L;
                send("checkout", "cart.add", "eu-west", minute == 1 && i % 20 == 0 ? 600_000 : 20_000, 200, at);
                send("payments", "card.authorize", "us-east", 150_000, minute == 2 && i % 10 < 3 ? 503 : 200, at);
                send("search", "query", i % 2 == 0 ? "eu-west" : "ap-south", 900_000 + i * 100L, 200, at);
            }
        }

        // When later samples move stream time on, so that minutes 0-2 close
        awaitWithHeartbeats("/api/latency/alerts?state=RESOLVED", r -> r.body().contains("\"sloKey\":\"checkout\""));

        // Then checkout's alert fired once and resolved once; payments' endpoint alert is still firing
        assertThat(alertStates("checkout")).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        JsonNode firing = json("/api/latency/alerts?state=FIRING");
        assertThat(firing.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(firing.get("result")).extracting(a -> a.get("sloKey").asText()).containsExactly("payments|card.authorize");
        assertThat(firing.get("result").get(0).get("errorRate").asDouble()).isCloseTo(0.3, within(1e-9));

        // And the services overview has every service with its latest 5-minute figures
        JsonNode services = json("/api/latency/services").get("result");
        assertThat(services).extracting(s -> s.get("service").asText()).containsExactly("checkout", "payments", "search");

        // And the series of checkout per minute shows the slow minute within 1% of its p99
        JsonNode series = json("/api/latency/services/checkout?window=1m&from=" + base + "&to=" + (base + 3 * MINUTE));
        assertThat(series.get("points")).extracting(p -> p.get("count").asLong()).containsExactly(200L, 200L, 200L);
        assertThat(series.get("points").get(1).get("p99Micros").asDouble()).isCloseTo(600_000, within(6_000.0));
        assertThat(series.get("points").get(0).get("complete").asBoolean()).isTrue();
        JsonNode endpoint = json("/api/latency/services/search/endpoints/query?window=5m&from=" + base + "&to=" + (base + MINUTE));
        assertThat(endpoint.get("points")).singleElement().satisfies(p -> assertThat(p.get("count").asLong()).isEqualTo(600));
        JsonNode oneRegion = json("/api/latency/services/search/endpoints/query?window=1m&region=ap-south&from=" + base
                + "&to=" + (base + MINUTE));
        assertThat(oneRegion.get("points").get(0).get("count").asLong()).isEqualTo(100);

        // And the slowest endpoints over the latest closed five minutes are ranked by p99
        JsonNode slowest = json("/api/latency/slowest?n=2&window=5m");
        assertThat(slowest.get("result")).extracting(e -> e.get("service").asText() + "|" + e.get("endpoint").asText())
                .containsExactly("search|query", "checkout|cart.add");
        assertThat(slowest.get("result").get(0).get("windowEnd").asLong()).isEqualTo(base + 3 * MINUTE);

        // And a repeated question is answered from the cache, which the metrics show
        json("/api/latency/slowest?n=2&window=5m");
        String metrics = TestPlatform.get(platform, "/metrics").body();
        assertThat(metrics).containsPattern("cache_gets_total\\{cache=\"latency-queries\",pipeline=\"latency\",result=\"hit\"} [1-9]");
        assertThat(metrics).contains("cache_hit_ratio{cache=\"latency-queries\"");
        assertThat(metrics).contains("millrace_latency_late_samples_total");

        // And bad or unknown parameters get JSON errors, never a stack trace
        assertThat(TestPlatform.get(platform, "/api/latency/services/checkout?window=2m").statusCode()).isEqualTo(400);
        assertThat(TestPlatform.get(platform, "/api/latency/slowest?n=0").statusCode()).isEqualTo(400);
        assertThat(TestPlatform.get(platform, "/api/latency/alerts?state=ON").statusCode()).isEqualTo(400);
        assertThat(TestPlatform.get(platform, "/api/latency/services/checkout?from=" + (base + MINUTE) + "&to=" + base).statusCode())
                .isEqualTo(400);
        HttpResponse<String> unknown = TestPlatform.get(platform, "/api/latency/services/no-such-service");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("not_found");
        assertThat(TestPlatform.get(platform, "/openapi.json").body()).contains("/api/latency/slowest").contains("SloRequest");
    }

    private static void send(String service, String endpoint, String region, long micros, int status, long at) {
        producer.send(new ProducerRecord<>("latency.samples", service, LatencySample.newBuilder().setService(service)
                .setEndpoint(endpoint).setRegion(region).setDurationMicros(micros).setStatusCode(status).setTimestamp(at).build()));
    }

    /** Polls {@code path}; between polls each service reports a heartbeat a minute after the traffic, which closes its minutes. */
    private static void awaitWithHeartbeats(String path, java.util.function.Predicate<HttpResponse<String>> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            for (String service : List.of("checkout", "payments", "search")) {
                send(service, "heartbeat", "eu-west", 1_000, 200, base + 4 * MINUTE);
            }
            producer.flush();
            last = TestPlatform.get(platform, path);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("GET " + path + " did not reach the expected answer within " + PATIENCE + "; last: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    private static List<AlertState> alertStates(String sloKey) {
        AvroSerdes serdes = platform.pipelineContext().serdes();
        try (KafkaConsumer<String, LatencyAlert> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "latency-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                serdes.value(LatencyAlert.class).deserializer())) {
            consumer.subscribe(List.of("latency.alerts"));
            List<AlertState> states = new ArrayList<>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            boolean drained = false;
            // Read until the RESOLVED change has come and a poll finds nothing more, so that a repeat would be seen.
            while (!drained && System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofSeconds(1));
                for (ConsumerRecord<String, LatencyAlert> record : records) {
                    if (record.key().equals(sloKey)) {
                        states.add(record.value().getState());
                    }
                }
                drained = records.isEmpty() && states.contains(AlertState.RESOLVED);
            }
            return states;
        }
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<String> response = TestPlatform.get(platform, path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + platform.httpPort() + path))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
