package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.SimilarItems;
import io.millrace.schemas.recommendations.TrendingList;
import io.millrace.topology.runtime.StoreReader;
import java.util.ArrayList;
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

    /** The global stores as the queries read them. */
    static Catalogue of(StoreReader stores) {
        return new Catalogue() {
            @Override
            public Optional<ContentItem> item(String itemId) {
                return Optional.ofNullable(stores.<String, ContentItem>keyValue(RecommendationsStores.CATALOG).get(itemId));
            }

            @Override
            public Optional<TrendingList> trending(String category) {
                return Optional.ofNullable(stores.<String, TrendingList>keyValue(RecommendationsStores.TRENDING).get(category));
            }

            @Override
            public List<TrendingList> allTrending() {
                return values(stores.<String, TrendingList>keyValue(RecommendationsStores.TRENDING));
            }

            @Override
            public Optional<SimilarItems> similar(String itemId) {
                return Optional.ofNullable(stores.<String, SimilarItems>keyValue(RecommendationsStores.SIMILAR).get(itemId));
            }
        };
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
