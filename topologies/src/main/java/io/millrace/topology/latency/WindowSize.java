package io.millrace.topology.latency;

import java.time.Duration;
import java.util.Optional;

/** The two window lengths the pipeline keeps: 1-minute tumbling, and 5-minute hopping by one minute. */
public enum WindowSize {
    ONE_MINUTE("1m", Duration.ofMinutes(1)),
    FIVE_MINUTES("5m", Duration.ofMinutes(5));

    /** Every window is built from closed one-minute windows; this is the step between hopping windows too. */
    public static final long MINUTE_MS = Duration.ofMinutes(1).toMillis();

    private final String label;
    private final Duration length;

    WindowSize(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    public String label() {
        return label;
    }

    public long millis() {
        return length.toMillis();
    }

    /** How many one-minute windows make one of these. */
    public int minutes() {
        return (int) (length.toMillis() / MINUTE_MS);
    }

    public static Optional<WindowSize> parse(String label) {
        for (WindowSize size : values()) {
            if (size.label.equals(label)) {
                return Optional.of(size);
            }
        }
        return Optional.empty();
    }

    static long minuteStart(long millis) {
        return Math.floorDiv(millis, MINUTE_MS) * MINUTE_MS;
    }
}
