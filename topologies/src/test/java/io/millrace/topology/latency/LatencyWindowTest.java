package io.millrace.topology.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    @Test
    void countsServerErrorsButNotClientErrors() {
        LatencyWindow window = new LatencyWindow()
                .record(12_000, 200).record(15_000, 404).record(30_000, 500).record(250_000, 503);

        LatencyFigures figures = window.figures();

        assertThat(figures.count()).isEqualTo(4);
        assertThat(figures.errorCount()).isEqualTo(2);
        assertThat(figures.errorRate()).isEqualTo(0.5);
        assertThat(figures.meanMicros()).isEqualTo(76_750.0);
        assertThat(figures.maxMicros()).isEqualTo(250_000);
    }

    @Test
    void percentilesNeverExceedTheExactMaximum() {
        LatencyWindow window = new LatencyWindow().record(1_000_001, 200);

        assertThat(window.figures().p999Micros()).isEqualTo(1_000_001);
        assertThat(window.figures().p50Micros()).isEqualTo(1_000_001);
    }

    @Test
    void mergeAddsCountsErrorsSumsAndKeepsTheLargerMaximum() {
        LatencyWindow euWest = new LatencyWindow().record(10_000, 200).record(20_000, 502);
        LatencyWindow usEast = new LatencyWindow().record(90_000, 200);

        LatencyFigures merged = new LatencyWindow().merge(euWest).merge(usEast).figures();

        assertThat(merged.count()).isEqualTo(3);
        assertThat(merged.errorCount()).isEqualTo(1);
        assertThat(merged.meanMicros()).isEqualTo(40_000.0);
        assertThat(merged.maxMicros()).isEqualTo(90_000);
        assertThat(euWest.count()).as("the merged-in window is unchanged").isEqualTo(2);
    }

    @Test
    void bytesRoundTripKeepsEveryFigure() {
        LatencyWindow window = new LatencyWindow();
        for (int i = 0; i < 5_000; i++) {
            window.record(800 + (i * 37L) % 400_000, i % 50 == 0 ? 500 : 200);
        }

        LatencyWindow decoded = LatencyWindow.fromBytes(window.toBytes());

        assertThat(decoded.figures()).isEqualTo(window.figures());
    }

    @Test
    void refusesBytesOfAnUnknownFormat() {
        assertThatThrownBy(() -> LatencyWindow.fromBytes(new byte[] {9, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format");
    }
}
