package io.millrace.connectors.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrontierPositionsTest {

    private final FrontierPositions positions = new FrontierPositions();

    @Test
    void aRestartResumesAtTheFirstRequestNotAnsweredYet() {
        positions.read(0, 10, true);
        positions.read(0, 11, true);
        positions.read(0, 12, true);

        // Another host's turn came first: 12 and 11 are answered before 10.
        assertThat(positions.answered(0, 12)).isEqualTo(10);
        assertThat(positions.answered(0, 11)).isEqualTo(10);
        assertThat(positions.answered(0, 10)).isEqualTo(13);
    }

    @Test
    void unreadableRecordsAreNotWaitedForAndPartitionsAreApart() {
        positions.read(0, 5, true);
        positions.read(0, 6, false);
        positions.read(1, 40, true);

        assertThat(positions.answered(1, 40)).isEqualTo(41);
        assertThat(positions.answered(0, 5)).isEqualTo(7);
    }
}
