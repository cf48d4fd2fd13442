package io.millrace.topology.latency;

/** The published figures of one window: counts, error rate, mean, exact max and sketch percentiles, in microseconds. */
public record LatencyFigures(long count, long errorCount, double errorRate, double meanMicros, long maxMicros,
                             long p50Micros, long p90Micros, long p95Micros, long p99Micros, long p999Micros) {

    static final LatencyFigures EMPTY = new LatencyFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
