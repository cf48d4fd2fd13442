package io.millrace.bench.harness;

import java.util.Map;
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

    private static final Map<String, Target> TARGETS = Map.of(
            "messenger", new Target("messenger", "deliveries/s", Side.OUTPUT, 46_000, 46_000, 5_000, Optional.empty(), false),
            "latency", new Target("latency", "samples/s", Side.INPUT, 10_000, 100_000, 10_000, Optional.empty(), true),
            "fraud", new Target("fraud", "decisions/s", Side.OUTPUT, 6_944, 21_000, 6_944, Optional.of(50.0), false));

    public static Target of(String pipeline) {
        return TARGETS.getOrDefault(pipeline, new Target(pipeline, "events/s", Side.INPUT, 0, 0, 1_000, Optional.empty(), false));
    }
}
