package io.millrace.bench.harness;

import org.HdrHistogram.Histogram;

/** End-to-end latencies of one run, in microseconds, with HdrHistogram (three significant digits, up to 10 minutes). */
final class LatencyRecorder {

    private final Histogram histogram = new Histogram(1, 600_000_000L, 3);

    synchronized void recordMillis(long millis) {
        histogram.recordValue(Math.max(1, Math.min(millis * 1000, histogram.getHighestTrackableValue())));
    }

    synchronized Latency summary() {
        if (histogram.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0);
        }
        return new Latency(histogram.getTotalCount(), histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(95) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                histogram.getMaxValue() / 1000.0);
    }

    /** Latency percentiles in milliseconds over {@code samples} records. */
    record Latency(long samples, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    }
}
