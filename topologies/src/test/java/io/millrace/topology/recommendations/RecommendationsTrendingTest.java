package io.millrace.topology.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendationsTrendingTest {

    @TempDir
    Path stateDir;

    @Test
    void anItemWithMoreButOlderInteractionsFallsBelowAFresherOneAsTimeAdvances() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.publish("old-news", "world", "ana");
            bed.publish("news", "world", "bo");
            bed.publish("fresh-news", "world", "cy");
            bed.advance(Duration.ofHours(12));
            bed.viewedBy("old-news", 10);
            bed.advance(Duration.ofHours(2));
            bed.viewedBy("news", 3);
            bed.publish();

            // Half-life 2 h: ten views two hours ago are worth five now, more than three views now.
            assertThat(bed.trending("world", 10)).containsExactly("old-news", "news", "fresh-news");

            bed.advance(Duration.ofHours(4));
            bed.viewedBy("fresh-news", 3);
            bed.publish();

            // Four hours on, the ten views are worth 1.25 and the first three 0.75: three views now lead.
            assertThat(bed.trending("world", 10)).containsExactly("fresh-news", "old-news", "news");
            assertThat(bed.trending(null, 10)).containsExactly("fresh-news", "old-news", "news");
        }
    }

    @Test
    void interactionsWeighByKindSoALikeCountsMoreThanAView() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.publish("viewed", "tech", "ana");
            bed.publish("liked", "tech", "ana");
            bed.advance(Duration.ofHours(12));
            bed.viewedBy("viewed", 2);
            bed.interact("u1", "liked", io.millrace.schemas.recommendations.InteractionKind.LIKE);
            bed.publish();

            assertThat(bed.trending("tech", 10)).containsExactly("liked", "viewed");
        }
    }

    @Test
    void trendingIsKeptPerCategoryAndOverall() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.publish("goal", "sport", "ana");
            bed.publish("match", "sport", "ana");
            bed.publish("vote", "politics", "bo");
            bed.advance(Duration.ofHours(12));
            bed.viewedBy("goal", 5);
            bed.viewedBy("vote", 3);
            bed.viewedBy("match", 1);
            bed.publish();

            assertThat(bed.trending("sport", 10)).containsExactly("goal", "match");
            assertThat(bed.trending("politics", 10)).containsExactly("vote");
            assertThat(bed.trending(null, 10)).containsExactly("goal", "vote", "match");
            assertThat(bed.trending(null, 2)).containsExactly("goal", "vote");
        }
    }

    @Test
    void itemsWithoutInteractionsForTheIdleHorizonLeaveTheTrendingState() {
        RecommendationsConfig config = RecommendationsConfig.defaults();
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.publish("idle", "world", "ana");
            bed.publish("busy", "world", "ana");
            bed.viewedBy("idle", 3);
            bed.publish();
            assertThat(bed.trending("world", 10)).containsExactlyInAnyOrder("idle", "busy");

            bed.advance(config.idleHorizon().minusHours(1));
            bed.view("reader", "busy");
            bed.advance(Duration.ofHours(2));
            bed.publish();

            assertThat(bed.trending("world", 10)).containsExactly("busy");
        }
    }

    @Test
    void aDeletedItemLeavesTrending() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.publish("kept", "world", "ana");
            bed.publish("retracted", "world", "ana");
            bed.viewedBy("retracted", 5);
            bed.publish();

            bed.delete("retracted");

            assertThat(bed.trending("world", 10)).containsExactly("kept");
        }
    }
}
