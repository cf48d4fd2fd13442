package io.millrace.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.topology.runtime.PipelineHealth.Status;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class PipelineHealthTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final PipelineHealth health = new PipelineHealth(Duration.ofSeconds(60), clock::get);

    @Test
    void aPipelineThatCommitsProgressIsUpWhateverItsLag() {
        health.measured(Map.of("orders", 500L), 100);
        clock.addAndGet(50_000);
        health.measured(Map.of("orders", 800L), 160);
        clock.addAndGet(50_000);
        health.measured(Map.of("orders", 900L), 220);

        assertThat(health.verdict(KafkaStreams.State.RUNNING).status()).isEqualTo(Status.UP);
        assertThat(health.lag()).isEqualTo(900);
    }

    @Test
    void aPipelineWhoseCommittedOffsetsStandStillWhileRecordsWaitIsDegradedWithWhereTheyWait() {
        health.measured(Map.of("orders", 40L, "payments", 2L), 100);
        clock.addAndGet(59_000);
        health.measured(Map.of("orders", 45L, "payments", 2L), 100);
        assertThat(health.verdict(KafkaStreams.State.RUNNING).status()).isEqualTo(Status.UP);

        clock.addAndGet(2_000);
        health.measured(Map.of("orders", 47L, "payments", 2L), 100);
        PipelineHealth.Verdict verdict = health.verdict(KafkaStreams.State.RUNNING);

        assertThat(verdict.status()).isEqualTo(Status.DEGRADED);
        assertThat(verdict.reason()).isEqualTo("no progress for 61 s while 49 records wait (orders: 47, payments: 2)");
    }

    @Test
    void anIdlePipelineWithNothingToDoIsUp() {
        for (int i = 0; i < 120; i++) {
            health.measured(Map.of("orders", 0L), 100);
            clock.addAndGet(5_000);
        }
        health.measured(Map.of("orders", 0L), 100);

        assertThat(health.verdict(KafkaStreams.State.RUNNING).status()).isEqualTo(Status.UP);
    }

    @Test
    void threeThreadFailuresWithinFiveMinutesMakeItDegradedUntilTheyAgeOut() {
        for (int i = 0; i < 3; i++) {
            health.threadFailed(new IllegalStateException("store closed"),
                    Optional.of(new PoisonRecords.Coordinates("orders", 1, 40 + i)));
            clock.addAndGet(10_000);
        }
        PipelineHealth.Verdict verdict = health.verdict(KafkaStreams.State.RUNNING);
        assertThat(verdict.status()).isEqualTo(Status.DEGRADED);
        assertThat(verdict.reason()).startsWith("stream thread failed 3 times in the last 5 minutes")
                .endsWith("IllegalStateException: store closed (on record orders-1@42)");

        clock.addAndGet(Duration.ofMinutes(5).toMillis());
        health.measured(Map.of("orders", 0L), 200);
        assertThat(health.verdict(KafkaStreams.State.RUNNING).status()).isEqualTo(Status.UP);
    }

    @Test
    void aPipelineWhoseLagCannotBeMeasuredForTheStallTimeoutIsDegradedWithTheReason() {
        health.measured(Map.of("orders", 3L), 100);
        clock.addAndGet(30_000);
        health.measurementFailed(new org.apache.kafka.common.errors.TimeoutException("Timed out waiting for a node assignment"));
        assertThat(health.verdict(KafkaStreams.State.RUNNING).status()).isEqualTo(Status.UP);

        clock.addAndGet(31_000);
        PipelineHealth.Verdict verdict = health.verdict(KafkaStreams.State.RUNNING);

        assertThat(verdict.status()).isEqualTo(Status.DEGRADED);
        assertThat(verdict.reason()).isEqualTo("lag not measured for 61 s: the broker did not answer "
                + "(TimeoutException: Timed out waiting for a node assignment)");
        health.measured(Map.of("orders", 0L), 103);
        assertThat(health.verdict(KafkaStreams.State.RUNNING).status()).isEqualTo(Status.UP);
    }

    @Test
    void kafkaStreamsInErrorIsDown() {
        assertThat(health.verdict(KafkaStreams.State.ERROR)).isEqualTo(new PipelineHealth.Verdict(Status.DOWN, "Kafka Streams is ERROR"));
        assertThat(health.verdict(KafkaStreams.State.NOT_RUNNING).status()).isEqualTo(Status.DOWN);
        assertThat(health.verdict(KafkaStreams.State.REBALANCING).status()).isEqualTo(Status.UP);
    }

    @Test
    void lagIsUnknownUntilTheFirstMeasurementAndAPipelineNeverMeasuredIsDegradedAfterTheStallTimeout() {
        assertThat(health.lag()).isEqualTo(-1);
        assertThat(health.verdict(KafkaStreams.State.RUNNING).status()).isEqualTo(Status.UP);

        clock.addAndGet(60_000);
        assertThat(health.verdict(KafkaStreams.State.RUNNING).reason()).startsWith("lag not measured for 60 s");
    }
}
