package io.millrace.topology.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.recommendations.Neighbour;
import io.millrace.schemas.recommendations.SimilarItems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendationsSimilarTest {

    @TempDir
    Path stateDir;

    @Test
    void itemsViewedInOneSessionAreSimilarBothWaysAndEqually() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.publish("boots", "outdoor", "ana");
            bed.publish("tent", "outdoor", "ana");
            bed.publish("stove", "outdoor", "bo");
            for (String user : new String[] {"u1", "u2", "u3"}) {
                bed.view(user, "boots");
                bed.advance(Duration.ofMinutes(2));
                bed.view(user, "tent");
            }
            bed.view("u4", "tent");
            bed.view("u4", "stove");
            bed.publish();

            assertThat(bed.sessions("boots", "tent")).isEqualTo(3).isEqualTo(bed.sessions("tent", "boots"));
            assertThat(bed.sessions("tent", "stove")).isEqualTo(1).isEqualTo(bed.sessions("stove", "tent"));
            assertThat(bed.similar("tent")).containsExactly("boots", "stove");
            assertThat(bed.similar("boots")).containsExactly("tent");
        }
    }

    @Test
    void aSessionCountsAPairOnceHoweverOftenItsItemsAreViewed() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.publish("boots", "outdoor", "ana");
            bed.publish("tent", "outdoor", "ana");
            bed.view("u1", "boots");
            bed.view("u1", "tent");
            bed.view("u1", "boots");
            bed.view("u1", "tent");
            bed.publish();

            assertThat(bed.sessions("boots", "tent")).isEqualTo(1);
            assertThat(bed.sessions("tent", "boots")).isEqualTo(1);
        }
    }

    @Test
    void itemsViewedInSessionsApartAreNotPaired() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.publish("boots", "outdoor", "ana");
            bed.publish("tent", "outdoor", "ana");
            bed.view("u1", "boots");
            bed.advance(bed.pipeline.config().sessionGap().plusMinutes(1));
            bed.view("u1", "tent");
            bed.publish();

            assertThat(bed.similar("boots")).isEmpty();
            assertThat(bed.similar("tent")).isEmpty();
        }
    }

    @Test
    void anItemKeepsOnlyItsMostSeenNeighbours() {
        RecommendationsConfig config = RecommendationsConfig.defaults();
        int size = config.similarSize();
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.publish("hub", "music", "ana");
            for (int i = 0; i < 3 * size; i++) {
                bed.publish("track-" + i, "music", "ana");
            }
            // The first five tracks are seen with the hub in three sessions each, the others in one.
            for (int i = 0; i < 3 * size; i++) {
                int sessions = i < 5 ? 3 : 1;
                for (int s = 0; s < sessions; s++) {
                    String user = "listener-" + i + "-" + s;
                    bed.view(user, "hub");
                    bed.view(user, "track-" + i);
                }
            }
            bed.publish();

            assertThat(bed.similar("hub")).hasSize(size);
            assertThat(bed.similar("hub").subList(0, 5)).containsExactlyInAnyOrder("track-0", "track-1", "track-2", "track-3", "track-4");
            assertThat(bed.sessions("hub", "track-0")).isEqualTo(3).isEqualTo(bed.sessions("track-0", "hub"));
            List<Neighbour> counted = bed.kit.stores().<String, SimilarItems>keyValue(RecommendationsStores.CO_COUNTS).get("hub")
                    .getNeighbours();
            assertThat(counted).as("neighbours counted for one item").hasSize(2 * size);
        }
    }
}
