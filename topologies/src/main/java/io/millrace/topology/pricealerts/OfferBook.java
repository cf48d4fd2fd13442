package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.ProviderQuote;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The live quotes of one offer, one per provider and at most {@code capacity} of them: a provider's new quote replaces
 * its last, a lapsed quote leaves, and when the book is full the dearest quote makes room (it could only matter once
 * every cheaper one has lapsed). Its best price is its cheapest quote.
 */
final class OfferBook {

    /** Cheapest first; among equal prices the longest-valid, then by provider so the choice never flips between runs. */
    static final Comparator<ProviderQuote> CHEAPEST = Comparator.comparingLong(ProviderQuote::getUsdMinor)
            .thenComparing(Comparator.comparingLong(ProviderQuote::getValidUntil).reversed())
            .thenComparing(ProviderQuote::getProvider);

    private final List<ProviderQuote> quotes;
    private final int capacity;

    OfferBook(List<ProviderQuote> quotes, int capacity) {
        this.quotes = new ArrayList<>(quotes);
        this.capacity = capacity;
    }

    Optional<ProviderQuote> cheapest() {
        return quotes.stream().min(CHEAPEST);
    }

    /** Adds the quote, in place of its provider's previous one. */
    void put(ProviderQuote quote) {
        quotes.removeIf(q -> q.getProvider().equals(quote.getProvider()));
        quotes.add(quote);
        if (quotes.size() > capacity) {
            quotes.remove(quotes.stream().max(CHEAPEST).orElseThrow());
        }
    }

    /** Drops the quotes that lapsed at or before {@code now}; whether any did. */
    boolean expire(long now) {
        return quotes.removeIf(q -> q.getValidUntil() <= now);
    }

    /** When the next quote lapses, or 0 for an empty book. */
    long nextExpiry() {
        return quotes.stream().mapToLong(ProviderQuote::getValidUntil).min().orElse(0);
    }

    boolean isEmpty() {
        return quotes.isEmpty();
    }

    /** The live quotes, cheapest first. */
    List<ProviderQuote> quotes() {
        List<ProviderQuote> sorted = new ArrayList<>(quotes);
        sorted.sort(CHEAPEST);
        return sorted;
    }
}
