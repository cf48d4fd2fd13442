package io.millrace.topology.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.Interaction;
import io.millrace.schemas.recommendations.InteractionKind;
import io.millrace.topology.runtime.Identifiers;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendationsRejectionsTest {

    @TempDir
    Path stateDir;

    @Test
    void interactionsOfAnUnknownKindOrWithMalformedIdsAreRejectedWithTheirReason() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.publish("item-1", "tech", "ana");
            long now = bed.now().toEpochMilli();
            bed.interactions.pipeInput("ana", new Interaction("ana", "item-1", InteractionKind.UNKNOWN, now), bed.now());
            bed.interactions.pipeInput("an a", new Interaction("an a", "item-1", InteractionKind.VIEW, now), bed.now());
            bed.interactions.pipeInput("ana", new Interaction("ana", "item 1|x", InteractionKind.VIEW, now), bed.now());
            bed.interactions.pipeInput("ana", new Interaction("ana", "", InteractionKind.VIEW, now), bed.now());
            bed.interactions.pipeInput("bo", new Interaction("ana", "item-1", InteractionKind.VIEW, now), bed.now());
            bed.interactions.pipeInput("ana", null, bed.now());

            List<Rejected> rejected = bed.rejections();

            assertThat(rejected).extracting(Rejected::getCode).containsExactly(InteractionRules.UNKNOWN_KIND, Identifiers.INVALID_ID,
                    Identifiers.INVALID_ID, Identifiers.INVALID_ID, Violation.KEY_MISMATCH, Rejections.NO_VALUE);
            assertThat(rejected.get(2).getReason()).contains("item");
            assertThat(bed.queries().interests("ana", now)).isEmpty();
        }
    }

    @Test
    void anInteractionOnAnItemStillUnknownAfterTheGraceIsRejected() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            Duration grace = bed.pipeline.config().unknownItemGrace();
            bed.view("ana", "ghost");
            bed.advance(grace.minusSeconds(1));
            assertThat(bed.rejections()).isEmpty();

            bed.advance(Duration.ofSeconds(2));

            assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly(InteractionRules.UNKNOWN_ITEM);
            assertThat(bed.queries().interests("ana", bed.now().toEpochMilli())).isEmpty();
        }
    }

    @Test
    void anInteractionThatArrivesBeforeItsItemCountsOnceTheItemArrivesWithinTheGrace() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.view("ana", "scoop");
            bed.advance(Duration.ofSeconds(1));
            bed.publish("scoop", "world", "bo");
            bed.advance(Duration.ofSeconds(2));

            assertThat(bed.rejections()).isEmpty();
            assertThat(bed.queries().interests("ana", bed.now().toEpochMilli()).orElseThrow().categories())
                    .extracting(RecommendationsQueries.Interest::name).containsExactly("world");
        }
    }

    @Test
    void anInteractionOnADeletedItemIsRejected() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            bed.publish("retracted", "world", "bo");
            bed.delete("retracted");
            bed.view("ana", "retracted");
            bed.advance(bed.pipeline.config().unknownItemGrace().plusSeconds(1));

            assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly(InteractionRules.UNKNOWN_ITEM);
        }
    }

    @Test
    void catalogItemsThatBreakARuleAreRejectedAndNotPublished() {
        try (RecommendationsTestbed bed = new RecommendationsTestbed(stateDir)) {
            long now = bed.now().toEpochMilli();
            ContentItem good = new ContentItem("item-1", "A title", "https://news.example/1", "tech", "ana", List.of("ai"), now, now);
            bed.items.pipeInput("item-2", good, bed.now());
            bed.items.pipeInput("bad id", ContentItem.newBuilder(good).setItemId("bad id").build(), bed.now());
            bed.items.pipeInput("item-1", ContentItem.newBuilder(good).setCategory(" ").build(), bed.now());
            bed.items.pipeInput("item-1", ContentItem.newBuilder(good).setTags(List.of("a|b")).build(), bed.now());
            bed.items.pipeInput("item-1", ContentItem.newBuilder(good).setUrl("").build(), bed.now());

            assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly(Violation.KEY_MISMATCH, Identifiers.INVALID_ID,
                    Identifiers.INVALID_NAME, Identifiers.INVALID_NAME, InteractionRules.INVALID_ITEM);
            assertThat(bed.queries().item("item-1")).isEmpty();
        }
    }
}
