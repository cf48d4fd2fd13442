package io.millrace.topology.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.latency.AggregateScope;
import io.millrace.schemas.latency.AlertState;
import io.millrace.schemas.latency.LatencyAggregate;
import io.millrace.schemas.latency.LatencyAlert;
import io.millrace.schemas.latency.LatencySample;
import io.millrace.schemas.latency.SloDefinition;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.testkit.PipelineTestDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyPipelineTest {

    private static final long NINE = Instant.parse("2025-03-01T09:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    @TempDir Path stateDir;
    private PipelineTestDriver<LatencyPipeline> kit;
    private SimpleMeterRegistry meters;
    private LatencyPipeline pipeline;
    private TopologyTestDriver driver;
    private TestInputTopic<String, LatencySample> samples;
    private TestInputTopic<String, SloDefinition> slos;
    private TestOutputTopic<String, LatencyAggregate> aggregates;
    private TestOutputTopic<String, LatencyAlert> alerts;
    private TestOutputTopic<String, Rejected> rejected;
    private LatencyQueries queries;
    private final List<LatencyAggregate> emitted = new ArrayList<>();

    @BeforeEach
    void start() {
        kit = PipelineTestDriver.start(LatencyPipeline::new, stateDir, Instant.ofEpochMilli(NINE));
        meters = kit.meters;
        pipeline = kit.pipeline;
        driver = kit.driver;
        AvroSerdes serdes = kit.serdes;
        LatencyTopics topics = pipeline.latencyTopics();
        samples = driver.createInputTopic(topics.samples().name(), Serdes.String().serializer(), topics.samples().valueSerde().serializer());
        slos = driver.createInputTopic(topics.slos().name(), Serdes.String().serializer(), topics.slos().valueSerde().serializer());
        aggregates = driver.createOutputTopic(topics.aggregates().name(), Serdes.String().deserializer(),
                topics.aggregates().valueSerde().deserializer());
        alerts = driver.createOutputTopic(topics.alerts().name(), Serdes.String().deserializer(), topics.alerts().valueSerde().deserializer());
        rejected = driver.createOutputTopic("latency.rejected", Serdes.String().deserializer(),
                serdes.value(Rejected.class).deserializer());
        queries = new LatencyQueries(kit.stores(), pipeline.closedWindows(), () -> NINE + 30 * MINUTE);
    }

    @AfterEach
    void stop() {
        kit.close();
    }

    @Test
    void reportsEachEndpointMinuteWithExactCountsAndPercentilesWithinOnePercent() {
        for (int i = 1; i <= 1_000; i++) {
            sample("checkout", "cart.add", "eu-west", i * 100L, i % 100 == 0 ? 503 : 200, NINE + i * 50L);
        }

        closeMinutesBefore(NINE + 2 * MINUTE);

        LatencyAggregate minute = only(aggregates(AggregateScope.ENDPOINT_REGION, "1m", "checkout"));
        assertThat(minute.getWindowStart()).isEqualTo(NINE);
        assertThat(minute.getWindowEnd()).isEqualTo(NINE + MINUTE);
        assertThat(minute.getCount()).isEqualTo(1_000);
        assertThat(minute.getErrorRate()).isEqualTo(0.01);
        assertThat(minute.getMeanMicros()).isEqualTo(50_050.0);
        assertThat(minute.getMaxMicros()).isEqualTo(100_000);
        assertThat((double) minute.getP50Micros()).isCloseTo(50_000, within(500.0));
        assertThat((double) minute.getP99Micros()).isCloseTo(99_000, within(990.0));
        assertThat((double) minute.getP999Micros()).isCloseTo(99_900, within(999.0));
        assertThat(minute.getRegion()).isEqualTo("eu-west");
    }

    @Test
    void rollsUpEndpointsAndServicesByMergingSketchesNotByAveragingPercentiles() {
        for (int i = 1; i <= 900; i++) {
            sample("checkout", "cart.add", i % 2 == 0 ? "eu-west" : "us-east", 1_000 + i * 10L, 200, NINE + i * 60L);
        }
        for (int i = 0; i < 100; i++) {
            sample("checkout", "payment.authorize", "eu-west", 500_000, 200, NINE + i * 500L);
        }

        closeMinutesBefore(NINE + 2 * MINUTE);

        LatencyAggregate cartAdd = only(aggregates(AggregateScope.ENDPOINT, "1m", "checkout").stream()
                .filter(a -> a.getEndpoint().equals("cart.add")).toList());
        assertThat(cartAdd.getCount()).as("both regions").isEqualTo(900);
        assertThat(cartAdd.getRegion()).isNull();
        LatencyAggregate service = only(aggregates(AggregateScope.SERVICE, "1m", "checkout"));
        assertThat(service.getCount()).isEqualTo(1_000);
        assertThat((double) service.getP99Micros()).as("p99 of all requests of the service").isCloseTo(500_000, within(5_000.0));
        assertThat(service.getMaxMicros()).isEqualTo(500_000);
        assertThat(service.getEndpoint()).isNull();
    }

    @Test
    void fiveMinuteWindowsHopByOneMinuteAndMergeTheirFiveMinutes() {
        for (int minute = 0; minute < 6; minute++) {
            for (int i = 0; i <= minute; i++) {
                sample("search", "query", "ap-south", 40_000 + minute * 1_000L, 200, NINE + minute * MINUTE + i * 1_000L);
            }
        }

        closeMinutesBefore(NINE + 7 * MINUTE);

        List<LatencyAggregate> fiveMinutes = aggregates(AggregateScope.SERVICE, "5m", "search");
        assertThat(fiveMinutes).extracting(LatencyAggregate::getWindowStart)
                .containsExactly(NINE - 4 * MINUTE, NINE - 3 * MINUTE, NINE - 2 * MINUTE, NINE - MINUTE, NINE, NINE + MINUTE);
        LatencyAggregate first = fiveMinutes.get(4);
        assertThat(first.getWindowEnd()).isEqualTo(NINE + 5 * MINUTE);
        assertThat(first.getCount()).as("minutes 0..4: 1+2+3+4+5").isEqualTo(15);
        LatencyAggregate last = fiveMinutes.get(5);
        assertThat(last.getCount()).as("minutes 1..5: 2+3+4+5+6").isEqualTo(20);
        assertThat(last.getMaxMicros()).isEqualTo(45_000);
        assertThat(aggregates(AggregateScope.SERVICE, "1m", "search")).extracting(LatencyAggregate::getCount)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void globalRollUpMergesTheSketchesOfEveryService() {
        for (int i = 0; i < 300; i++) {
            sample("checkout", "cart.add", "eu-west", 20_000, 200, NINE + i * 100L);
            sample("search", "query", "us-east", 80_000, i < 30 ? 500 : 200, NINE + i * 100L);
        }

        // The global minute closes a grace minute after later service minutes reach it: the heartbeat's minute 3 does.
        closeMinutesBefore(NINE + 3 * MINUTE);
        closeMinutesBefore(NINE + 5 * MINUTE);

        LatencyAggregate global = emitted().stream()
                .filter(a -> a.getScope() == AggregateScope.GLOBAL && a.getWindow().equals("1m") && a.getWindowStart() == NINE)
                .findFirst().orElseThrow();
        assertThat(global.getCount()).as("both services, not the heartbeat of later minutes").isEqualTo(600);
        assertThat(global.getErrorRate()).isEqualTo(0.05);
        assertThat((double) global.getP50Micros()).isCloseTo(20_000, within(200.0));
        assertThat((double) global.getP99Micros()).isCloseTo(80_000, within(800.0));
        assertThat(global.getService()).isNull();
    }

    @Test
    void lateSampleWithinGraceIsAggregatedAndCounted() {
        sample("checkout", "cart.add", "eu-west", 10_000, 200, NINE + 30_000);
        sample("checkout", "cart.add", "eu-west", 10_000, 200, NINE + MINUTE + 10_000);
        sample("checkout", "cart.add", "eu-west", 90_000, 200, NINE + 50_000);

        closeMinutesBefore(NINE + 3 * MINUTE);

        LatencyAggregate minute = aggregates(AggregateScope.ENDPOINT_REGION, "1m", "checkout").get(0);
        assertThat(minute.getWindowStart()).isEqualTo(NINE);
        assertThat(minute.getCount()).isEqualTo(2);
        assertThat(minute.getMaxMicros()).isEqualTo(90_000);
        assertThat(lateSamples("within_grace")).isEqualTo(1.0);
        assertThat(lateSamples("dropped")).isZero();
    }

    @Test
    void sampleLaterThanGraceIsDroppedAndCountedByUsAndByKafkaStreams() {
        sample("checkout", "cart.add", "eu-west", 10_000, 200, NINE + 30_000);
        sample("checkout", "cart.add", "eu-west", 10_000, 200, NINE + MINUTE + 40_000);
        sample("checkout", "cart.add", "eu-west", 90_000, 200, NINE + 45_000);

        closeMinutesBefore(NINE + 3 * MINUTE);

        LatencyAggregate minute = aggregates(AggregateScope.ENDPOINT_REGION, "1m", "checkout").get(0);
        assertThat(minute.getCount()).isEqualTo(1);
        assertThat(minute.getMaxMicros()).isEqualTo(10_000);
        assertThat(lateSamples("dropped")).isEqualTo(1.0);
        assertThat(streamsMetric("dropped-records-total")).isEqualTo(1.0);
    }

    @Test
    void alertFiresOnceWhenP99BreachesAndResolvesOnceWhenItClears() {
        slo("checkout", null, 200_000, 0.05, "1m");
        int[] p99Millis = {40, 450, 600, 450, 40, 40};
        for (int minute = 0; minute < p99Millis.length; minute++) {
            for (int i = 0; i < 200; i++) {
                sample("checkout", "cart.add", "eu-west", i < 190 ? 20_000 : p99Millis[minute] * 1_000L, 200,
                        NINE + minute * MINUTE + i * 250L);
            }
        }

        closeMinutesBefore(NINE + 8 * MINUTE);

        List<LatencyAlert> changes = alerts.readValuesToList();
        assertThat(changes).extracting(LatencyAlert::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        LatencyAlert firing = changes.get(0);
        assertThat(firing.getSloKey()).isEqualTo("checkout");
        assertThat(firing.getWindowStart()).isEqualTo(NINE + MINUTE);
        assertThat(firing.getP99ThresholdMicros()).isEqualTo(200_000);
        assertThat((double) firing.getP99Micros()).isCloseTo(450_000, within(4_500.0));
        assertThat(firing.getReason()).contains("p99").contains("> 200.0 ms");
        LatencyAlert resolved = changes.get(1);
        assertThat(resolved.getWindowStart()).isEqualTo(NINE + 4 * MINUTE);
        assertThat(resolved.getFiringSince()).isEqualTo(NINE + MINUTE);
        assertThat(queries.alerts(Optional.of(AlertState.FIRING))).isEmpty();
        assertThat(queries.alerts(Optional.of(AlertState.RESOLVED))).singleElement()
                .satisfies(alert -> assertThat(alert.firingSince()).isEqualTo(NINE + MINUTE));
    }

    @Test
    void endpointObjectiveOnErrorRateJudgesOnlyThatEndpointOverFiveMinutes() {
        slo("payments", "card.charge", 2_000_000, 0.05, "5m");
        for (int minute = 0; minute < 3; minute++) {
            for (int i = 0; i < 100; i++) {
                boolean burst = minute == 2 && i < 40;
                sample("payments", "card.charge", i % 2 == 0 ? "eu-west" : "us-east", 120_000, burst ? 502 : 200,
                        NINE + minute * MINUTE + i * 500L);
                sample("payments", "refund", "eu-west", 90_000, 500, NINE + minute * MINUTE + i * 500L);
            }
        }

        closeMinutesBefore(NINE + 4 * MINUTE);

        LatencyAlert alert = only(alerts.readValuesToList());
        assertThat(alert.getSloKey()).isEqualTo("payments|card.charge");
        assertThat(alert.getEndpoint()).isEqualTo("card.charge");
        assertThat(alert.getState()).isEqualTo(AlertState.FIRING);
        assertThat(alert.getWindow()).isEqualTo("5m");
        assertThat(alert.getErrorRate()).as("40 of 300 in the five minutes ending with the burst").isCloseTo(40 / 300.0, within(1e-9));
        assertThat(queries.alerts(Optional.of(AlertState.FIRING))).extracting(LatencyQueries.Alert::sloKey)
                .containsExactly("payments|card.charge");
    }

    @Test
    void invalidSampleIsRejectedWithItsReasonAndTheOthersStillCount() {
        sample("checkout", "cart.add", "eu-west", -12, 200, NINE + 1_000);
        sample("checkout", "cart.add", "eu-west", 12_000, 200, NINE + 2_000);

        closeMinutesBefore(NINE + 2 * MINUTE);

        Rejected rejection = rejected.readValue();
        assertThat(rejection.getCode()).isEqualTo("DURATION_OUT_OF_RANGE");
        assertThat(rejection.getEventJson()).contains("\"durationMicros\":-12");
        assertThat(only(aggregates(AggregateScope.ENDPOINT_REGION, "1m", "checkout")).getCount()).isEqualTo(1);
        assertThat(meters.get("millrace.rejected").tags("pipeline", "latency", "code", "DURATION_OUT_OF_RANGE").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void undecodableSampleGoesToTheDeadLetterTopicAndTheNextOneCounts() {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic("latency.samples", Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic("latency.dlq", Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        raw.pipeInput("checkout", "\u0007not avro".getBytes(StandardCharsets.UTF_8), NINE);
        sample("checkout", "cart.add", "eu-west", 12_000, 200, NINE + 2_000);

        closeMinutesBefore(NINE + 2 * MINUTE);

        assertThat(new String(dlq.readValue(), StandardCharsets.UTF_8)).contains("not avro");
        assertThat(only(aggregates(AggregateScope.ENDPOINT_REGION, "1m", "checkout")).getCount()).isEqualTo(1);
    }

    @Test
    void undecodableObjectiveIsDeadLetteredAndTheNextObjectiveStillApplies() {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic("latency.slos", Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        raw.pipeInput("checkout", "{\"p99\": 5}".getBytes(StandardCharsets.UTF_8), NINE);
        slo("checkout", null, 100_000, 0.05, "1m");

        for (int i = 0; i < 100; i++) {
            sample("checkout", "cart.add", "eu-west", 300_000, 200, NINE + i * 100L);
        }
        closeMinutesBefore(NINE + 2 * MINUTE);

        assertThat(kit.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(PipelineTestDriver.header(letter, "__streams.errors.topic")).isEqualTo("latency.slos");
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"p99\": 5}");
        });
        assertThat(only(alerts.readValuesToList()).getState()).isEqualTo(AlertState.FIRING);
        assertThat(queries.slos()).extracting(LatencyQueries.Slo::key).containsExactly("checkout");
    }

    @Test
    void objectiveThatBreaksItsRulesIsRejectedAndTheTableKeepsThePreviousOne() {
        slo("checkout", null, 100_000, 0.05, "1m");
        slos.pipeInput("checkout", SloDefinition.newBuilder().setService("checkout").setP99ThresholdMicros(-5)
                .setErrorRateThreshold(0.05).setWindow("1m").setTimestamp(NINE).build(), NINE);
        slos.pipeInput("payments", SloDefinition.newBuilder().setService("checkout").setP99ThresholdMicros(50_000)
                .setErrorRateThreshold(0.05).setWindow("1m").setTimestamp(NINE).build(), NINE);

        assertThat(rejected.readValuesToList()).extracting(Rejected::getCode)
                .containsExactly(SloPolicy.INVALID_SLO, SloPolicy.KEY_MISMATCH);
        assertThat(queries.slos()).singleElement().satisfies(slo -> assertThat(slo.p99ThresholdMicros()).isEqualTo(100_000));
    }

    @Test
    void deletedObjectiveLeavesTheTable() {
        slo("checkout", null, 100_000, 0.05, "1m");
        slos.pipeInput("checkout", null, NINE);

        assertThat(queries.slos()).isEmpty();
        assertThat(rejected.isEmpty()).isTrue();
    }

    @Test
    void serviceSeriesMergesEndpointsPerMinuteIncludingTheOpenMinute() {
        for (int minute = 0; minute < 3; minute++) {
            for (int i = 0; i < 10; i++) {
                sample("search", "query", "eu-west", 30_000, 200, NINE + minute * MINUTE + i * 1_000L);
                sample("search", "suggest", "us-east", 5_000, 200, NINE + minute * MINUTE + i * 1_000L);
            }
        }
        closeMinutesBefore(NINE + 2 * MINUTE + 30_000);

        List<LatencyQueries.SeriesPoint> minutes = queries.serviceSeries("search", WindowSize.ONE_MINUTE, NINE, NINE + 10 * MINUTE)
                .orElseThrow();
        List<LatencyQueries.SeriesPoint> fiveMinutes = queries.serviceSeries("search", WindowSize.FIVE_MINUTES, NINE, NINE + 3 * MINUTE)
                .orElseThrow();

        assertThat(minutes).extracting(LatencyQueries.SeriesPoint::windowStart).containsExactly(NINE, NINE + MINUTE, NINE + 2 * MINUTE);
        assertThat(minutes).extracting(LatencyQueries.SeriesPoint::count).containsExactly(20L, 20L, 20L);
        assertThat(minutes).extracting(LatencyQueries.SeriesPoint::complete).containsExactly(true, true, false);
        assertThat(fiveMinutes).extracting(LatencyQueries.SeriesPoint::count).containsExactly(60L, 40L, 20L);
        assertThat(queries.endpointSeries("search", "query", Optional.empty(), WindowSize.ONE_MINUTE, NINE, NINE + 3 * MINUTE)
                .orElseThrow()).extracting(LatencyQueries.SeriesPoint::p99Micros).allSatisfy(p99 -> assertThat(p99).isEqualTo(30_000L));
        assertThat(queries.endpointSeries("search", "query", Optional.of("us-east"), WindowSize.ONE_MINUTE, NINE, NINE + 3 * MINUTE))
                .as("query is only served in eu-west").isEmpty();
        assertThat(queries.serviceSeries("unknown", WindowSize.ONE_MINUTE, NINE, NINE + 3 * MINUTE)).isEmpty();
    }

    @Test
    void slowestRanksEndpointsByP99OfTheLatestClosedWindowAcrossRegions() {
        for (int i = 0; i < 100; i++) {
            sample("checkout", "cart.add", i % 2 == 0 ? "eu-west" : "us-east", i < 98 ? 10_000 : 900_000, 200, NINE + i * 100L);
            sample("search", "query", "eu-west", 300_000, 200, NINE + i * 100L);
            sample("search", "suggest", "eu-west", 4_000, 200, NINE + i * 100L);
        }
        closeMinutesBefore(NINE + MINUTE + 40_000);

        List<LatencyQueries.EndpointLatency> slowest = queries.slowest(2, WindowSize.ONE_MINUTE);

        assertThat(slowest).extracting(LatencyQueries.EndpointLatency::endpoint).containsExactly("cart.add", "query");
        assertThat(slowest.get(0).count()).isEqualTo(100);
        assertThat(slowest.get(0).windowStart()).isEqualTo(NINE);
        assertThat(queries.services()).extracting(LatencyQueries.ServiceStatus::service).containsExactly("checkout", "search");
    }

    private void sample(String service, String endpoint, String region, long micros, int status, long at) {
        samples.pipeInput(service, LatencySample.newBuilder().setService(service).setEndpoint(endpoint).setRegion(region)
                .setDurationMicros(micros).setStatusCode(status).setTimestamp(at).build(), at);
    }

    private void slo(String service, String endpoint, long p99Micros, double errorRate, String window) {
        slos.pipeInput(SloPolicy.key(service, endpoint), SloDefinition.newBuilder().setService(service).setEndpoint(endpoint)
                .setP99ThresholdMicros(p99Micros).setErrorRateThreshold(errorRate).setWindow(window).setTimestamp(NINE).build(), NINE);
    }

    /**
     * Moves stream time to {@code at} with a heartbeat from another service, so that every minute whose end plus
     * grace lies before it closes; the wall clock moves on so that closed windows are emitted and rolled up.
     */
    private void closeMinutesBefore(long at) {
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        sample("heartbeat", "ping", "eu-west", 1_000, 200, at);
        driver.advanceWallClockTime(Duration.ofSeconds(2));
    }

    // Reading an output topic consumes it: keep what was read so that a test can look more than once.
    private List<LatencyAggregate> emitted() {
        emitted.addAll(aggregates.readValuesToList());
        return emitted;
    }

    private List<LatencyAggregate> aggregates(AggregateScope scope, String window, String service) {
        return emitted().stream()
                .filter(a -> a.getScope() == scope && a.getWindow().equals(window) && service.equals(a.getService()))
                .toList();
    }

    private static <T> T only(List<T> values) {
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    private double lateSamples(String outcome) {
        return meters.get(LatenessMeter.METRIC).tags("outcome", outcome).counter().count();
    }

    private double streamsMetric(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals("stream-task-metrics"))
                .map(e -> (Metric) e.getValue())
                .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
                .sum();
    }
}
