package io.millrace.topology.latency;

import java.nio.ByteBuffer;

/**
 * What is known of the requests of one series in one window: exact count, errors, sum and maximum,
 * and the sketch that answers percentiles. Windows merge exactly: counts add, sketches add.
 */
public final class LatencyWindow {

    private static final byte FORMAT = 1;
    /** The format byte and four var-longs of at most 10 bytes. */
    private static final int HEADER_BYTES = 1 + 4 * 10;

    private long count;
    private long errorCount;
    private long sumMicros;
    private long maxMicros;
    private final LatencySketch sketch;

    public LatencyWindow() {
        this(0, 0, 0, 0, new LatencySketch());
    }

    private LatencyWindow(long count, long errorCount, long sumMicros, long maxMicros, LatencySketch sketch) {
        this.count = count;
        this.errorCount = errorCount;
        this.sumMicros = sumMicros;
        this.maxMicros = maxMicros;
        this.sketch = sketch;
    }

    /** A window rebuilt from published figures and their sketch (the mean times the count gives back the sum). */
    public static LatencyWindow of(long count, long errorCount, double meanMicros, long maxMicros, LatencySketch sketch) {
        return new LatencyWindow(count, errorCount, Math.round(meanMicros * count), maxMicros, sketch);
    }

    /** Adds one request; a 5xx status is an error. */
    public LatencyWindow record(long durationMicros, int statusCode) {
        count++;
        if (statusCode >= 500) {
            errorCount++;
        }
        sumMicros += durationMicros;
        maxMicros = Math.max(maxMicros, durationMicros);
        sketch.record(durationMicros);
        return this;
    }

    /** Adds every request of {@code other} to this window. */
    public LatencyWindow merge(LatencyWindow other) {
        count += other.count;
        errorCount += other.errorCount;
        sumMicros += other.sumMicros;
        maxMicros = Math.max(maxMicros, other.maxMicros);
        sketch.merge(other.sketch);
        return this;
    }

    public long count() {
        return count;
    }

    public LatencySketch sketch() {
        return sketch;
    }

    public LatencyFigures figures() {
        if (count == 0) {
            return LatencyFigures.EMPTY;
        }
        return new LatencyFigures(count, errorCount, (double) errorCount / count, (double) sumMicros / count, maxMicros,
                percentile(50), percentile(90), percentile(95), percentile(99), percentile(99.9));
    }

    // The sketch reports the middle of a bucket, which may lie above the exact maximum.
    private long percentile(double percentile) {
        return Math.min(sketch.percentile(percentile), maxMicros);
    }

    public byte[] toBytes() {
        ByteBuffer buffer = LatencySketch.scratch(HEADER_BYTES + sketch.neededCapacity());
        buffer.put(FORMAT);
        putVarLong(buffer, count);
        putVarLong(buffer, errorCount);
        putVarLong(buffer, sumMicros);
        putVarLong(buffer, maxMicros);
        sketch.encodeInto(buffer);
        byte[] bytes = new byte[buffer.position()];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }

    public static LatencyWindow fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte format = buffer.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("Unknown latency window format " + format);
        }
        long count = getVarLong(buffer);
        long errors = getVarLong(buffer);
        long sum = getVarLong(buffer);
        long max = getVarLong(buffer);
        return new LatencyWindow(count, errors, sum, max, LatencySketch.decodeFrom(buffer));
    }

    private static void putVarLong(ByteBuffer buffer, long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            buffer.put((byte) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        buffer.put((byte) rest);
    }

    private static long getVarLong(ByteBuffer buffer) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buffer.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("Malformed variable-length number");
    }
}
