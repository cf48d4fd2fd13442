package io.millrace.topology.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LatenessTest {

    private final Lateness lateness = new Lateness(Duration.ofMinutes(1), Duration.ofSeconds(30));
    private static final long NINE = Instant.parse("2025-03-01T09:00:00Z").toEpochMilli();

    @Test
    void aSampleWhoseWindowIsStillOpenIsOnTimeEvenIfOlderThanStreamTime() {
        assertThat(lateness.of(NINE + 10_000, NINE + 59_999)).isEqualTo(Lateness.Verdict.ON_TIME);
    }

    @Test
    void aSampleAfterItsWindowEndedButWithinGraceIsAccepted() {
        assertThat(lateness.of(NINE + 50_000, NINE + 60_000)).isEqualTo(Lateness.Verdict.WITHIN_GRACE);
        assertThat(lateness.of(NINE + 50_000, NINE + 89_999)).isEqualTo(Lateness.Verdict.WITHIN_GRACE);
    }

    @Test
    void aSampleWhoseWindowClosedIsTooLate() {
        assertThat(lateness.of(NINE + 50_000, NINE + 90_000)).isEqualTo(Lateness.Verdict.TOO_LATE);
    }
}
