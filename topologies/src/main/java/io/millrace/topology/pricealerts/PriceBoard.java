package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.BestPrice;
import io.millrace.schemas.pricealerts.OfferQuotes;
import io.millrace.schemas.pricealerts.PriceAlert;
import io.millrace.schemas.pricealerts.PriceMove;
import io.millrace.schemas.pricealerts.PriceQuote;
import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.ProviderQuote;
import io.millrace.schemas.pricealerts.WatchMode;
import io.millrace.schemas.pricealerts.WatchState;
import io.millrace.schemas.pricealerts.WatchTally;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The prices and watches of one partition of search keys, and how a change travels through them: a quote (or a lapse)
 * changes an offer's book; when the offer's best price moves, its watchers are checked and the searches it is part of
 * re-read their cheapest offer from the search index; when a search's best price moves, its watchers are checked and its
 * packages told. Everything it writes, alerts included, is committed in one exactly-once transaction with the input that
 * caused it, so a watch's fired or armed state and its alert are never apart.
 *
 * <p>Every book as stored is the state that was last propagated: a move is always computed between two stored states, so
 * no change is announced twice or lost between restarts.
 */
final class PriceBoard {

    /** The stores the board reads and writes, connected to each processor that uses it. */
    static final String[] STORES = {PricealertsStores.OFFERS, PricealertsStores.SEARCH_INDEX, PricealertsStores.SEARCH_BEST,
            PricealertsStores.EXPIRY, PricealertsStores.HISTORY, PricealertsStores.WATCH_INDEX, PricealertsStores.WATCH_KEYS,
            PricealertsStores.WATCH_TALLIES};

    /** Lapses handled per punctuation at most: the rest wait a second instead of stalling the task. */
    static final int MAX_EXPIRIES_PER_CHECK = 20_000;
    private static final long HOUR = PricealertsStores.HISTORY_BUCKET.toMillis();

    private final ProcessorContext<String, BoardOutput> context;
    private final Money.Rates rates;
    private final int capacity;
    private final KeyValueStore<String, OfferQuotes> offers;
    private final KeyValueStore<String, BestPrice> searchIndex;
    private final KeyValueStore<String, BestPrice> searchBest;
    private final KeyValueStore<String, String> expiry;
    private final WindowStore<String, Long> history;
    private final KeyValueStore<String, WatchState> watches;
    private final KeyValueStore<String, String> watchKeys;
    private final KeyValueStore<String, WatchTally> tallies;

    PriceBoard(ProcessorContext<String, BoardOutput> context, Money.Rates rates, PricealertsConfig config) {
        this.context = context;
        this.rates = rates;
        this.capacity = config.maxProvidersPerOffer();
        this.offers = context.getStateStore(PricealertsStores.OFFERS);
        this.searchIndex = context.getStateStore(PricealertsStores.SEARCH_INDEX);
        this.searchBest = context.getStateStore(PricealertsStores.SEARCH_BEST);
        this.expiry = context.getStateStore(PricealertsStores.EXPIRY);
        this.history = context.getStateStore(PricealertsStores.HISTORY);
        this.watches = context.getStateStore(PricealertsStores.WATCH_INDEX);
        this.watchKeys = context.getStateStore(PricealertsStores.WATCH_KEYS);
        this.tallies = context.getStateStore(PricealertsStores.WATCH_TALLIES);
    }

    // ---- quotes and lapses

    /** A quote that passed its rules, worth {@code usdMinor} US cents, observed at {@code time}. */
    void quote(PriceQuote quote, long usdMinor, long time) {
        long now = context.currentSystemTimeMs();
        String offerKey = OfferKeys.offerKey(quote.getKind(), quote.getFlight(), quote.getHotel(), quote.getCar());
        OfferQuotes stored = offers.get(offerKey);
        OfferBook book = new OfferBook(stored == null ? List.of() : stored.getQuotes(), capacity);
        Optional<ProviderQuote> before = book.cheapest();
        book.expire(now);
        book.put(new ProviderQuote(quote.getProvider(), quote.getPriceMinor(), quote.getCurrency(), usdMinor, quote.getValidUntil(),
                quote.getTimestamp()));
        long filed = stored == null ? 0 : stored.getExpiryIndexedAt();
        long next = book.nextExpiry();
        // Filed under its earliest lapse only when that comes sooner: a later one is found when the earlier entry is due.
        if (filed == 0 || next < filed) {
            expiry.put(BoardKeys.deadline(next, offerKey), "");
            filed = next;
        }
        OfferQuotes updated = new OfferQuotes(offerKey, quote.getKind(), quote.getFlight(), quote.getHotel(), quote.getCar(),
                book.quotes(), filed);
        offers.put(offerKey, updated);
        recordHistory(offerKey, usdMinor, quote.getTimestamp(), now);
        Optional<ProviderQuote> after = book.cheapest();
        if (!sameQuote(before, after)) {
            offerMoved(updated, before, after, time);
        }
    }

    /** Drops the quotes whose time is up, from the offers whose earliest lapse is due at {@code now}. */
    void expireDue(long now) {
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = expiry.range(null, BoardKeys.deadline(now, BoardKeys.AFTER_ALL))) {
            while (entries.hasNext() && due.size() < MAX_EXPIRIES_PER_CHECK) {
                due.add(entries.next().key);
            }
        }
        for (String entry : due) {
            expiry.delete(entry);
            expire(BoardKeys.offerOf(entry), now);
        }
    }

    private void expire(String offerKey, long now) {
        OfferQuotes stored = offers.get(offerKey);
        if (stored == null) {
            return;
        }
        OfferBook book = new OfferBook(stored.getQuotes(), capacity);
        Optional<ProviderQuote> before = book.cheapest();
        boolean lapsed = book.expire(now);
        long filed = stored.getExpiryIndexedAt();
        if (book.isEmpty()) {
            offers.delete(offerKey);
        } else {
            // The entry it was filed under is used up: file it under its next lapse.
            if (filed <= now) {
                filed = book.nextExpiry();
                expiry.put(BoardKeys.deadline(filed, offerKey), "");
            }
            if (lapsed || filed != stored.getExpiryIndexedAt()) {
                offers.put(offerKey, new OfferQuotes(offerKey, stored.getKind(), stored.getFlight(), stored.getHotel(), stored.getCar(),
                        book.quotes(), filed));
            }
        }
        Optional<ProviderQuote> after = book.cheapest();
        if (lapsed && !sameQuote(before, after)) {
            offerMoved(stored, before, after, now);
        }
    }

    private void recordHistory(String offerKey, long usdMinor, long observedAt, long now) {
        if (observedAt < now - PricealertsStores.HISTORY_RETENTION.toMillis()) {
            return;
        }
        long hour = observedAt - observedAt % HOUR;
        Long lowest = history.fetch(offerKey, hour);
        if (lowest == null || usdMinor < lowest) {
            history.put(offerKey, usdMinor, hour);
        }
    }

    // ---- how a move travels

    private void offerMoved(OfferQuotes offer, Optional<ProviderQuote> before, Optional<ProviderQuote> after, long time) {
        BestPrice old = before.map(q -> best(offer, q)).orElse(null);
        BestPrice now = after.map(q -> best(offer, q)).orElse(null);
        crossings(offer.getOfferKey(), old, now, time);
        for (String search : OfferKeys.searchKeysOf(offer.getKind(), offer.getFlight(), offer.getHotel(), offer.getCar())) {
            if (old != null && (now == null || old.getUsdMinor() != now.getUsdMinor())) {
                searchIndex.delete(BoardKeys.searchEntry(search, old.getUsdMinor(), offer.getOfferKey()));
            }
            if (now != null) {
                searchIndex.put(BoardKeys.searchEntry(search, now.getUsdMinor(), offer.getOfferKey()), now);
            }
            searchMoved(search, offer.getOfferKey(), now, time);
        }
    }

    /** After {@code offerKey}, one of the search's offers, moved to {@code offerNow} (none: no live quote). */
    private void searchMoved(String search, String offerKey, BestPrice offerNow, long time) {
        BestPrice old = searchBest.get(search);
        BestPrice now = cheapestAfter(search, old, offerKey, offerNow);
        if (Objects.equals(old, now)) {
            return;
        }
        if (now == null) {
            searchBest.delete(search);
        } else {
            searchBest.put(search, now);
        }
        crossings(search, old, now, time);
        if (!samePrice(old, now)) {
            OfferKeys.packagePart(search).ifPresent(part -> context.forward(new Record<>(part.packageKey(),
                    BoardOutput.move(new PriceMove(search, now, time)), time)));
        }
    }

    /**
     * The search's cheapest offer once {@code offerKey} moved to {@code offerNow}, as the search index orders them (by US
     * cents, then offer key). Only a move of the cheapest offer itself needs the index read again: any other offer either
     * goes ahead of it or leaves it where it is. Most moves are of other offers, and a range read is an iterator over
     * RocksDB (and over the tombstones that moves leave in front of a search's offers).
     */
    private BestPrice cheapestAfter(String search, BestPrice old, String offerKey, BestPrice offerNow) {
        if (old == null || old.getOfferKey().equals(offerKey)) {
            return cheapestOf(search);
        }
        return offerNow != null && ahead(offerNow, old) ? offerNow : old;
    }

    /** Whether {@code a} comes before {@code b} in the search index: cheaper, or as cheap with the lower offer key. */
    private static boolean ahead(BestPrice a, BestPrice b) {
        return a.getUsdMinor() < b.getUsdMinor() || a.getUsdMinor() == b.getUsdMinor() && a.getOfferKey().compareTo(b.getOfferKey()) < 0;
    }

    private BestPrice cheapestOf(String search) {
        try (KeyValueIterator<String, BestPrice> offersOf = searchIndex.range(BoardKeys.prefix(search),
                BoardKeys.prefix(search) + BoardKeys.AFTER_ALL)) {
            return offersOf.hasNext() ? offersOf.next().value : null;
        }
    }

    /** The watchers of {@code target} that a move of its best price from {@code old} to {@code now} fires or re-arms. */
    private void crossings(String target, BestPrice old, BestPrice now, long time) {
        if (old != null && now != null && old.getUsdMinor() == now.getUsdMinor()) {
            return;
        }
        WatchTally tally = tallies.get(target);
        if (tally == null) {
            return;
        }
        for (Map.Entry<String, Integer> watched : tally.getCurrencies().entrySet()) {
            String currency = watched.getKey();
            OptionalLong before = inCurrency(old, currency);
            OptionalLong after = inCurrency(now, currency);
            // Without a rate a price cannot be compared in this currency: its watchers wait for the next move.
            if (watched.getValue() > 0 && (old == null || before.isPresent()) && (now == null || after.isPresent())) {
                PriceWatchMatcher.crossing(before, after).ifPresent(crossing -> cross(target, currency, crossing, before, after, now, time));
            }
        }
        if (tally.getPending() > 0 && now != null) {
            settlePending(target, tally, now, time);
        }
    }

    private void cross(String target, String currency, PriceWatchMatcher.Crossing crossing, OptionalLong before, OptionalLong after,
                       BestPrice now, long time) {
        String thresholds = BoardKeys.thresholds(target, currency);
        List<KeyValue<String, WatchState>> changed = new ArrayList<>();
        try (KeyValueIterator<String, WatchState> concerned = watches.range(thresholds + BoardKeys.padded(crossing.low(), 19),
                thresholds + BoardKeys.padded(crossing.high(), 19) + BoardKeys.SEPARATOR + BoardKeys.AFTER_ALL)) {
            while (concerned.hasNext()) {
                KeyValue<String, WatchState> watch = concerned.next();
                if (watch.value.getFired() != crossing.falling()) {
                    changed.add(watch);
                }
            }
        }
        for (KeyValue<String, WatchState> watch : changed) {
            WatchState state = watch.value;
            state.setFired(crossing.falling());
            if (crossing.falling()) {
                state.setCrossings(state.getCrossings() + 1);
                alert(state, before, after.getAsLong(), now, time);
            }
            watches.put(watch.key, state);
        }
    }

    /** The watches that were waiting to see their target's price, once they can: each is filed as if placed now. */
    private void settlePending(String target, WatchTally tally, BestPrice now, long time) {
        List<KeyValue<String, WatchState>> pending = new ArrayList<>();
        try (KeyValueIterator<String, WatchState> waiting = watches.range(BoardKeys.pending(target),
                BoardKeys.pending(target) + BoardKeys.AFTER_ALL)) {
            waiting.forEachRemaining(pending::add);
        }
        Map<String, Integer> currencies = new HashMap<>(tally.getCurrencies());
        int stillPending = tally.getPending();
        for (KeyValue<String, WatchState> watch : pending) {
            OptionalLong price = inCurrency(now, watch.value.getCurrency());
            if (price.isEmpty()) {
                continue;
            }
            watches.delete(watch.key);
            file(watch.value, price, now, time);
            currencies.merge(watch.value.getCurrency(), 1, Integer::sum);
            stillPending--;
        }
        tallies.put(target, new WatchTally(currencies, stillPending));
    }

    // ---- watches

    /** Files a watch under its target (replacing the same watch filed before), or removes it. */
    void place(PriceWatch watch, boolean removed, long time) {
        String watchKey = BoardKeys.join(watch.getUser(), watch.getWatchId());
        String filedAt = watchKeys.get(watchKey);
        WatchState existing = filedAt == null ? null : watches.get(filedAt);
        if (!removed && existing != null && sameDefinition(existing, watch)) {
            // The same watch again (a client's retry): it keeps its state, so a crossing it already fired for stays fired.
            return;
        }
        if (filedAt != null) {
            watches.delete(filedAt);
            watchKeys.delete(watchKey);
            if (existing != null) {
                count(existing.getTarget(), existing.getCurrency(), filedAt.startsWith(BoardKeys.pending(existing.getTarget())), -1);
            }
        }
        if (removed) {
            return;
        }
        BestPrice current = bestOf(watch.getTarget());
        OptionalLong price = inCurrency(current, watch.getCurrency());
        // A watch that cannot see its target's price yet (an ANY_DROP watch without a price to drop from, or any watch in
        // a currency without a rate while there is a price) waits, and is settled when it first can.
        boolean pending = watch.getMode() == WatchMode.ANY_DROP ? price.isEmpty() : current != null && price.isEmpty();
        WatchState state = new WatchState(watch.getWatchId(), watch.getUser(), watch.getTarget(), watch.getMode(),
                watch.getMode() == WatchMode.THRESHOLD ? watch.getThresholdMinor() : null, watch.getCurrency(), false, 0, time);
        if (pending) {
            String filed = BoardKeys.pendingEntry(watch.getTarget(), watch.getUser(), watch.getWatchId());
            watches.put(filed, state);
            watchKeys.put(watchKey, filed);
            count(watch.getTarget(), watch.getCurrency(), true, 1);
        } else {
            file(state, price, current, time);
            count(watch.getTarget(), watch.getCurrency(), false, 1);
        }
    }

    /**
     * Files a watch that sees {@code price} (none: no offer) under its threshold, an ANY_DROP watch's being just below
     * that price; one placed at or below its threshold fires at once: that is news to its user, once, as for a crossing.
     */
    private void file(WatchState state, OptionalLong price, BestPrice current, long time) {
        if (state.getMode() == WatchMode.ANY_DROP) {
            state.setThresholdMinor(PriceWatchMatcher.anyDropThreshold(price.getAsLong()));
        }
        if (PriceWatchMatcher.atOrBelow(price, state.getThresholdMinor())) {
            state.setFired(true);
            state.setCrossings(state.getCrossings() + 1);
            alert(state, OptionalLong.empty(), price.getAsLong(), current, time);
        }
        String filed = BoardKeys.watchEntry(state.getTarget(), state.getCurrency(), state.getThresholdMinor(), state.getUser(),
                state.getWatchId());
        watches.put(filed, state);
        watchKeys.put(BoardKeys.join(state.getUser(), state.getWatchId()), filed);
    }

    private BestPrice bestOf(String target) {
        Optional<OfferKeys.Target> parsed = OfferKeys.parse(target);
        if (parsed.isEmpty() || !parsed.get().offer()) {
            return searchBest.get(target);
        }
        OfferQuotes offer = offers.get(target);
        return offer == null ? null : new OfferBook(offer.getQuotes(), capacity).cheapest().map(q -> best(offer, q)).orElse(null);
    }

    private void count(String target, String currency, boolean pending, int delta) {
        WatchTally tally = tallies.get(target);
        Map<String, Integer> currencies = new HashMap<>(tally == null ? Map.of() : tally.getCurrencies());
        int waiting = tally == null ? 0 : tally.getPending();
        if (pending) {
            waiting += delta;
        } else {
            currencies.merge(currency, delta, Integer::sum);
            currencies.values().removeIf(n -> n <= 0);
        }
        if (currencies.isEmpty() && waiting <= 0) {
            tallies.delete(target);
        } else {
            tallies.put(target, new WatchTally(currencies, Math.max(0, waiting)));
        }
    }

    private static boolean sameDefinition(WatchState state, PriceWatch watch) {
        return state.getTarget().equals(watch.getTarget()) && state.getMode() == watch.getMode()
                && state.getCurrency().equals(watch.getCurrency())
                && (watch.getMode() == WatchMode.ANY_DROP || Objects.equals(state.getThresholdMinor(), watch.getThresholdMinor()));
    }

    // ---- alerts

    private void alert(WatchState watch, OptionalLong before, long after, BestPrice best, long time) {
        PriceAlert alert = PriceAlert.newBuilder()
                .setAlertId(watch.getWatchId() + "#" + watch.getCrossings())
                .setWatchId(watch.getWatchId())
                .setUser(watch.getUser())
                .setTarget(watch.getTarget())
                .setMode(watch.getMode())
                .setThresholdMinor(watch.getThresholdMinor())
                .setCurrency(watch.getCurrency())
                .setOldPriceMinor(before.isPresent() ? before.getAsLong() : null)
                .setNewPriceMinor(after)
                .setOfferKey(best.getOfferKey())
                .setKind(best.getKind())
                .setProvider(best.getProvider())
                .setQuotedPriceMinor(best.getPriceMinor())
                .setQuotedCurrency(best.getCurrency())
                .setFlight(best.getFlight())
                .setHotel(best.getHotel())
                .setCar(best.getCar())
                .setFiredAt(context.currentSystemTimeMs())
                .setTimestamp(time)
                .build();
        context.forward(new Record<>(watch.getUser(), BoardOutput.alert(alert), time));
    }

    // ---- values

    private static BestPrice best(OfferQuotes offer, ProviderQuote quote) {
        return new BestPrice(offer.getOfferKey(), offer.getKind(), quote.getProvider(), quote.getPriceMinor(), quote.getCurrency(),
                quote.getUsdMinor(), quote.getValidUntil(), offer.getFlight(), offer.getHotel(), offer.getCar(), quote.getTimestamp());
    }

    private OptionalLong inCurrency(BestPrice best, String currency) {
        return best == null ? OptionalLong.empty() : Money.fromUsd(best.getUsdMinor(), currency, rates);
    }

    private static boolean sameQuote(Optional<ProviderQuote> a, Optional<ProviderQuote> b) {
        return a.equals(b);
    }

    private static boolean samePrice(BestPrice a, BestPrice b) {
        return a == null ? b == null : b != null && a.getUsdMinor() == b.getUsdMinor() && a.getOfferKey().equals(b.getOfferKey());
    }
}
