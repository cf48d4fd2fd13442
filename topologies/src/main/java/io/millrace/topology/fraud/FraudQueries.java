package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.CardProfile;
import io.millrace.schemas.fraud.CreditAccount;
import io.millrace.schemas.fraud.DecisionTally;
import io.millrace.topology.runtime.StoreReader;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** What the fraud stores of this instance answer; the HTTP layer decides which instance to ask. */
public final class FraudQueries {

    private static final Instant FOREVER = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final StoreReader stores;

    public FraudQueries(StoreReader stores) {
        this.stores = stores;
    }

    /** A card's ledger and profile; the profile is absent until the card's first authorization. */
    public record CardState(CreditAccount account, Optional<CardProfile> profile) {
    }

    /** Decision counts over a time range, summed over this instance's partitions. */
    public record Tally(long approvals, long declines, long reviews, Map<String, Long> reasons) {
    }

    /** Decision counts of one step of a series, starting at {@code start} (epoch millis). */
    public record Step(long start, long approvals, long declines, long reviews) {
    }

    /** The length of the buckets decisions are counted in: a series' step is a multiple of it. */
    public static final long BUCKET_MS = DecisionTallier.BUCKET_MS;

    public Optional<AuthorizationDecision> decision(String transactionId) {
        AuthorizationDecision latest = null;
        try (WindowStoreIterator<AuthorizationDecision> found = stores.<String, AuthorizationDecision>window(FraudStores.DECISIONS)
                .fetch(transactionId, Instant.EPOCH, FOREVER)) {
            while (found.hasNext()) {
                latest = found.next().value;
            }
        }
        return Optional.ofNullable(latest);
    }

    public Optional<CardState> card(String cardToken) {
        CreditAccount account = stores.<String, CreditAccount>keyValue(FraudStores.CREDIT_LEDGER).get(cardToken);
        if (account == null) {
            return Optional.empty();
        }
        CardProfile profile = stores.<String, CardProfile>keyValue(FraudStores.CARD_PROFILES).get(cardToken);
        return Optional.of(new CardState(account, Optional.ofNullable(profile)));
    }

    /** Decisions made from {@code from} to {@code to} (by 10-second buckets that start in the range). */
    public Tally tally(Instant from, Instant to) {
        long approvals = 0;
        long declines = 0;
        long reviews = 0;
        Map<String, Long> reasons = new HashMap<>();
        try (KeyValueIterator<Windowed<String>, DecisionTally> buckets = stores.<String, DecisionTally>window(FraudStores.DECISION_STATS).fetchAll(from, to)) {
            while (buckets.hasNext()) {
                KeyValue<Windowed<String>, DecisionTally> bucket = buckets.next();
                approvals += bucket.value.getApprovals();
                declines += bucket.value.getDeclines();
                reviews += bucket.value.getReviews();
                bucket.value.getReasons().forEach((reason, count) -> reasons.merge(reason, count, Long::sum));
            }
        }
        return new Tally(approvals, declines, reviews, reasons);
    }

    /**
     * Decisions from {@code from} to {@code to} in steps of {@code stepMs} (a multiple of {@link #BUCKET_MS}), summed over
     * this instance's partitions; every step is there, empty ones with zeros, oldest first.
     */
    public java.util.List<Step> series(Instant from, Instant to, long stepMs) {
        long first = from.toEpochMilli() - Math.floorMod(from.toEpochMilli(), stepMs);
        int steps = (int) ((to.toEpochMilli() - first) / stepMs) + 1;
        long[][] counts = new long[steps][3];
        try (KeyValueIterator<Windowed<String>, DecisionTally> buckets = stores.<String, DecisionTally>window(FraudStores.DECISION_STATS)
                .fetchAll(Instant.ofEpochMilli(first), to)) {
            while (buckets.hasNext()) {
                KeyValue<Windowed<String>, DecisionTally> bucket = buckets.next();
                int step = (int) ((bucket.key.window().start() - first) / stepMs);
                if (step >= 0 && step < steps) {
                    counts[step][0] += bucket.value.getApprovals();
                    counts[step][1] += bucket.value.getDeclines();
                    counts[step][2] += bucket.value.getReviews();
                }
            }
        }
        java.util.List<Step> series = new java.util.ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            series.add(new Step(first + i * stepMs, counts[i][0], counts[i][1], counts[i][2]));
        }
        return series;
    }
}
