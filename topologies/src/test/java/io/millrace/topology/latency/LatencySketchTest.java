package io.millrace.topology.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

    private static final double[] PERCENTILES = {1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99};

    /**
     * Request latencies as they look in production: a log-normal body (median 20 ms) and a Pareto tail
     * (3% of requests, from 100 ms, alpha 1.5) reaching tens of seconds.
     */
    static long[] heavyTailedMicros(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] samples = new long[n];
        for (int i = 0; i < n; i++) {
            double micros = random.nextDouble() < 0.97
                    ? 20_000 * Math.exp(0.6 * gaussian(random))
                    : 100_000 / Math.pow(1 - random.nextDouble(), 1 / 1.5);
            samples[i] = Math.min((long) micros, LatencySampleRules.MAX_DURATION_MICROS);
        }
        return samples;
    }

    static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** The exact nearest-rank percentile of sorted samples. */
    static long exact(long[] sorted, double percentile) {
        int rank = (int) Math.max(1, Math.ceil(percentile / 100.0 * sorted.length - 1e-9));
        return sorted[rank - 1];
    }

    @Test
    void percentilesOf100kHeavyTailedSamplesAreWithinOnePercentOfExact() {
        long[] samples = heavyTailedMicros(100_000, 7);
        LatencySketch sketch = new LatencySketch();
        Arrays.stream(samples).forEach(sketch::record);
        long[] sorted = samples.clone();
        Arrays.sort(sorted);

        double worst = 0;
        for (double p : PERCENTILES) {
            long exact = exact(sorted, p);
            double relativeError = Math.abs(sketch.percentile(p) - exact) / (double) exact;
            assertThat(relativeError).as("relative error at p%s (exact %d µs, sketch %d µs)", p, exact, sketch.percentile(p))
                    .isLessThanOrEqualTo(0.01);
            worst = Math.max(worst, relativeError);
        }
        System.out.printf("LatencySketch: worst relative error over %s on 100,000 heavy-tailed samples: %.3f%%%n",
                Arrays.toString(PERCENTILES), worst * 100);
        assertThat(sorted[sorted.length - 1]).as("the tail reaches seconds").isGreaterThan(5_000_000);
    }

    @Test
    void mergedSketchesEqualOneSketchOfAllSamples() {
        long[] samples = heavyTailedMicros(100_000, 11);
        LatencySketch whole = new LatencySketch();
        LatencySketch[] parts = new LatencySketch[10];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = new LatencySketch();
        }
        for (int i = 0; i < samples.length; i++) {
            whole.record(samples[i]);
            parts[i % parts.length].record(samples[i]);
        }

        LatencySketch merged = new LatencySketch();
        for (LatencySketch part : parts) {
            merged.merge(part);
        }

        assertThat(merged.count()).isEqualTo(100_000);
        for (double p : PERCENTILES) {
            assertThat(merged.percentile(p)).as("p%s", p).isEqualTo(whole.percentile(p));
        }
    }

    @Test
    void mergingGivesThePercentileOfTheUnionWhichAveragingPercentilesMisses() {
        LatencySketch fastEndpoint = new LatencySketch();
        LatencySketch slowEndpoint = new LatencySketch();
        for (int i = 1; i <= 900; i++) {
            fastEndpoint.record(1_000 + i * 10L);
        }
        for (int i = 0; i < 100; i++) {
            slowEndpoint.record(500_000);
        }
        double averageOfP99s = (fastEndpoint.percentile(99) + slowEndpoint.percentile(99)) / 2.0;

        LatencySketch service = new LatencySketch();
        service.merge(fastEndpoint);
        service.merge(slowEndpoint);

        assertThat((double) service.percentile(99)).isCloseTo(500_000, within(5_000.0));
        assertThat(averageOfP99s).isLessThan(260_000);
    }

    @Test
    void encodedSketchDecodesToTheSameDistributionAndKeepsGrowing() {
        long[] samples = heavyTailedMicros(100_000, 3);
        LatencySketch sketch = new LatencySketch();
        Arrays.stream(samples).forEach(sketch::record);

        byte[] plain = sketch.toBytes();
        byte[] compressed = sketch.toCompressedBytes();
        LatencySketch fromPlain = LatencySketch.fromBytes(plain);
        LatencySketch fromCompressed = LatencySketch.fromCompressedBytes(compressed);

        for (double p : PERCENTILES) {
            assertThat(fromPlain.percentile(p)).isEqualTo(sketch.percentile(p));
            assertThat(fromCompressed.percentile(p)).isEqualTo(sketch.percentile(p));
        }
        assertThat(plain.length).as("100,000 samples in a few kilobytes").isLessThan(4_000);
        assertThat(compressed.length).isLessThan(plain.length);
        fromPlain.record(LatencySampleRules.MAX_DURATION_MICROS);
        assertThat(fromPlain.count()).isEqualTo(100_001);
        assertThat(fromPlain.percentile(100)).isCloseTo(LatencySampleRules.MAX_DURATION_MICROS, within(20_000_000L));
    }

    @Test
    void emptySketchReportsZero() {
        assertThat(new LatencySketch().percentile(99)).isZero();
        assertThat(LatencySketch.fromBytes(new LatencySketch().toBytes()).count()).isZero();
    }
}
