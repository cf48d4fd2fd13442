package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.InteractionKind;
import io.millrace.topology.Settings;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The recommendations' settings, read from the platform's {@link Settings} ({@code recommendations.<name>}: system
 * property {@code millrace.recommendations.<name>} or environment variable {@code MILLRACE_RECOMMENDATIONS_<NAME>}).
 *
 * @param trendingHalfLife    how fast a trending score halves without new interactions
 * @param profileHalfLife     how fast a user's affinity to a category, author or tag halves
 * @param weights             what each kind of interaction adds to scores (a dismissal adds nothing)
 * @param publishBoost        the score a newly published item starts with, in views at its publication time
 * @param trendingSize        items kept per category in the trending lists
 * @param idleHorizon         an item without interactions for this long leaves the trending state
 * @param sessionGap          a pause longer than this ends a user's session
 * @param sessionItems        items of a session an interaction is paired with (the most recent)
 * @param similarSize         neighbours answered per item; twice as many are counted, the least seen make room
 * @param profileEntries      entries kept per dimension (categories, authors, tags) of a profile
 * @param seenItems           items remembered as seen (and as dismissed) per user; the oldest make room
 * @param unknownItemGrace    how long an interaction on an item not in the catalog waits for it before it is rejected
 * @param publishInterval     how often (wall clock) changed trending and similar lists are published to every instance
 * @param feedRefresh         how often (wall clock) the feeds of active users who interacted since are recomputed
 * @param feedIdleRefresh     how often (wall clock) the feeds of the other active users are (for new and trending items)
 * @param feedRefreshBudget   how long one task's refresh may take at most (elapsed time), the rest waiting for the next
 * @param feedTop             the size of the top of a feed whose new entries are pushed
 * @param maxRefreshesPerTick feeds one task recomputes per refresh at most (the rest wait for the next, in turn)
 * @param activeWindow        a user without interactions for this long gets no more feed updates
 * @param maxPerCategory      items of one category in the first {@value FeedRanker#DIVERSITY_WINDOW} of a feed
 * @param freshnessHalfLife   how fast the freshness bonus of a new item in a user's favourite categories halves
 * @param maxPending          interactions one task holds for items not yet in the catalog; beyond, they are rejected at once
 */
public record RecommendationsConfig(Duration trendingHalfLife, Duration profileHalfLife, Map<InteractionKind, Double> weights,
                                    double publishBoost, int trendingSize, Duration idleHorizon, Duration sessionGap, int sessionItems,
                                    int similarSize, int profileEntries, int seenItems, Duration unknownItemGrace,
                                    Duration publishInterval, Duration feedRefresh, Duration feedIdleRefresh, Duration feedRefreshBudget, int feedTop, int maxRefreshesPerTick,
                                    Duration activeWindow, int maxPerCategory, Duration freshnessHalfLife, int maxPending) {

    public RecommendationsConfig {
        weights = Map.copyOf(weights);
        if (!(positive(trendingHalfLife, profileHalfLife, idleHorizon, sessionGap, unknownItemGrace, publishInterval, feedRefresh,
                feedIdleRefresh, feedRefreshBudget, activeWindow, freshnessHalfLife) && trendingSize > 0 && sessionItems > 0 && similarSize > 0 && profileEntries > 0
                && seenItems > 0 && feedTop > 0 && maxRefreshesPerTick > 0 && maxPerCategory > 0 && maxPending > 0 && publishBoost > 0
                && weights.values().stream().allMatch(w -> w >= 0))) {
            throw new IllegalArgumentException("recommendations settings must be positive");
        }
    }

    public static RecommendationsConfig defaults() {
        return new RecommendationsConfig(Duration.ofHours(2), Duration.ofDays(7), defaultWeights(), 5.0, 100, Duration.ofHours(24),
                Duration.ofMinutes(30), 5, 20, 50, 500, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(3), Duration.ofMillis(50), 10, 500,
                Duration.ofMinutes(30), 3, Duration.ofMinutes(30), 100_000);
    }

    private static Map<InteractionKind, Double> defaultWeights() {
        Map<InteractionKind, Double> weights = new EnumMap<>(InteractionKind.class);
        weights.put(InteractionKind.VIEW, 1.0);
        weights.put(InteractionKind.LIKE, 3.0);
        weights.put(InteractionKind.COMMENT, 3.0);
        weights.put(InteractionKind.SHARE, 4.0);
        weights.put(InteractionKind.PURCHASE, 5.0);
        weights.put(InteractionKind.DOWNLOAD, 5.0);
        weights.put(InteractionKind.DISMISS, 0.0);
        return weights;
    }

    /** These settings with another refresh budget. */
    public RecommendationsConfig withFeedRefreshBudget(Duration budget) {
        return new RecommendationsConfig(trendingHalfLife, profileHalfLife, weights, publishBoost, trendingSize, idleHorizon, sessionGap,
                sessionItems, similarSize, profileEntries, seenItems, unknownItemGrace, publishInterval, feedRefresh, feedIdleRefresh,
                budget, feedTop, maxRefreshesPerTick, activeWindow, maxPerCategory, freshnessHalfLife, maxPending);
    }

    /** What an interaction of {@code kind} adds to scores. */
    public double weight(InteractionKind kind) {
        return weights.getOrDefault(kind, 0.0);
    }

    /** The recommendations settings of the platform ({@code recommendations.*}). */
    public static RecommendationsConfig from(Settings settings) {
        RecommendationsConfig d = defaults();
        Map<InteractionKind, Double> weights = new EnumMap<>(InteractionKind.class);
        for (InteractionKind kind : InteractionKind.values()) {
            if (kind != InteractionKind.UNKNOWN) {
                weights.put(kind, decimal(settings, "weight-" + kind.name().toLowerCase(java.util.Locale.ROOT), d.weight(kind)));
            }
        }
        return new RecommendationsConfig(millis(settings, "trending-half-life-ms", d.trendingHalfLife()),
                millis(settings, "profile-half-life-ms", d.profileHalfLife()), weights,
                decimal(settings, "publish-boost", d.publishBoost()),
                (int) whole(settings, "trending-size", d.trendingSize()),
                millis(settings, "idle-horizon-ms", d.idleHorizon()),
                millis(settings, "session-gap-ms", d.sessionGap()),
                (int) whole(settings, "session-items", d.sessionItems()),
                (int) whole(settings, "similar-size", d.similarSize()),
                (int) whole(settings, "profile-entries", d.profileEntries()),
                (int) whole(settings, "seen-items", d.seenItems()),
                millis(settings, "unknown-item-grace-ms", d.unknownItemGrace()),
                millis(settings, "publish-interval-ms", d.publishInterval()),
                millis(settings, "feed-refresh-ms", d.feedRefresh()),
                millis(settings, "feed-idle-refresh-ms", d.feedIdleRefresh()),
                millis(settings, "feed-refresh-budget-ms", d.feedRefreshBudget()),
                (int) whole(settings, "feed-top", d.feedTop()),
                (int) whole(settings, "max-refreshes-per-tick", d.maxRefreshesPerTick()),
                millis(settings, "active-window-ms", d.activeWindow()),
                (int) whole(settings, "max-per-category", d.maxPerCategory()),
                millis(settings, "freshness-half-life-ms", d.freshnessHalfLife()),
                (int) whole(settings, "max-pending", d.maxPending()));
    }

    private static boolean positive(Duration... durations) {
        for (Duration duration : durations) {
            if (duration.isNegative() || duration.isZero()) {
                return false;
            }
        }
        return true;
    }

    private static Duration millis(Settings settings, String name, Duration fallback) {
        return Duration.ofMillis(whole(settings, name, fallback.toMillis()));
    }

    private static long whole(Settings settings, String name, long fallback) {
        return settings.whole("recommendations." + name, fallback);
    }

    private static double decimal(Settings settings, String name, double fallback) {
        return settings.decimal("recommendations." + name, fallback);
    }
}
