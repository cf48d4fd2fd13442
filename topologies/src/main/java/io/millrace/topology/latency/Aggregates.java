package io.millrace.topology.latency;

import io.millrace.schemas.latency.LatencyAggregate;
import java.nio.ByteBuffer;

/** Turns a closed window of a series into the {@link LatencyAggregate} event other pipelines read, and back. */
public final class Aggregates {

    private Aggregates() {
    }

    public static LatencyAggregate of(SeriesKey series, WindowSize size, long windowStart, LatencyWindow window) {
        LatencyFigures figures = window.figures();
        return LatencyAggregate.newBuilder()
                .setScope(series.scope())
                .setService(series.service())
                .setEndpoint(series.endpoint())
                .setRegion(series.region())
                .setWindow(size.label())
                .setWindowStart(windowStart)
                .setWindowEnd(windowStart + size.millis())
                .setCount(figures.count())
                .setErrorCount(figures.errorCount())
                .setErrorRate(figures.errorRate())
                .setMeanMicros(figures.meanMicros())
                .setMaxMicros(figures.maxMicros())
                .setP50Micros(figures.p50Micros())
                .setP90Micros(figures.p90Micros())
                .setP95Micros(figures.p95Micros())
                .setP99Micros(figures.p99Micros())
                .setP999Micros(figures.p999Micros())
                .setSketch(ByteBuffer.wrap(window.sketch().toCompressedBytes()))
                .setTimestamp(windowStart)
                .build();
    }

    /** The window an aggregate describes, ready to be merged with others. */
    public static LatencyWindow window(LatencyAggregate aggregate) {
        ByteBuffer buffer = aggregate.getSketch().duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return LatencyWindow.of(aggregate.getCount(), aggregate.getErrorCount(), aggregate.getMeanMicros(),
                aggregate.getMaxMicros(), LatencySketch.fromCompressedBytes(bytes));
    }

    public static LatencyFigures figures(LatencyAggregate aggregate) {
        return new LatencyFigures(aggregate.getCount(), aggregate.getErrorCount(), aggregate.getErrorRate(), aggregate.getMeanMicros(),
                aggregate.getMaxMicros(), aggregate.getP50Micros(), aggregate.getP90Micros(), aggregate.getP95Micros(),
                aggregate.getP99Micros(), aggregate.getP999Micros());
    }
}
