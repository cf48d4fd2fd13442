package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.CoViews;
import io.millrace.schemas.recommendations.FeedUpdate;
import io.millrace.schemas.recommendations.Interaction;
import io.millrace.schemas.recommendations.SimilarItems;
import io.millrace.schemas.recommendations.TrendSignal;
import io.millrace.schemas.recommendations.TrendingList;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The recommendations' topics. Interactions are keyed by user, so that a user's profile, session and feed state are in one
 * task; the catalog (items) is keyed by item and compacted. Trending and similar lists, computed per category and per item,
 * are compacted topics that every instance reads whole (global tables), so that a feed is computed where its user lives
 * without asking another instance.
 */
public final class RecommendationsTopics {

    public static final int PARTITIONS = 6;

    /** The catalog: items published or updated, keyed by item id; compacted; a tombstone deletes the item. */
    public static final String ITEMS = "recommendations.items";
    /** The catalog after its rules, as the global table reads it; written only by the pipeline. */
    public static final String ITEMS_CHECKED = "recommendations.items-checked";
    /** Users' interactions with items, keyed by user. */
    public static final String INTERACTIONS = "recommendations.interactions";
    /** The top items of each category by decayed score, keyed by category; compacted, read whole by every instance. */
    public static final String TRENDING = "recommendations.trending";
    /** The items most seen in sessions with each item, keyed by item; compacted, read whole by every instance. */
    public static final String SIMILAR = "recommendations.similar";
    /** Items entering a user's top feed, keyed by user: what a user's live feed follows. */
    public static final String FEED_UPDATES = "recommendations.feed-updates";

    /** Repartition topic names (Kafka Streams prefixes them with the application id and suffixes -repartition). */
    public static final String PUBLISHED_BY_CATEGORY = "recommendations-published-by-category";
    public static final String SIGNALS_BY_CATEGORY = "recommendations-signals-by-category";
    public static final String CO_VIEWS_BY_ITEM = "recommendations-co-views-by-item";

    private final Topic<String, ContentItem> items;
    private final Topic<String, ContentItem> checkedItems;
    private final Topic<String, Interaction> interactions;
    private final Topic<String, TrendingList> trending;
    private final Topic<String, SimilarItems> similar;
    private final Topic<String, FeedUpdate> feedUpdates;
    private final Serde<TrendSignal> signals;
    private final Serde<CoViews> coViews;

    public RecommendationsTopics(AvroSerdes serdes) {
        Serde<String> keys = Serdes.String();
        items = new Topic<>(TopicSpec.compacted(ITEMS, PARTITIONS), keys, serdes.value(ContentItem.class));
        checkedItems = new Topic<>(TopicSpec.compacted(ITEMS_CHECKED, PARTITIONS), keys, serdes.value(ContentItem.class));
        interactions = new Topic<>(TopicSpec.events(INTERACTIONS, PARTITIONS), keys, serdes.value(Interaction.class));
        trending = new Topic<>(TopicSpec.compacted(TRENDING, 1), keys, serdes.value(TrendingList.class));
        similar = new Topic<>(TopicSpec.compacted(SIMILAR, PARTITIONS), keys, serdes.value(SimilarItems.class));
        feedUpdates = new Topic<>(TopicSpec.events(FEED_UPDATES, PARTITIONS), keys, serdes.value(FeedUpdate.class));
        signals = serdes.value(TrendSignal.class);
        coViews = serdes.value(CoViews.class);
    }

    public Topic<String, ContentItem> items() {
        return items;
    }

    public Topic<String, ContentItem> checkedItems() {
        return checkedItems;
    }

    public Topic<String, Interaction> interactions() {
        return interactions;
    }

    public Topic<String, TrendingList> trending() {
        return trending;
    }

    public Topic<String, SimilarItems> similar() {
        return similar;
    }

    public Topic<String, FeedUpdate> feedUpdates() {
        return feedUpdates;
    }

    Serde<TrendSignal> signals() {
        return signals;
    }

    Serde<CoViews> coViews() {
        return coViews;
    }

    /** What producers (and the HTTP API) write. */
    public List<Topic<String, ?>> inputs() {
        return List.of(items, interactions);
    }

    public List<TopicSpec> specs() {
        return List.of(items.spec(), checkedItems.spec(), interactions.spec(), trending.spec(), similar.spec(), feedUpdates.spec());
    }
}
