package io.millrace.app.pricealerts;

import io.millrace.schemas.pricealerts.WatchTally;
import io.millrace.topology.pricealerts.OfferKeys;
import io.millrace.topology.pricealerts.PricealertsQueries;
import io.millrace.topology.pricealerts.PricealertsStores;
import io.millrace.topology.runtime.StoreReader;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The most-watched offers and searches in this instance's active partitions and their best prices, for the dashboard. A
 * target, its watches and its prices live in one partition, so each instance's leaders added up are the leaders of the
 * whole cluster. The tallies are read whole (one entry per watched target, not per watch), so the leaders are kept for a
 * while before the next read; their prices are read at every call.
 */
final class MostWatched {

    static final Duration FRESH_FOR = Duration.ofSeconds(15);
    /** How many targets each instance names. */
    static final int LEADERS = 8;
    /** {@code watched:<target>} → its watches. */
    static final String WATCHED = "watched:";
    /** {@code best:<target>} → its best live price in US cents, when it has one. */
    static final String BEST = "best:";

    private final LongSupplier clock;
    private long countedAt;
    private Map<String, Long> counts;
    private List<String> leaders = List.of();

    MostWatched(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * {@code watches} and {@code targets} in this instance's active partitions, and for each of its most-watched targets
     * {@code watched:<target>} and {@code best:<target>}.
     */
    synchronized Map<String, Long> count(KafkaStreams streams) {
        long now = clock.getAsLong();
        StoreReader stores = StoreReader.active(streams);
        if (counts == null || now - countedAt >= FRESH_FOR.toMillis()) {
            tally(stores);
            countedAt = now;
        }
        Map<String, Long> figures = new HashMap<>(counts);
        for (String target : leaders) {
            OfferKeys.parse(target).ifPresent(parsed -> PricealertsQueries.bestUsdMinor(stores, parsed, now)
                    .ifPresent(cents -> figures.put(BEST + target, cents)));
        }
        return figures;
    }

    private void tally(StoreReader stores) {
        long watches = 0;
        long targets = 0;
        // The fewest watches at the head, to be dropped first (and of equal counts, the last target in key order).
        PriorityQueue<KeyValue<String, Long>> most = new PriorityQueue<>(
                Comparator.<KeyValue<String, Long>>comparingLong(kv -> kv.value).thenComparing(kv -> kv.key, Comparator.reverseOrder()));
        try (KeyValueIterator<String, WatchTally> tallies = stores.<String, WatchTally>keyValue(PricealertsStores.WATCH_TALLIES).all()) {
            while (tallies.hasNext()) {
                KeyValue<String, WatchTally> tally = tallies.next();
                long watching = of(tally.value);
                watches += watching;
                targets++;
                most.add(KeyValue.pair(tally.key, watching));
                if (most.size() > LEADERS) {
                    most.poll();
                }
            }
        }
        Map<String, Long> figures = new HashMap<>();
        figures.put("watches", watches);
        figures.put("targets", targets);
        most.forEach(leader -> figures.put(WATCHED + leader.key, leader.value));
        counts = Map.copyOf(figures);
        leaders = most.stream().map(leader -> leader.key).toList();
    }

    /** A target's watches: those filed by currency and those waiting for its first price. */
    static long of(WatchTally tally) {
        return tally.getCurrencies().values().stream().mapToLong(Integer::longValue).sum() + tally.getPending();
    }
}
