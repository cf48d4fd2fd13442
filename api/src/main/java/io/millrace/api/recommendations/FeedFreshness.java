package io.millrace.api.recommendations;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * How fresh the feeds this instance serves are: the age of the newest item of each feed served, in
 * {@code millrace.recommendations.feed.newest.age} (seconds) and over the last minute for the dashboard.
 */
final class FeedFreshness {

    /** Feeds served in the last minute, and the age of their newest item: median and oldest, in seconds. */
    record Figures(long feedsServed, long lastMinute, double medianNewestAgeSeconds, double maxNewestAgeSeconds) {
    }

    private static final int KEPT = 4_096;
    private static final long MINUTE_MS = 60_000;

    private final DistributionSummary ages;
    private final LongSupplier clock;
    private final long[] servedAt = new long[KEPT];
    private final long[] ageMs = new long[KEPT];
    private long served;

    FeedFreshness(MeterRegistry meters, LongSupplier clock) {
        this.ages = DistributionSummary.builder("millrace.recommendations.feed.newest.age")
                .description("Age of the newest item of each feed served").baseUnit("seconds")
                .tag("pipeline", "recommendations").register(meters);
        this.clock = clock;
    }

    /** A feed was served whose newest item was published at {@code newestPublishedAt}. */
    synchronized void served(long newestPublishedAt) {
        long now = clock.getAsLong();
        long age = Math.max(0, now - newestPublishedAt);
        int slot = (int) (served % KEPT);
        servedAt[slot] = now;
        ageMs[slot] = age;
        served++;
        ages.record(age / 1000.0);
    }

    synchronized Figures figures() {
        long since = clock.getAsLong() - MINUTE_MS;
        long[] recent = new long[(int) Math.min(served, KEPT)];
        int n = 0;
        for (int i = 0; i < recent.length; i++) {
            if (servedAt[i] >= since) {
                recent[n++] = ageMs[i];
            }
        }
        long[] ages = Arrays.copyOf(recent, n);
        Arrays.sort(ages);
        return new Figures(served, n, n == 0 ? 0 : ages[n / 2] / 1000.0, n == 0 ? 0 : ages[n - 1] / 1000.0);
    }
}
