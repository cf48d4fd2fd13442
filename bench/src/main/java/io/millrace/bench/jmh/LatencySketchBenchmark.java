package io.millrace.bench.jmh;

import io.millrace.topology.latency.LatencySketch;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a closing minute costs the latency pipeline: merging endpoint sketches into roll-ups, reading
 * percentiles, and the store round trip of a sketch (it is rewritten on every sample).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LatencySketchBenchmark {

    private LatencySketch checkout;
    private LatencySketch search;
    private byte[] encoded;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(11);
        checkout = new LatencySketch();
        search = new LatencySketch();
        for (int i = 0; i < 10_000; i++) {
            checkout.record((long) Math.exp(8 + random.nextGaussian() * 0.6));
            search.record((long) Math.exp(9 + random.nextGaussian() * 0.9));
        }
        encoded = checkout.toBytes();
    }

    @Benchmark
    public long mergeTwoEndpointsAndReadP99() {
        LatencySketch service = new LatencySketch();
        service.merge(checkout);
        service.merge(search);
        return service.percentile(99);
    }

    @Benchmark
    public LatencySketch storeRoundTrip() {
        return LatencySketch.fromBytes(encoded);
    }
}
