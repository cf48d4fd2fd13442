package io.millrace.topology.pricealerts;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which watches a move of the best price concerns. A watch fires when the price goes to or below its threshold and
 * re-arms when it goes back above; so when the best price moves from {@code old} to {@code next} (in the watch's
 * currency; none counts as above every threshold, since nothing can be bought), only the watches whose threshold lies
 * between the two can change: on a fall those with {@code next <= threshold < old} fire, on a rise those with
 * {@code old <= threshold < next} re-arm. Watches are indexed by threshold, so a move reads only them.
 */
final class PriceWatchMatcher {

    /** The thresholds a move concerns, from {@code low} to {@code high} inclusive, and whether they fire or re-arm. */
    record Crossing(boolean falling, long low, long high) {
    }

    private PriceWatchMatcher() {
    }

    static Optional<Crossing> crossing(OptionalLong old, OptionalLong next) {
        long before = old.orElse(Long.MAX_VALUE);
        long after = next.orElse(Long.MAX_VALUE);
        if (after < before) {
            return Optional.of(new Crossing(true, after, before - 1));
        }
        if (after > before) {
            return Optional.of(new Crossing(false, before, after - 1));
        }
        return Optional.empty();
    }

    /** Whether a watch placed while the best price is {@code price} is already at or below its threshold. */
    static boolean atOrBelow(OptionalLong price, long threshold) {
        return price.isPresent() && price.getAsLong() <= threshold;
    }

    /** The threshold of an ANY_DROP watch that first sees {@code reference}: any price below it. */
    static long anyDropThreshold(long reference) {
        return Math.max(0, reference - 1);
    }
}
