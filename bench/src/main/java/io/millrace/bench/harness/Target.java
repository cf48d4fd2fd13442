package io.millrace.bench.harness;

import java.util.Optional;

/**
 * What a pipeline must carry, from its case study: the daily-average rate (seed), the peak target it is
 * benchmarked against (about 3x), whether that rate counts input events or output records, and the rate
 * offered during the latency run. A windowed pipeline's outputs appear when windows close, so their age says
 * how long windows wait, not how fast the pipeline is; its latency is not reported.
 */
public record Target(String pipeline, String unit, Side side, double seedRate, double peakTarget, double latencyRunRate,
                     Optional<Double> p99TargetMs, boolean windowedOutput) {

    /** Which side of the pipeline the rate is counted on. */
    public enum Side { INPUT, OUTPUT }

    /** Whether a run met this target: its rate (on the target's side) at least the peak, and its p99 within any limit. */
    public boolean metBy(double inputRate, double outputRate, double p99Ms) {
        double rate = side == Side.OUTPUT ? outputRate : inputRate;
        return rate >= peakTarget && p99TargetMs.map(limit -> p99Ms <= limit).orElse(true);
    }

    public Target {
        if (peakTarget <= 0 || seedRate <= 0 || latencyRunRate <= 0) {
            throw new IllegalArgumentException(pipeline + ": a benchmark target needs positive rates, from its case study");
        }
    }
}
