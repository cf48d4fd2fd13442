package io.millrace.bench.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.Interaction;
import io.millrace.schemas.recommendations.InteractionKind;
import io.millrace.topology.recommendations.RecommendationsConfig;
import io.millrace.topology.recommendations.RecommendationsPipeline;
import io.millrace.topology.recommendations.RecommendationsQueries;
import io.millrace.topology.recommendations.RecommendationsTopics;
import io.millrace.topology.testkit.PipelineTestDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline evaluation of #17: a {@link TasteWorld} replayed, in event-time order, through the production topology
 * (the pipeline as the platform builds it, in a TopologyTestDriver, the wall clock following event time so its
 * publications run as they would), then every user's feed at the cutoff judged against what they opened next, beside
 * the two batch baselines computed on the same history. {@code -Dreco.eval.size=FULL} runs the larger world (the
 * README's figures); the default small one keeps the suite quick.
 */
class RecommendationsEvaluationTest {

    /** How far event time moves between two publications of the lists: a replay of weeks cannot publish every second. */
    private static final long PUBLISH_EVERY_MS = 15 * 60_000;

    @TempDir Path stateDir;

    @Test
    void theStreamingFeedBeatsTrendingOnlyClearly() throws Exception {
        TasteWorld.Size size = "FULL".equals(System.getProperty("reco.eval.size")) ? TasteWorld.Size.FULL : TasteWorld.Size.SMALL;
        TasteWorld.Split world = TasteWorld.generate(size, 7);
        // The defaults, except that active users' feeds are not recomputed every second for feed updates (nothing here
        // reads them, and a replay moves the clock weeks in seconds): feeds are judged as the endpoint answers them.
        String year = Long.toString(Duration.ofDays(365).toMillis());
        RecommendationsConfig config = RecommendationsConfig.from(io.millrace.topology.Settings.of(java.util.Map.of(
                "recommendations.feed-refresh-ms", year, "recommendations.feed-idle-refresh-ms", year)));

        long started = System.nanoTime();
        Judgement streaming;
        try (PipelineTestDriver<RecommendationsPipeline> kit = PipelineTestDriver.start(
                context -> new RecommendationsPipeline(context, config), stateDir, Instant.ofEpochMilli(world.start() - 8 * TasteWorld.DAY))) {
            replay(world, kit);
            RecommendationsQueries queries = kit.pipeline.queries(kit.stores());
            streaming = Judgement.of(new Recommender() {
                public String name() {
                    return "Millrace streaming feed";
                }

                public List<String> recommend(String user, int k) {
                    return queries.feed(user, k, world.cutoff()).items().stream().map(item -> item.item().itemId()).toList();
                }
            }, world.future());
        }
        double replaySeconds = (System.nanoTime() - started) / 1e9;
        Judgement trending = Judgement.of(Baselines.trending(world, config.trendingHalfLife().toMillis()), world.future());
        Judgement knn = Judgement.of(Baselines.itemKnn(world, 50), world.future());

        String table = Baselines.table(List.of(streaming, trending, knn));
        String report = String.format(java.util.Locale.ROOT, "%s world: %,d users, %,d items, %,d interactions before the cutoff, "
                        + "replayed and judged in %.1f s%n%s%nstreaming vs trending only: %+.0f %% NDCG@10; vs item-kNN: %+.0f %%%n",
                size == TasteWorld.Size.FULL ? "Full" : "Small", size.users(), world.items().size(), world.training().size(),
                replaySeconds, table, 100 * streaming.liftOver(trending), 100 * streaming.liftOver(knn));
        System.out.println(report);
        Files.writeString(Path.of("target", "recommendations-evaluation.md"), report);

        assertThat(streaming.users()).isEqualTo(trending.users());
        assertThat(streaming.ndcg()).as(report).isGreaterThan(trending.ndcg() * 1.2);
        assertThat(streaming.hitRate()).as(report).isGreaterThan(trending.hitRate());
    }

    /** Items and interactions in event-time order; the wall clock moves with them, {@link #PUBLISH_EVERY_MS} at a time
     * (so trending and similar lists reach the feed that much event time late at most). */
    private static void replay(TasteWorld.Split world, PipelineTestDriver<RecommendationsPipeline> kit) {
        RecommendationsTopics topics = kit.pipeline.recommendationsTopics();
        TestInputTopic<String, ContentItem> items = kit.input(topics.items());
        TestInputTopic<String, Interaction> interactions = kit.input(topics.interactions());
        record Step(long time, Runnable send) {
        }
        List<Step> steps = new ArrayList<>();
        for (TasteWorld.Item item : world.catalog()) {
            ContentItem content = new ContentItem(item.id(), item.title(), "https://feed.example/" + item.id(), item.category(),
                    item.author(), item.tags(), item.publishedAt(), item.publishedAt());
            steps.add(new Step(item.publishedAt(), () -> items.pipeInput(item.id(), content, Instant.ofEpochMilli(item.publishedAt()))));
        }
        for (TasteWorld.Event event : world.training()) {
            Interaction interaction = new Interaction(event.user(), event.item(), InteractionKind.valueOf(event.kind()), event.timestamp());
            steps.add(new Step(event.timestamp(), () -> interactions.pipeInput(event.user(), interaction, Instant.ofEpochMilli(event.timestamp()))));
        }
        steps.sort(Comparator.comparingLong(Step::time));
        long clock = world.start() - 8 * TasteWorld.DAY;
        for (Step step : steps) {
            if (step.time() - clock >= PUBLISH_EVERY_MS) {
                kit.driver.advanceWallClockTime(Duration.ofMillis(step.time() - clock));
                clock = step.time();
            }
            step.send().run();
        }
        kit.driver.advanceWallClockTime(Duration.ofMillis(world.cutoff() - clock));
        assertThat(kit.rejections()).as("the world's events are all valid").isEmpty();
    }
}
