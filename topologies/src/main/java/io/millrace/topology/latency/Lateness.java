package io.millrace.topology.latency;

import java.time.Duration;

/**
 * Whether a sample arrives in time for its one-minute window, judged as Kafka Streams does: a window
 * accepts samples until stream time passes its end plus the grace period, and drops them afterwards.
 */
public final class Lateness {

    /** How a sample stands against the stream time when it arrives. */
    public enum Verdict {
        /** Its window has not ended yet. */
        ON_TIME,
        /** Its window has ended but is still within the grace period: counted, and aggregated. */
        WITHIN_GRACE,
        /** Its window is closed: counted, and dropped. */
        TOO_LATE
    }

    private final long windowMillis;
    private final long graceMillis;

    public Lateness(Duration window, Duration grace) {
        this.windowMillis = window.toMillis();
        this.graceMillis = grace.toMillis();
    }

    public Verdict of(long eventTime, long streamTime) {
        long windowEnd = Math.floorDiv(eventTime, windowMillis) * windowMillis + windowMillis;
        if (windowEnd > streamTime) {
            return Verdict.ON_TIME;
        }
        return windowEnd + graceMillis > streamTime ? Verdict.WITHIN_GRACE : Verdict.TOO_LATE;
    }
}
