package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.SimilarItems;
import io.millrace.schemas.recommendations.TrendingList;
import io.millrace.topology.runtime.StoreReader;
import io.millrace.schemas.recommendations.Affinity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * What every instance holds whole and a feed is made from: the catalog without deleted items, each category's trending
 * list, each item's similar items. Read from the global stores, by the queries and by the feed refresh alike.
 */
interface Catalogue {

    Optional<ContentItem> item(String itemId);

    Optional<TrendingList> trending(String category);

    /** Every category's list. */
    List<TrendingList> allTrending();

    Optional<SimilarItems> similar(String itemId);

    /** The items trending over every category, highest first: each category's list holds its part of the overall top. */
    default List<Affinity> overall() {
        List<Affinity> all = new ArrayList<>();
        for (TrendingList list : allTrending()) {
            all.addAll(list.getItems());
        }
        all.sort(Comparator.comparingDouble(Affinity::getLogScore).reversed().thenComparing(Affinity::getKey));
        return all;
    }

    /**
     * {@code catalogue} with its trending lists read at most every {@code maxAgeMs} of {@code clock}: they change once a
     * publication interval at most, and a feed reads a dozen of them, so reading and decoding them once for many feeds is
     * most of what makes a feed cheap. Items read are kept as long as the lists (a deleted item leaves feeds at the next
     * reading); similar lists are read as they are.
     */
    static Catalogue withTrendingCached(Catalogue catalogue, LongSupplier clock, long maxAgeMs) {
        return new Catalogue() {
            private volatile TrendingSnapshot snapshot;

            private TrendingSnapshot snapshot() {
                TrendingSnapshot current = snapshot;
                long now = clock.getAsLong();
                if (current == null || now - current.takenAt() > maxAgeMs || now < current.takenAt()) {
                    Map<String, TrendingList> lists = new HashMap<>();
                    catalogue.allTrending().forEach(list -> lists.put(list.getCategory(), list));
                    current = new TrendingSnapshot(now, Map.copyOf(lists), List.copyOf(catalogue.overall()), new ConcurrentHashMap<>());
                    snapshot = current;
                }
                return current;
            }

            @Override
            public Optional<ContentItem> item(String itemId) {
                Map<String, Optional<ContentItem>> items = snapshot().items();
                Optional<ContentItem> item = items.get(itemId);
                if (item == null) {
                    item = catalogue.item(itemId);
                    if (items.size() < MAX_CACHED_ITEMS) {
                        items.put(itemId, item);
                    }
                }
                return item;
            }

            @Override
            public Optional<TrendingList> trending(String category) {
                return Optional.ofNullable(snapshot().lists().get(category));
            }

            @Override
            public List<TrendingList> allTrending() {
                return List.copyOf(snapshot().lists().values());
            }

            @Override
            public Optional<SimilarItems> similar(String itemId) {
                return catalogue.similar(itemId);
            }

            @Override
            public List<Affinity> overall() {
                return snapshot().overall();
            }
        };
    }

    /** Items kept per reading of the trending lists at most. */
    int MAX_CACHED_ITEMS = 50_000;

    /** The trending lists as read at {@code takenAt}, and the items read since. */
    record TrendingSnapshot(long takenAt, Map<String, TrendingList> lists, List<Affinity> overall,
                            Map<String, Optional<ContentItem>> items) {
    }

    /**
     * The global stores as the queries read them. Each store is looked up once (a lookup builds a wrapper over the
     * instance's stores, which costs more than the read) and kept once found.
     */
    static Catalogue of(StoreReader stores) {
        return new Catalogue() {
            private final Store<ContentItem> items = new Store<>(stores, RecommendationsStores.CATALOG);
            private final Store<TrendingList> trending = new Store<>(stores, RecommendationsStores.TRENDING);
            private final Store<SimilarItems> similar = new Store<>(stores, RecommendationsStores.SIMILAR);

            @Override
            public Optional<ContentItem> item(String itemId) {
                return Optional.ofNullable(items.get().get(itemId));
            }

            @Override
            public Optional<TrendingList> trending(String category) {
                return Optional.ofNullable(trending.get().get(category));
            }

            @Override
            public List<TrendingList> allTrending() {
                return values(trending.get());
            }

            @Override
            public Optional<SimilarItems> similar(String itemId) {
                return Optional.ofNullable(similar.get().get(itemId));
            }
        };
    }

    /** A store of {@code stores}, looked up at its first use and kept. */
    final class Store<V> implements java.util.function.Supplier<ReadOnlyKeyValueStore<String, V>> {
        private final StoreReader stores;
        private final String name;
        private volatile ReadOnlyKeyValueStore<String, V> found;

        Store(StoreReader stores, String name) {
            this.stores = stores;
            this.name = name;
        }

        @Override
        public ReadOnlyKeyValueStore<String, V> get() {
            ReadOnlyKeyValueStore<String, V> store = found;
            if (store == null) {
                store = stores.keyValue(name);
                found = store;
            }
            return store;
        }
    }

    /** The global stores as a processor reads them. */
    static Catalogue of(ProcessingContext context) {
        KeyValueStore<String, ValueAndTimestamp<ContentItem>> items = context.getStateStore(RecommendationsStores.CATALOG);
        KeyValueStore<String, ValueAndTimestamp<TrendingList>> trending = context.getStateStore(RecommendationsStores.TRENDING);
        KeyValueStore<String, ValueAndTimestamp<SimilarItems>> similar = context.getStateStore(RecommendationsStores.SIMILAR);
        return new Catalogue() {
            @Override
            public Optional<ContentItem> item(String itemId) {
                return Optional.ofNullable(ValueAndTimestamp.getValueOrNull(items.get(itemId)));
            }

            @Override
            public Optional<TrendingList> trending(String category) {
                return Optional.ofNullable(ValueAndTimestamp.getValueOrNull(trending.get(category)));
            }

            @Override
            public List<TrendingList> allTrending() {
                List<TrendingList> lists = new ArrayList<>();
                try (KeyValueIterator<String, ValueAndTimestamp<TrendingList>> all = trending.all()) {
                    all.forEachRemaining(entry -> lists.add(entry.value.value()));
                }
                return lists;
            }

            @Override
            public Optional<SimilarItems> similar(String itemId) {
                return Optional.ofNullable(ValueAndTimestamp.getValueOrNull(similar.get(itemId)));
            }
        };
    }

    private static <V> List<V> values(ReadOnlyKeyValueStore<String, V> store) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, V> entry = all.next();
                values.add(entry.value);
            }
        }
        return values;
    }
}
