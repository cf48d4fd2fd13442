package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.Interaction;
import io.millrace.schemas.recommendations.TrendSignal;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.runtime.GlobalTables;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.StoreReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Personalized recommendations (SYSTEMS.md §7): trending items with time decay, users' interest profiles, items seen
 * together, and a feed per user that new items reach within seconds.
 *
 * <ol>
 *   <li>The catalog: items checked, then held whole by every instance (global table); a newly published item is sent to
 *       its category's trending board with a freshness boost.</li>
 *   <li>Per user (interactions): profiles, sessions, interactions waiting for their item, and the refresh of active users'
 *       feeds, whose new entries go to {@code recommendations.feed-updates}.</li>
 *   <li>Per category: decayed item scores and the category's top, published to every instance.</li>
 *   <li>Per item: co-occurrence counts within sessions, the most seen published to every instance.</li>
 * </ol>
 * Feeds are computed where their user lives from the profile and the three global stores: no query crosses instances.
 */
public final class RecommendationsPipeline implements Pipeline {

    public static final String NAME = "recommendations";

    private final PipelineContext context;
    private final RecommendationsConfig config;
    private final RecommendationsTopics topics;
    private final Rejections rejections;

    public RecommendationsPipeline(PipelineContext context, RecommendationsConfig config) {
        this.context = context;
        this.config = config;
        this.topics = new RecommendationsTopics(context.serdes());
        this.rejections = new Rejections(this, context);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TopicSpec> topics() {
        return topics.specs();
    }

    @Override
    public List<Topic<String, ?>> inputs() {
        return topics.inputs();
    }

    @Override
    public List<String> queryableStores() {
        return RecommendationsStores.QUERYABLE;
    }

    public RecommendationsTopics recommendationsTopics() {
        return topics;
    }

    public RecommendationsConfig config() {
        return config;
    }

    /** The read side over this instance's stores. */
    public RecommendationsQueries queries(StoreReader stores) {
        return new RecommendationsQueries(stores, config);
    }

    @Override
    public void build(StreamsBuilder builder) {
        RecommendationsStores.addTo(builder, context.serdes());

        // 1. The catalog, whole on every instance; what is published goes to its category's board.
        List<KStream<String, TrendSignal>> publications = new ArrayList<>(1);
        GlobalTables.checked(builder, topics.items(), topics.checkedItems(), RecommendationsStores.CATALOG, InteractionRules::item,
                rejections, accepted -> publications.add(accepted.map((itemId, item) -> KeyValue.pair(item.getCategory(), published(item)),
                                Named.as("recommendations-item-published"))
                        .repartition(Repartitioned.with(Serdes.String(), topics.signals()).withName(RecommendationsTopics.PUBLISHED_BY_CATEGORY)
                                .withNumberOfPartitions(RecommendationsTopics.PARTITIONS))));
        globalTable(builder, topics.trending(), RecommendationsStores.TRENDING);
        globalTable(builder, topics.similar(), RecommendationsStores.SIMILAR);

        // 2. Per user: profiles, sessions, feeds.
        KStream<String, Interaction> interactions = rejections.screen(builder.stream(RecommendationsTopics.INTERACTIONS,
                topics.interactions().consumed()), topics.interactions(), InteractionRules::check, "recommendations-interactions");
        Map<String, KStream<String, ActivityOutput>> activity = interactions
                .process(() -> new UserActivity(config, rejections), Named.as("recommendations-user-activity"),
                        RecommendationsStores.PROFILES, RecommendationsStores.ACTIVE_FEEDS, RecommendationsStores.PENDING)
                .split(Named.as("recommendations-activity-"))
                .branch((user, out) -> out.signal() != null, Branched.as("signals"))
                .branch((user, out) -> out.coViews() != null, Branched.as("co-views"))
                .branch((user, out) -> out.feedUpdate() != null, Branched.as("feed-updates"))
                .defaultBranch(Branched.as("rejected"));
        rejections.sink(activity.get("recommendations-activity-rejected")
                .mapValues(ActivityOutput::rejected, Named.as("recommendations-activity-rejection")), "activity");
        activity.get("recommendations-activity-feed-updates")
                .mapValues(ActivityOutput::feedUpdate, Named.as("recommendations-feed-update"))
                .to(RecommendationsTopics.FEED_UPDATES, topics.feedUpdates().produced());

        // 3. Per category: decayed scores and each category's top, from interactions and publications.
        activity.get("recommendations-activity-signals")
                .mapValues(ActivityOutput::signal, Named.as("recommendations-trend-signal"))
                .repartition(Repartitioned.with(Serdes.String(), topics.signals()).withName(RecommendationsTopics.SIGNALS_BY_CATEGORY)
                        .withNumberOfPartitions(RecommendationsTopics.PARTITIONS))
                .merge(publications.get(0), Named.as("recommendations-trend-signals"))
                .process(() -> new TrendingBoard(config), Named.as("recommendations-trending-board"),
                        RecommendationsStores.ITEM_SCORES, RecommendationsStores.CATEGORY_TOP)
                .to(RecommendationsTopics.TRENDING, topics.trending().produced());

        // 4. Per item: how often items are seen in one session.
        activity.get("recommendations-activity-co-views")
                .mapValues(ActivityOutput::coViews, Named.as("recommendations-co-views"))
                .repartition(Repartitioned.with(Serdes.String(), topics.coViews()).withName(RecommendationsTopics.CO_VIEWS_BY_ITEM)
                        .withNumberOfPartitions(RecommendationsTopics.PARTITIONS))
                .process(() -> new CoOccurrenceCounter(config), Named.as("recommendations-co-occurrence"), RecommendationsStores.CO_COUNTS)
                .to(RecommendationsTopics.SIMILAR, topics.similar().produced());
    }

    private static <V> void globalTable(StreamsBuilder builder, Topic<String, V> topic, String store) {
        builder.globalTable(topic.name(), Consumed.with(Serdes.String(), topic.valueSerde()).withName(store + "-global"),
                Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(store).withKeySerde(Serdes.String()).withValueSerde(topic.valueSerde()));
    }

    private static TrendSignal published(ContentItem item) {
        return new TrendSignal(item.getItemId(), item.getCategory(), 0.0, true, item.getPublishedAt());
    }
}
