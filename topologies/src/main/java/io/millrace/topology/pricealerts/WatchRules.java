package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.WatchCancelled;
import io.millrace.schemas.pricealerts.WatchMode;
import io.millrace.topology.runtime.Identifiers;
import io.millrace.topology.runtime.Violation;
import java.util.Optional;

/**
 * What makes a watch or a cancellation acceptable. The HTTP layer applies the same rules before it publishes, so a
 * client hears about them at once; the pipeline applies them to whatever else producers write.
 */
public final class WatchRules {

    public static final String MISSING_USER = "MISSING_USER";
    public static final String MISSING_TARGET = "MISSING_TARGET";
    public static final String INVALID_TARGET = "INVALID_TARGET";
    public static final String INVALID_THRESHOLD = "INVALID_THRESHOLD";
    public static final String UNKNOWN_WATCH = "UNKNOWN_WATCH";
    public static final String TOO_MANY_WATCHES = "TOO_MANY_WATCHES";

    private WatchRules() {
    }

    /** The rules for a watch read with {@code key} (its user) at wall-clock time {@code now}. */
    public static Optional<Violation> check(String key, PriceWatch watch, long now) {
        if (watch.getUser() == null || watch.getUser().isEmpty()) {
            return Violation.of(MISSING_USER, "a watch names its user");
        }
        if (watch.getTarget() == null || watch.getTarget().isEmpty()) {
            return Violation.of(MISSING_TARGET, "a watch names what it watches: an offer key or a search key");
        }
        Optional<Violation> ids = Identifiers.id("user", watch.getUser()).or(() -> Identifiers.id("watchId", watch.getWatchId()));
        if (ids.isPresent()) {
            return ids;
        }
        Optional<OfferKeys.Target> target = OfferKeys.parse(watch.getTarget());
        if (target.isEmpty()) {
            return Violation.of(INVALID_TARGET, "target must be an offer key or a search key, such as flight:LHR:JFK:2027-03-02, was '"
                    + QuoteRules.shown(watch.getTarget()) + "'");
        }
        if (QuoteRules.isPast(target.get().start(), now)) {
            return Violation.of(QuoteRules.DATE_IN_PAST, "target " + watch.getTarget() + " starts in the past");
        }
        if (!Money.isCurrency(watch.getCurrency())) {
            return Violation.of(QuoteRules.UNKNOWN_CURRENCY, "currency must be an ISO 4217 code, was '"
                    + QuoteRules.shown(watch.getCurrency()) + "'");
        }
        Optional<Violation> threshold = threshold(watch.getMode(), watch.getThresholdMinor());
        if (threshold.isPresent()) {
            return threshold;
        }
        if (!watch.getUser().equals(key)) {
            return Violation.of(QuoteRules.KEY_MISMATCH, "a watch is keyed by its user, " + watch.getUser());
        }
        return Optional.empty();
    }

    /** A THRESHOLD watch has a positive threshold; an ANY_DROP watch none (it fires below the price it first saw). */
    public static Optional<Violation> threshold(WatchMode mode, Long thresholdMinor) {
        if (mode == WatchMode.ANY_DROP) {
            return thresholdMinor == null ? Optional.empty()
                    : Violation.of(INVALID_THRESHOLD, "an ANY_DROP watch takes no threshold: it fires below the best price it first sees");
        }
        if (thresholdMinor == null || thresholdMinor <= 0 || thresholdMinor > Money.MAX_MINOR) {
            return Violation.of(INVALID_THRESHOLD, "a THRESHOLD watch needs thresholdMinor from 1 to " + Money.MAX_MINOR);
        }
        return Optional.empty();
    }

    /** The rules for a cancellation read with {@code key} (its user). */
    public static Optional<Violation> cancellation(String key, WatchCancelled cancelled) {
        if (cancelled.getUser() == null || cancelled.getUser().isEmpty()) {
            return Violation.of(MISSING_USER, "a cancellation names its user");
        }
        Optional<Violation> ids = Identifiers.id("user", cancelled.getUser()).or(() -> Identifiers.id("watchId", cancelled.getWatchId()));
        if (ids.isPresent()) {
            return ids;
        }
        if (!cancelled.getUser().equals(key)) {
            return Violation.of(QuoteRules.KEY_MISMATCH, "a cancellation is keyed by its user, " + cancelled.getUser());
        }
        return Optional.empty();
    }
}
