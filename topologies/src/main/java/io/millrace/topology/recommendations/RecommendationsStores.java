package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.Affinity;
import io.millrace.schemas.recommendations.FeedState;
import io.millrace.schemas.recommendations.Interaction;
import io.millrace.schemas.recommendations.SimilarItems;
import io.millrace.schemas.recommendations.TrendingList;
import io.millrace.schemas.recommendations.UserProfile;
import io.millrace.schemas.serde.AvroSerdes;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The recommendations' state stores. Per user: profiles, the active users' last feeds, interactions waiting for their item.
 * Per category: item scores and the category's trending list. Per item: co-occurrence counts. Global (whole on every
 * instance): the catalog, the trending lists and the similar lists.
 */
public final class RecommendationsStores {

    /** user → {@code UserProfile}. */
    public static final String PROFILES = "recommendations-profiles";
    /** user → {@code FeedState}: the users active lately and the top of their feed as last pushed. */
    public static final String ACTIVE_FEEDS = "recommendations-active-feeds";
    /** wall-clock arrival (13 digits)|user|offset → {@code Interaction}: interactions waiting for their item. */
    public static final String PENDING = "recommendations-pending";
    /** category|item → {@code Affinity}: an item's trending score (key = item). */
    public static final String ITEM_SCORES = "recommendations-item-scores";
    /** category → {@code TrendingList}: the category's top items as this task computes them. */
    public static final String CATEGORY_TOP = "recommendations-category-top";
    /** item → {@code SimilarItems}: co-occurrence counts, twice the answered size. */
    public static final String CO_COUNTS = "recommendations-co-counts";
    /** item → {@code ContentItem}, a global store: the catalog, without deleted items. */
    public static final String CATALOG = "recommendations-catalog";
    /** category → {@code TrendingList}, a global store. */
    public static final String TRENDING = "recommendations-trending";
    /** item → {@code SimilarItems}, a global store. */
    public static final String SIMILAR = "recommendations-similar";

    /** The stores the HTTP API reads. */
    public static final List<String> QUERYABLE = List.of(PROFILES, CATALOG, TRENDING, SIMILAR, ACTIVE_FEEDS);

    private RecommendationsStores() {
    }

    static void addTo(StreamsBuilder builder, AvroSerdes serdes) {
        // Profiles are read and rewritten by every interaction of their user, often several within one commit.
        builder.addStateStore(keyValue(PROFILES, serdes.value(UserProfile.class)).withCachingEnabled());
        builder.addStateStore(keyValue(ACTIVE_FEEDS, serdes.value(FeedState.class)).withCachingEnabled());
        builder.addStateStore(keyValue(PENDING, serdes.value(Interaction.class)).withCachingDisabled());
        builder.addStateStore(keyValue(ITEM_SCORES, serdes.value(Affinity.class)).withCachingEnabled());
        builder.addStateStore(keyValue(CATEGORY_TOP, serdes.value(TrendingList.class)).withCachingEnabled());
        builder.addStateStore(keyValue(CO_COUNTS, serdes.value(SimilarItems.class)).withCachingEnabled());
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
