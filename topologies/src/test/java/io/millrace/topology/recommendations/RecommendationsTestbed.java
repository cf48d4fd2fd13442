package io.millrace.topology.recommendations;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.FeedUpdate;
import io.millrace.schemas.recommendations.Interaction;
import io.millrace.schemas.recommendations.InteractionKind;
import io.millrace.topology.testkit.PipelineTestDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;

/**
 * The recommendations pipeline in a TopologyTestDriver, with a catalog and users' interactions as publishers and apps send
 * them. Event time and the wall clock move together, from {@link #T0}; lists reach every instance's global stores at the
 * next publication (one second of wall clock by default: {@link #publish()}).
 */
final class RecommendationsTestbed implements AutoCloseable {

    static final Instant T0 = Instant.parse("2027-02-01T10:00:00Z");

    final PipelineTestDriver<RecommendationsPipeline> kit;
    final RecommendationsPipeline pipeline;
    final TestInputTopic<String, ContentItem> items;
    final TestInputTopic<String, Interaction> interactions;
    final TestOutputTopic<String, FeedUpdate> feedUpdates;
    private Instant now = T0;

    /**
     * The defaults, except that a feed refresh may take as long as it needs: its budget is elapsed time, which a test on a
     * busy machine must not depend on.
     */
    RecommendationsTestbed(Path stateDir) {
        this(stateDir, RecommendationsConfig.defaults().withFeedRefreshBudget(Duration.ofMinutes(1)));
    }

    RecommendationsTestbed(Path stateDir, RecommendationsConfig config) {
        kit = PipelineTestDriver.start(context -> new RecommendationsPipeline(context, config), stateDir, T0);
        pipeline = kit.pipeline;
        RecommendationsTopics topics = pipeline.recommendationsTopics();
        items = kit.input(topics.items());
        interactions = kit.input(topics.interactions());
        feedUpdates = kit.output(topics.feedUpdates());
    }

    // ---- events

    /** Publishes an item now, by {@code author}, tagged with its category. */
    ContentItem publish(String itemId, String category, String author) {
        ContentItem item = new ContentItem(itemId, "About " + itemId, "https://news.example/" + itemId, category, author, List.of(category),
                now.toEpochMilli(), now.toEpochMilli());
        items.pipeInput(itemId, item, now);
        return item;
    }

    void delete(String itemId) {
        items.pipeInput(itemId, null, now);
    }

    void interact(String user, String item, InteractionKind kind) {
        interactions.pipeInput(user, new Interaction(user, item, kind, now.toEpochMilli()), now);
    }

    void view(String user, String item) {
        interact(user, item, InteractionKind.VIEW);
    }

    /** {@code times} users (named after the item) each view {@code item}. */
    void viewedBy(String item, int times) {
        for (int i = 0; i < times; i++) {
            view("fan-" + item + "-" + i, item);
        }
    }

    /** Moves event time and the wall clock on, running the punctuators that are due. */
    void advance(Duration duration) {
        now = now.plus(duration);
        kit.driver.advanceWallClockTime(duration);
    }

    /** One publication interval: trending and similar lists reach the global stores. */
    void publish() {
        advance(pipeline.config().publishInterval());
    }

    Instant now() {
        return now;
    }

    // ---- what came out

    RecommendationsQueries queries() {
        return pipeline.queries(kit.stores());
    }

    List<String> feed(String user, int limit) {
        return queries().feed(user, limit, now.toEpochMilli()).items().stream().map(item -> item.item().itemId()).toList();
    }

    List<String> trending(String category, int limit) {
        return queries().trending(Optional.ofNullable(category), limit, now.toEpochMilli()).items().stream()
                .map(item -> item.item().itemId()).toList();
    }

    List<String> similar(String item) {
        return queries().similar(item, 50).orElseThrow().items().stream().map(s -> s.item().itemId()).toList();
    }

    long sessions(String item, String other) {
        return queries().similar(item, 100).orElseThrow().items().stream().filter(s -> s.item().itemId().equals(other))
                .mapToLong(RecommendationsQueries.SimilarItem::sessions).findFirst().orElse(0);
    }

    List<Rejected> rejections() {
        return kit.rejections();
    }

    @Override
    public void close() {
        kit.close();
    }
}
