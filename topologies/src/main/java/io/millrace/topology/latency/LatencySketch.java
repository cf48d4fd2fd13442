package io.millrace.topology.latency;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.HdrHistogram.IntCountsHistogram;

/**
 * A mergeable latency distribution: an HdrHistogram of microseconds with two significant digits, so
 * any percentile it reports is within 1% of the exact value (at most 1/256 off, see {@link #percentile}).
 * Windows are merged by adding sketches, never by averaging percentiles.
 */
public final class LatencySketch {

    /** Two significant digits: 256 sub-buckets per power of two, a bucket is at most 1/128 of its value wide. */
    static final int SIGNIFICANT_DIGITS = 2;

    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(64 * 1024));

    private final IntCountsHistogram histogram;

    public LatencySketch() {
        this(new IntCountsHistogram(SIGNIFICANT_DIGITS));
    }

    private LatencySketch(IntCountsHistogram histogram) {
        // Auto-resizing keeps the counts array as small as the largest value seen needs: small stores, cheap codecs.
        histogram.setAutoResize(true);
        this.histogram = histogram;
    }

    public void record(long micros) {
        histogram.recordValue(micros);
    }

    /** Adds every value of {@code other} to this sketch. */
    public void merge(LatencySketch other) {
        histogram.add(other.histogram);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /**
     * The value at {@code percentile} (0-100), as the middle of the bucket that holds the sample of that
     * rank (nearest rank), which halves the bucket's relative width: within 1/256 of the exact value.
     */
    public long percentile(double percentile) {
        if (histogram.getTotalCount() == 0) {
            return 0;
        }
        long value = histogram.getValueAtPercentile(percentile);
        return histogram.medianEquivalentValue(value);
    }

    /** HdrHistogram's own encoding (zig-zag LEB128 counts with runs of zeros collapsed): compact and fast, for stores. */
    public byte[] toBytes() {
        ByteBuffer buffer = scratch(neededCapacity());
        encodeInto(buffer);
        byte[] bytes = new byte[buffer.position()];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }

    public static LatencySketch fromBytes(byte[] bytes) {
        return decodeFrom(ByteBuffer.wrap(bytes));
    }

    /** The most bytes {@link #encodeInto} may write. */
    int neededCapacity() {
        return histogram.getNeededByteBufferCapacity();
    }

    /** Writes the encoding of {@link #toBytes} at the buffer's position (which has {@link #neededCapacity} bytes of room). */
    void encodeInto(ByteBuffer buffer) {
        histogram.encodeIntoByteBuffer(buffer);
    }

    /** Reads the encoding of {@link #toBytes} from the buffer's position. */
    static LatencySketch decodeFrom(ByteBuffer buffer) {
        return new LatencySketch(IntCountsHistogram.decodeFromByteBuffer(buffer, 0));
    }

    /**
     * This thread's encoding buffer, cleared, with at least {@code capacity} bytes: a window is encoded on every sample it
     * takes (the store's read-modify-write), and a buffer of the histogram's full capacity, allocated and zeroed for each,
     * was a fifth of the stream thread's time.
     */
    static ByteBuffer scratch(int capacity) {
        ByteBuffer buffer = SCRATCH.get();
        if (buffer.capacity() < capacity) {
            buffer = ByteBuffer.allocate(Math.max(capacity, buffer.capacity() * 2));
            SCRATCH.set(buffer);
        }
        buffer.clear();
        return buffer;
    }

    /** The same encoding, deflated: about 20% smaller and several times slower, for records other systems keep. */
    public byte[] toCompressedBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }

    public static LatencySketch fromCompressedBytes(byte[] bytes) {
        try {
            return new LatencySketch(IntCountsHistogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0));
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("Not a compressed HdrHistogram: " + e.getMessage(), e);
        }
    }
}
