package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Role;
import io.millrace.schemas.latency.AlertState;
import io.millrace.schemas.latency.LatencyAlert;
import io.millrace.schemas.latency.LatencySample;
import io.millrace.schemas.serde.AvroSerdes;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The latency pipeline as a user meets it: SLOs set over HTTP, samples on Kafka, answers and alerts from the stores.
 *
 * <p>Given, once for all tests: objectives set over HTTP (checkout's p99 under 200 ms, payments' card.authorize under
 * 5% errors), then three minutes of traffic (checkout slow in minute 1 only, payments failing in minute 2, search
 * always slow), and later samples that move stream time on so that minutes 0-2 close.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LatencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MINUTE = 60_000;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static Platform platform;
    private static AvroSerdes serdes;
    private static KafkaProducer<String, LatencySample> producer;
    private static long base;
    private static HttpResponse<String> checkoutSlo;
    private static HttpResponse<String> paymentsSlo;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.start("latency");
        TestPlatform.awaitRunning(platform, Duration.ofSeconds(120));
        serdes = platform.pipelineContext().serdes();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), serdes.value(LatencySample.class).serializer());
        base = (System.currentTimeMillis() / MINUTE - 20) * MINUTE;

        checkoutSlo = TestPlatform.put(platform, "/api/latency/slos/checkout",
                "{\"p99ThresholdMicros\":200000,\"errorRateThreshold\":0.05,\"window\":\"1m\"}");
        paymentsSlo = TestPlatform.put(platform, "/api/latency/slos/payments",
                "{\"endpoint\":\"card.authorize\",\"p99ThresholdMicros\":2000000,\"errorRateThreshold\":0.05,\"window\":\"1m\"}");
        TestPlatform.awaitGet(platform, "/api/latency/slos", r -> r.body().contains("payments|card.authorize")
                && r.body().contains("\"key\":\"checkout\""), PATIENCE);

        for (int minute = 0; minute < 3; minute++) {
            for (int i = 0; i < 200; i++) {
                long at = base + minute * MINUTE + i * 250L;
                send("checkout", "cart.add", "eu-west", minute == 1 && i % 20 == 0 ? 600_000 : 20_000, 200, at);
                send("payments", "card.authorize", "us-east", 150_000, minute == 2 && i % 10 < 3 ? 503 : 200, at);
                send("search", "query", i % 2 == 0 ? "eu-west" : "ap-south", 900_000 + i * 100L, 200, at);
            }
        }
        awaitWithHeartbeats("/api/latency/alerts?state=RESOLVED", r -> r.body().contains("\"sloKey\":\"checkout\""));
        // payments' third minute closes on its own partition's stream time, which may lag checkout's
        awaitWithHeartbeats("/api/latency/alerts?state=FIRING", r -> r.body().contains("\"sloKey\":\"payments|card.authorize\""));
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
    void acceptsObjectivesOverHttpAndWritesThemToTheSlosTopic() throws Exception {
        assertThat(checkoutSlo.statusCode()).as(checkoutSlo.body()).isEqualTo(202);
        assertThat(JSON.readTree(checkoutSlo.body()).get("topic").asText()).isEqualTo("latency.slos");
        assertThat(paymentsSlo.statusCode()).as(paymentsSlo.body()).isEqualTo(202);
    }

    @Test
    void refusesAnObjectiveWithANegativeThresholdAndNamesTheField() throws Exception {
        HttpResponse<String> invalid = TestPlatform.put(platform, "/api/latency/slos/checkout",
                "{\"p99ThresholdMicros\":-1,\"errorRateThreshold\":0.05}");

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("p99ThresholdMicros");
    }

    @Test
    void firesOnceWhenAMinuteBreaksTheObjectiveAndResolvesOnceWhenTheNextKeepsIt() {
        assertThat(alertStates("checkout")).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
    }

    @Test
    void anOperatorFollowingAlertsFromTheBeginningIsPushedEachChangeOnce() throws Exception {
        // since=0:0: from the first record of latency.alerts (one partition), then live; only checkout's alerts
        HttpResponse<java.io.InputStream> stream = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + platform.httpPort() + "/api/latency/alerts/events?since=0:0&service=checkout"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + TestPlatform.token("ops", Role.OPERATOR)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        List<String> states = new java.util.ArrayList<>();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(stream.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            String event = "";
            for (String line = lines.readLine(); line != null && !states.contains("RESOLVED"); line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:") && event.equals("alert")) {
                    JsonNode alert = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line.substring(5));
                    assertThat(alert.get("service").asText()).isEqualTo("checkout");
                    states.add(alert.get("state").asText());
                }
            }
        }
        assertThat(states).containsExactly("FIRING", "RESOLVED");
    }

    @Test
    void keepsFiringWhileTheErrorRateStaysAboveTheObjective() throws Exception {
        JsonNode firing = json("/api/latency/alerts?state=FIRING");

        assertThat(firing.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(firing.get("result")).extracting(a -> a.get("sloKey").asText()).containsExactly("payments|card.authorize");
        assertThat(firing.get("result").get(0).get("errorRate").asDouble()).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void overviewListsEveryServiceWithItsLatestFigures() throws Exception {
        JsonNode services = json("/api/latency/services").get("result");

        assertThat(services).extracting(s -> s.get("service").asText()).containsExactly("checkout", "payments", "search");
    }

    @Test
    void seriesPerMinuteShowsTheSlowMinuteWithinOnePercentOfItsP99() throws Exception {
        JsonNode series = json("/api/latency/services/checkout?window=1m&from=" + base + "&to=" + (base + 3 * MINUTE));

        assertThat(series.get("points")).extracting(p -> p.get("count").asLong()).containsExactly(200L, 200L, 200L);
        assertThat(series.get("points").get(1).get("p99Micros").asDouble()).isCloseTo(600_000, within(6_000.0));
        assertThat(series.get("points").get(0).get("complete").asBoolean()).isTrue();
    }

    @Test
    void endpointSeriesOverFiveMinutesCountsEverySampleOfTheWindow() throws Exception {
        JsonNode endpoint = json("/api/latency/services/search/endpoints/query?window=5m&from=" + base + "&to=" + (base + MINUTE));

        assertThat(endpoint.get("points")).singleElement().satisfies(p -> assertThat(p.get("count").asLong()).isEqualTo(600));
    }

    @Test
    void endpointSeriesOfOneRegionCountsOnlyThatRegionsSamples() throws Exception {
        JsonNode oneRegion = json("/api/latency/services/search/endpoints/query?window=1m&region=ap-south&from=" + base
                + "&to=" + (base + MINUTE));

        assertThat(oneRegion.get("points").get(0).get("count").asLong()).isEqualTo(100);
    }

    @Test
    void ranksTheSlowestEndpointsOfTheLatestClosedFiveMinutesByP99() throws Exception {
        JsonNode slowest = json("/api/latency/slowest?n=2&window=5m");

        assertThat(slowest.get("result")).extracting(e -> e.get("service").asText() + "|" + e.get("endpoint").asText())
                .containsExactly("search|query", "checkout|cart.add");
        assertThat(slowest.get("result").get(0).get("windowEnd").asLong()).isEqualTo(base + 3 * MINUTE);
    }

    @Test
    void answersARepeatedQuestionFromTheCacheWhichTheMetricsShow() throws Exception {
        json("/api/latency/slowest?n=2&window=5m");

        json("/api/latency/slowest?n=2&window=5m");

        String metrics = TestPlatform.get(platform, "/metrics").body();
        assertThat(metrics).containsPattern("cache_gets_total\\{cache=\"latency-queries\",pipeline=\"latency\",result=\"hit\"} [1-9]");
        assertThat(metrics).contains("cache_hit_ratio{cache=\"latency-queries\"");
    }

    @Test
    void metricsCountLateSamples() throws Exception {
        assertThat(TestPlatform.get(platform, "/metrics").body()).contains("millrace_latency_late_samples_total");
    }

    @Test
    void answersBadParametersWith400() throws Exception {
        assertThat(TestPlatform.get(platform, "/api/latency/services/checkout?window=2m").statusCode()).isEqualTo(400);
        assertThat(TestPlatform.get(platform, "/api/latency/slowest?n=0").statusCode()).isEqualTo(400);
        assertThat(TestPlatform.get(platform, "/api/latency/alerts?state=ON").statusCode()).isEqualTo(400);
        assertThat(TestPlatform.get(platform, "/api/latency/services/checkout?from=" + (base + MINUTE) + "&to=" + base).statusCode())
                .isEqualTo(400);
    }

    @Test
    void answers404WithAJsonErrorForAServiceNeverSeen() throws Exception {
        HttpResponse<String> unknown = TestPlatform.get(platform, "/api/latency/services/no-such-service");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void openApiDocumentListsTheSlowestQueryAndTheSloRequest() throws Exception {
        assertThat(TestPlatform.get(platform, "/openapi.json").body()).contains("/api/latency/slowest").contains("SloRequest");
    }

    private static void send(String service, String endpoint, String region, long micros, int status, long at) {
        producer.send(new ProducerRecord<>("latency.samples", service, LatencySample.newBuilder().setService(service)
                .setEndpoint(endpoint).setRegion(region).setDurationMicros(micros).setStatusCode(status).setTimestamp(at).build()));
    }

    /** Polls {@code path}; before each poll each service reports a heartbeat a minute after the traffic, which closes its minutes. */
    private static void awaitWithHeartbeats(String path, Predicate<HttpResponse<String>> condition) {
        await("GET " + path + " with heartbeats").atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (String service : List.of("checkout", "payments", "search")) {
                        send(service, "heartbeat", "eu-west", 1_000, 200, base + 4 * MINUTE);
                    }
                    producer.flush();
                    HttpResponse<String> response = TestPlatform.get(platform, path);
                    assertThat(condition.test(response)).as("GET %s answered %d %s", path, response.statusCode(), response.body()).isTrue();
                });
    }

    /** Every change of {@code sloKey}'s alert on latency.alerts, in order. */
    private static List<AlertState> alertStates(String sloKey) {
        Deserializer<LatencyAlert> alerts = serdes.value(LatencyAlert.class).deserializer();
        Predicate<ConsumerRecord<byte[], byte[]>> ofKey = record -> sloKey.equals(Topics.text(record.key()));
        // Once the RESOLVED change is on the topic, read all of it, so that a repeated change would be seen.
        Topics.awaitCommitted("latency.alerts",
                record -> ofKey.test(record) && alerts.deserialize(record.topic(), record.value()).getState() == AlertState.RESOLVED, PATIENCE);
        try (KafkaConsumer<byte[], byte[]> consumer = Topics.consumer(platform.bootstrapServers(), "read_committed")) {
            return Topics.readToEnd(consumer, "latency.alerts", PATIENCE).stream().filter(ofKey)
                    .map(record -> alerts.deserialize(record.topic(), record.value()).getState()).toList();
        }
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<String> response = TestPlatform.get(platform, path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
