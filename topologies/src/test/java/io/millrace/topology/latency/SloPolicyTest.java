package io.millrace.topology.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.latency.AlertState;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SloPolicyTest {

    private static final SloPolicy.Objective CHECKOUT = new SloPolicy.Objective(250_000, 0.02, WindowSize.ONE_MINUTE);

    private static LatencyFigures figures(long count, double errorRate, long p99) {
        return new LatencyFigures(count, Math.round(count * errorRate), errorRate, p99 / 3.0, p99 + 1, p99 / 4, p99 / 2, p99 / 2, p99,
                p99 + 1);
    }

    @Test
    void breachesWhenP99IsAboveTheThreshold() {
        SloPolicy.Judgement judgement = SloPolicy.judge(CHECKOUT, figures(1_200, 0.001, 400_000));

        assertThat(judgement.breached()).isTrue();
        assertThat(judgement.reason()).contains("p99 400.0 ms > 250.0 ms").contains("1200 requests in 1m");
    }

    @Test
    void breachesWhenErrorRateIsAboveTheThresholdEvenIfFast() {
        SloPolicy.Judgement judgement = SloPolicy.judge(CHECKOUT, figures(1_000, 0.05, 80_000));

        assertThat(judgement.breached()).isTrue();
        assertThat(judgement.reason()).contains("error rate 5.00% > 2.00%");
    }

    @Test
    void doesNotBreachAtExactlyTheThresholds() {
        assertThat(SloPolicy.judge(CHECKOUT, figures(1_000, 0.02, 250_000)).breached()).isFalse();
    }

    @Test
    void anEmptyWindowNeverBreaches() {
        assertThat(SloPolicy.judge(new SloPolicy.Objective(1, 0, WindowSize.ONE_MINUTE), LatencyFigures.EMPTY).breached()).isFalse();
    }

    @Test
    void alertsAreEdgeTriggered() {
        assertThat(SloPolicy.transition(false, true)).contains(AlertState.FIRING);
        assertThat(SloPolicy.transition(true, true)).as("still breaching: no repeat").isEmpty();
        assertThat(SloPolicy.transition(true, false)).contains(AlertState.RESOLVED);
        assertThat(SloPolicy.transition(false, false)).isEmpty();
    }

    @Test
    void explainsWhatIsWrongWithARequestedObjective() {
        assertThat(SloPolicy.problems("checkout", "cart|add", 0L, 1.5, "2m")).containsExactly(
                "endpoint must not contain '|', control or invisible formatting characters",
                "p99ThresholdMicros must be between 1 and 3600000000",
                "errorRateThreshold must be between 0 and 1",
                "window must be 1m or 5m");
        assertThat(SloPolicy.problems("checkout", null, 250_000L, 0.01, null)).isEmpty();
        assertThat(SloPolicy.problems(" ", null, null, null, "5m")).hasSize(3);
        assertThat(SloPolicy.problems("../../../etc/passwd", null, 250_000L, 0.01, null)).containsExactly(
                "service may hold only letters, digits and . _ - : @, starting with a letter or digit");
        assertThat(SloPolicy.problems("checkout", "cart\u202Eadd", 250_000L, 0.01, null)).containsExactly(
                "endpoint must not contain '|', control or invisible formatting characters");
    }

    @Test
    void keysAreTheServiceOrServiceAndEndpoint() {
        assertThat(SloPolicy.key("checkout", null)).isEqualTo("checkout");
        assertThat(SloPolicy.key("checkout", "cart.add")).isEqualTo("checkout|cart.add");
        assertThat(Optional.of(SeriesKey.parse("checkout|cart.add").scope().name())).contains("ENDPOINT");
    }
}
