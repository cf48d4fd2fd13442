package io.millrace.topology.fraud;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a card's credit: an approval reserves its amount as a hold; a settlement closes the hold and posts
 * the captured amount (at most the hold; zero reverses it); a refund gives back part of what was posted, once per
 * refund id. Available credit is limit - held - posted and an approval never takes more than is available.
 */
public final class CreditLedger {

    public static final String ALREADY_SETTLED = "ALREADY_SETTLED";
    public static final String EXCEEDS_AUTHORIZATION = "EXCEEDS_AUTHORIZATION";
    public static final String NOT_SETTLED = "NOT_SETTLED";
    public static final String EXCEEDS_SETTLED = "EXCEEDS_SETTLED";
    public static final String DUPLICATE_REFUND = "DUPLICATE_REFUND";

    private CreditLedger() {
    }

    /** A card's totals, in minor units. */
    public record Balance(long limit, long held, long posted) {

        /** Never negative: a limit lowered below what is used leaves nothing available, not a debt. */
        public long available() {
            return Math.max(0, limit - held - posted);
        }
    }

    /** One approved transaction's share of the balance. */
    public record Entry(long held, long settled, Long settledAt, long refunded, List<String> refundIds) {

        public Entry {
            refundIds = List.copyOf(refundIds);
        }

        public static Entry hold(long amount) {
            return new Entry(amount, 0, null, 0, List.of());
        }

        public static Entry none() {
            return new Entry(0, 0, null, 0, List.of());
        }
    }

    /** What a settlement or refund did, or why it was refused. */
    public sealed interface Change permits Applied, Refused {
    }

    public record Applied(Balance balance, Entry entry) implements Change {
    }

    public record Refused(String code, String reason) implements Change {
    }

    /** Reserves an approved amount, which the caller has checked is available. */
    public static Balance reserve(Balance balance, long amount) {
        if (amount <= 0 || amount > balance.available()) {
            throw new IllegalArgumentException("An approval must reserve a positive amount within the available credit");
        }
        return new Balance(balance.limit(), balance.held() + amount, balance.posted());
    }

    public static Change settle(Balance balance, Entry entry, long amount, long at) {
        if (entry.settledAt() != null) {
            return new Refused(ALREADY_SETTLED, "The transaction was settled before");
        }
        if (amount < 0 || amount > entry.held()) {
            return new Refused(EXCEEDS_AUTHORIZATION, "A settlement of " + amount + " does not fit the hold of " + entry.held());
        }
        Balance next = new Balance(balance.limit(), balance.held() - entry.held(), balance.posted() + amount);
        return new Applied(next, new Entry(0, amount, at, entry.refunded(), entry.refundIds()));
    }

    public static Change refund(Balance balance, Entry entry, String refundId, long amount) {
        if (entry.refundIds().contains(refundId)) {
            return new Refused(DUPLICATE_REFUND, "Refund " + refundId + " was applied before");
        }
        if (entry.settledAt() == null) {
            return new Refused(NOT_SETTLED, "Only a settled transaction can be refunded; reverse a hold with a zero settlement");
        }
        if (amount <= 0 || amount > entry.settled() - entry.refunded()) {
            return new Refused(EXCEEDS_SETTLED, "A refund of " + amount + " exceeds the " + (entry.settled() - entry.refunded())
                    + " settled and not yet refunded");
        }
        List<String> refundIds = new ArrayList<>(entry.refundIds());
        refundIds.add(refundId);
        return new Applied(new Balance(balance.limit(), balance.held(), balance.posted() - amount),
                new Entry(entry.held(), entry.settled(), entry.settledAt(), entry.refunded() + amount, refundIds));
    }
}
