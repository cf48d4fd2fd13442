package io.millrace.bench.harness;

import io.millrace.bench.measure.OutputLatency;

/** One pipeline's benchmark, with the passthrough measured in the same run. */
public record BenchResult(
        String pipeline,
        long events,
        int partitions,
        double passthroughEventsPerSecond,
        double inputEventsPerSecond,
        double outputRecordsPerSecond,
        long outputRecords,
        double ratioToPassthrough,
        double latencyRunRate,
        OutputLatency.Result passthroughLatency,
        OutputLatency.Result pipelineLatency,
        Target target,
        boolean meetsTarget) {

    /** A result, with its ratio to the passthrough and whether it met its target worked out from the figures. */
    public static BenchResult of(String pipeline, long events, int partitions, double passthroughEventsPerSecond,
                                 double inputEventsPerSecond, double outputRecordsPerSecond, long outputRecords, double latencyRunRate,
                                 OutputLatency.Result passthroughLatency, OutputLatency.Result pipelineLatency, Target target) {
        return new BenchResult(pipeline, events, partitions, passthroughEventsPerSecond, inputEventsPerSecond, outputRecordsPerSecond,
                outputRecords, inputEventsPerSecond / passthroughEventsPerSecond, latencyRunRate, passthroughLatency, pipelineLatency,
                target, target.metBy(inputEventsPerSecond, outputRecordsPerSecond, pipelineLatency.p99Ms()));
    }

    /** The rate the target is stated in: input events or output records per second. */
    public double targetedRate() {
        return target.side() == Target.Side.OUTPUT ? outputRecordsPerSecond : inputEventsPerSecond;
    }
}
