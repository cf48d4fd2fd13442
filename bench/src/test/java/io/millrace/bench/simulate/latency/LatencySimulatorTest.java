package io.millrace.bench.simulate.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.schemas.latency.LatencySample;
import io.millrace.schemas.latency.SloDefinition;
import io.millrace.schemas.registry.InMemorySchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.PipelineContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LatencySimulatorTest {

    private static final long NOON = 1_740_830_400_000L;
    private final SchemaRegistry registry = new SchemaRegistry(new InMemorySchemaLog());
    private final AvroSerdes serdes;
    private final LatencySimulator simulator;

    LatencySimulatorTest() {
        registry.start();
        serdes = new AvroSerdes(new LocalRegistryClient(registry));
        simulator = new LatencySimulator(new PipelineContext(serdes, new SimpleMeterRegistry()));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void sendsAnObjectivePerServiceBeforeAnySample() {
        SplittableRandom random = new SplittableRandom(1);
        List<SloDefinition> objectives = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            SimulatedEvent event = simulator.next(random, NOON);
            assertThat(event.topic()).isEqualTo("latency.slos");
            objectives.add(serdes.value(SloDefinition.class).deserializer().deserialize(event.topic(), event.value()));
        }

        assertThat(objectives).extracting(SloDefinition::getService).doesNotHaveDuplicates().contains("checkout", "payments");
        assertThat(objectives).allSatisfy(slo -> assertThat(slo.getP99ThresholdMicros()).isBetween(1_000L, 10_000_000L));
        assertThat(simulator.next(random, NOON).topic()).isEqualTo("latency.samples");
    }

    @Test
    void mostSamplesAreValidAndOnTimeWithAFewLateInvalidOrUndecodable() {
        SplittableRandom random = new SplittableRandom(2);
        LongStream.range(0, 12).forEach(i -> simulator.next(random, NOON));
        int garbage = 0;
        int invalid = 0;
        int late = 0;
        int errors = 0;
        for (int i = 0; i < 100_000; i++) {
            SimulatedEvent event = simulator.next(random, NOON);
            if (event.value()[0] != 0) {
                garbage++;
                continue;
            }
            LatencySample sample = serdes.value(LatencySample.class).deserializer().deserialize(event.topic(), event.value());
            assertThat(new String(event.key())).isEqualTo(sample.getService());
            invalid += sample.getDurationMicros() < 0 ? 1 : 0;
            late += sample.getTimestamp() < NOON ? 1 : 0;
            errors += sample.getStatusCode() >= 500 ? 1 : 0;
        }

        assertThat(garbage).isBetween(20, 100);
        assertThat(invalid).isBetween(20, 100);
        assertThat(late).isBetween(700, 1_300);
        assertThat(errors).as("0.4% outside error bursts, more inside").isBetween(300, 5_000);
    }

    @Test
    void regressionsAndErrorBurstsComeAndGo() {
        long regressingMinutes = LongStream.range(0, 60).filter(minute -> LatencySimulator.regressing(0, minute)).count();
        long burstMinutes = LongStream.range(0, 68).filter(minute -> LatencySimulator.errorBurst(1, minute)).count();

        assertThat(regressingMinutes).isEqualTo(12);
        assertThat(burstMinutes).isEqualTo(8);
        assertThat(LongStream.range(0, 60).noneMatch(minute -> LatencySimulator.regressing(1, minute))).isTrue();
    }
}
