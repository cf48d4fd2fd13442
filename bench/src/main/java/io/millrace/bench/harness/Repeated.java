package io.millrace.bench.harness;

import io.millrace.bench.measure.OutputLatency;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One pipeline measured several times, each run on a fresh broker after a warm-up round: what the table reports is the
 * median run, with the spread of the runs beside it, so one lucky or unlucky run cannot make the figure.
 */
public record Repeated(String pipeline, List<BenchResult> runs) {

    public Repeated {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a repeated benchmark needs at least one run");
        }
        runs = List.copyOf(runs);
    }

    public static Repeated once(BenchResult result) {
        return new Repeated(result.pipeline(), List.of(result));
    }

    /**
     * The median of each figure over the runs: rates, the ratio (each run's own, to the passthrough of the same run) and
     * the latency distribution of the run with the median p99 (a measured distribution, not a blend of several).
     */
    public BenchResult median() {
        BenchResult first = runs.get(0);
        OutputLatency.Result latency = medianRun(r -> r.pipelineLatency().p99Ms()).pipelineLatency();
        OutputLatency.Result passthroughLatency = medianRun(r -> r.passthroughLatency().p99Ms()).passthroughLatency();
        double in = median(BenchResult::inputEventsPerSecond);
        double out = median(BenchResult::outputRecordsPerSecond);
        return new BenchResult(pipeline, first.events(), first.partitions(), median(BenchResult::passthroughEventsPerSecond), in, out,
                (long) median(r -> r.outputRecords()), median(BenchResult::ratioToPassthrough), first.latencyRunRate(), passthroughLatency,
                latency, first.target(), first.target().metBy(in, out, latency.p99Ms()));
    }

    /** The lowest and highest of {@code figure} over the runs, e.g. "11,200–12,900"; the one value when measured once. */
    public String spread(ToDoubleFunction<BenchResult> figure) {
        double low = runs.stream().mapToDouble(figure).min().orElseThrow();
        double high = runs.stream().mapToDouble(figure).max().orElseThrow();
        return low == high ? String.format(Locale.ROOT, "%,.0f", low) : String.format(Locale.ROOT, "%,.0f–%,.0f", low, high);
    }

    double median(ToDoubleFunction<BenchResult> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** The run at the middle by {@code figure} (the lower middle for an even count). */
    private BenchResult medianRun(ToDoubleFunction<BenchResult> figure) {
        List<BenchResult> sorted = runs.stream().sorted(Comparator.comparingDouble(figure)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
