package io.millrace.topology.latency;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells readers of this instance's stores that one-minute windows closed: a generation that changes on
 * every close (caches of answers drop what they computed before it) and the latest closed window end.
 */
public final class ClosedWindows {

    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong latestEnd = new AtomicLong(Long.MIN_VALUE);

    void closed(long windowEnd) {
        latestEnd.accumulateAndGet(windowEnd, Math::max);
        generation.incrementAndGet();
    }

    public long generation() {
        return generation.get();
    }

    /** End of the newest one-minute window closed on this instance, if any closed since it started. */
    public OptionalLong latestEnd() {
        long end = latestEnd.get();
        return end == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(end);
    }
}
