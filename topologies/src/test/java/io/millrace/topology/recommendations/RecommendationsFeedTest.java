package io.millrace.topology.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.recommendations.FeedUpdate;
import io.millrace.schemas.recommendations.InteractionKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendationsFeedTest {

    @TempDir
    Path stateDir;

    @Test
    void aUserWithoutInteractionsGetsWhatIsTrending() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            for (String category : List.of("sport", "science", "world", "arts")) {
                bed.publish(category + "-1", category, "ana");
                bed.publish(category + "-2", category, "bo");
            }
            bed.advance(Duration.ofHours(12));
            bed.viewedBy("science-2", 6);
            bed.viewedBy("world-1", 4);
            bed.viewedBy("sport-1", 2);
            bed.publish();

            RecommendationsQueries.Feed feed = bed.queries().feed("newcomer", 10, bed.now().toEpochMilli());

            assertThat(feed.personalized()).isFalse();
            assertThat(bed.feed("newcomer", 10)).isEqualTo(bed.trending(null, 10)).startsWith("science-2", "world-1", "sport-1")
                    .hasSize(8);
        }
    }

    @Test
    void aUserGetsMoreOfTheCategoriesAuthorsAndItemsTheyLike() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            for (int i = 1; i <= 3; i++) {
                bed.publish("science-" + i, "science", "ana");
                bed.publish("sport-" + i, "sport", "bo");
            }
            bed.advance(Duration.ofHours(12));
            bed.viewedBy("sport-2", 10);
            bed.viewedBy("sport-3", 10);
            bed.interact("reader", "science-1", InteractionKind.LIKE);
            bed.publish();

            assertThat(bed.queries().feed("reader", 10, bed.now().toEpochMilli()).personalized()).isTrue();
            assertThat(bed.feed("reader", 10)).startsWith("science-2", "science-3").doesNotContain("science-1");
            assertThat(bed.queries().interests("reader", bed.now().toEpochMilli()).orElseThrow().categories())
                    .extracting(RecommendationsQueries.Interest::name).containsExactly("science");
        }
    }

    @Test
    void recentInterestsOutweighOldOnes() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            for (int i = 1; i <= 3; i++) {
                bed.publish("cooking-" + i, "cooking", "ana");
            }
            bed.view("reader", "cooking-1");
            bed.view("reader", "cooking-2");
            bed.view("reader", "cooking-3");
            // Three weeks later, with a profile half-life of a week, three old views weigh 3/8 of one now.
            bed.advance(Duration.ofDays(21));
            bed.publish("cooking-4", "cooking", "ana");
            for (int i = 1; i <= 3; i++) {
                bed.publish("travel-" + i, "travel", "bo");
            }
            bed.view("reader", "travel-1");
            bed.publish();

            assertThat(bed.queries().interests("reader", bed.now().toEpochMilli()).orElseThrow().categories())
                    .extracting(RecommendationsQueries.Interest::name).containsExactly("travel", "cooking");
            assertThat(bed.feed("reader", 2)).containsExactly("travel-2", "travel-3");
        }
    }

    @Test
    void theFeedLeavesOutItemsSeenDismissedOrDeleted() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            for (int i = 1; i <= 5; i++) {
                bed.publish("tech-" + i, "tech", "ana");
            }
            bed.advance(Duration.ofHours(12));
            bed.view("reader", "tech-1");
            bed.interact("reader", "tech-2", InteractionKind.DISMISS);
            bed.delete("tech-3");
            bed.publish();

            assertThat(bed.feed("reader", 10)).containsExactlyInAnyOrder("tech-4", "tech-5");
            assertThat(bed.feed("someone-else", 10)).containsExactlyInAnyOrder("tech-1", "tech-2", "tech-4", "tech-5");
        }
    }

    @Test
    void noMoreThanThreeItemsOfOneCategoryAreInTheFirstTen() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            for (int i = 1; i <= 10; i++) {
                bed.publish("sport-" + i, "sport", "ana");
            }
            for (String category : List.of("science", "world", "arts")) {
                for (int i = 1; i <= 3; i++) {
                    bed.publish(category + "-" + i, category, "bo");
                }
            }
            bed.advance(Duration.ofHours(12));
            for (int i = 1; i <= 10; i++) {
                bed.viewedBy("sport-" + i, 20 - i);
            }
            bed.view("fan", "sport-10");
            bed.publish();

            List<RecommendationsQueries.FeedItem> feed = bed.queries().feed("fan", 20, bed.now().toEpochMilli()).items();
            Map<String, Long> perCategory = feed.subList(0, FeedRanker.DIVERSITY_WINDOW).stream()
                    .collect(Collectors.groupingBy(item -> item.item().category(), Collectors.counting()));

            assertThat(perCategory).containsEntry("sport", 3L).allSatisfy((category, count) -> assertThat(count).isLessThanOrEqualTo(3));
            assertThat(feed.subList(0, 3)).extracting(item -> item.item().itemId()).containsExactly("sport-1", "sport-2", "sport-3");
            assertThat(feed).hasSize(18).extracting(item -> item.item().itemId()).contains("sport-4", "sport-9");
            assertThat(bed.feed("fan", 20).indexOf("sport-4")).isGreaterThanOrEqualTo(FeedRanker.DIVERSITY_WINDOW);
        }
    }

    @Test
    void aNewlyPublishedItemReachesTheFeedOfAUserWhoLikesItsCategoryWithinSeconds() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            for (int i = 1; i <= 12; i++) {
                bed.publish("science-" + i, "science", "ana");
                bed.publish("sport-" + i, "sport", "bo");
            }
            bed.advance(Duration.ofHours(12));
            for (int i = 1; i <= 12; i++) {
                bed.viewedBy("science-" + i, 5);
                bed.viewedBy("sport-" + i, 8);
            }
            bed.view("reader", "science-1");
            bed.interact("reader", "science-2", InteractionKind.LIKE);
            bed.advance(Duration.ofSeconds(1));
            bed.advance(Duration.ofSeconds(1));
            List<FeedUpdate> before = bed.feedUpdates.readValuesToList().stream().filter(update -> update.getUser().equals("reader")).toList();
            assertThat(before).isNotEmpty();
            assertThat(before.get(before.size() - 1).getTop()).doesNotContain("breakthrough");

            bed.publish("breakthrough", "science", "cy");
            // One second to reach every instance's trending lists: the feed served has it.
            bed.advance(Duration.ofSeconds(1));
            assertThat(bed.feed("reader", 10)).startsWith("breakthrough");

            // The reader's feed is recomputed at most every idle refresh (3 s) when they do nothing: then it is pushed.
            for (int second = 0; second < 3; second++) {
                bed.advance(Duration.ofSeconds(1));
            }
            Map<String, FeedUpdate> latest = bed.feedUpdates.readValuesToList().stream()
                    .collect(Collectors.toMap(FeedUpdate::getUser, Function.identity(), (a, b) -> b));
            assertThat(latest.get("reader").getEntered()).containsExactly("breakthrough");
            assertThat(latest.get("reader").getTop()).startsWith("breakthrough");
        }
    }
}
