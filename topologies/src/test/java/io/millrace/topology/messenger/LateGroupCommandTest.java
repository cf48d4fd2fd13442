package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.messenger.AddMember;
import io.millrace.schemas.messenger.CreateGroup;
import io.millrace.schemas.messenger.Delivery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group command read after a message it precedes in time (the conversation's task reads commands and messages from
 * two partitions without waiting) still decides that message: it is held until the command, or rejected once the
 * grace has passed in stream time.
 */
class LateGroupCommandTest {

    @TempDir
    Path stateDir;
    private MessengerTestbed bed;

    @BeforeEach
    void start() {
        bed = new MessengerTestbed(stateDir);
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void messageOfAMemberWhoseAdditionIsReadAfterItIsAccepted() {
        bed.createGroup("book-club", "ana", "ben");
        long added = bed.now();
        bed.advance(Duration.ofMillis(100));

        // chloe writes 100 ms after ana added her, but the pipeline reads her message first
        bed.sendToGroup("m-1", "chloe", "book-club", "thanks for adding me!");
        assertThat(bed.deliveries()).as("held, not refused").isEmpty();
        bed.groupCommand("book-club", "ana", new AddMember("chloe"), added);

        assertThat(bed.deliveries()).extracting(Delivery::getRecipient, d -> d.getMessage().getSequence())
                .containsExactlyInAnyOrder(tuple("ana", 1L), tuple("ben", 1L), tuple("chloe", 1L));
        bed.laterTraffic(HeldMessages.GRACE.multipliedBy(2));
        assertThat(bed.rejections()).isEmpty();
        assertThat(bed.queries.group("book-club").orElseThrow().members()).extracting(MessengerQueries.Member::user)
                .containsExactly("ana", "ben", "chloe");
    }

    @Test
    void messagesToAGroupWhoseCreationIsReadAfterThemAreSequencedInTheirOrder() {
        long created = bed.now();
        bed.advance(Duration.ofSeconds(2));
        bed.sendToGroup("m-1", "ben", "picnic", "I'll bring the blanket");
        bed.sendToGroup("m-2", "ben", "picnic", "and lemonade");

        bed.groupCommand("picnic", "ana", new CreateGroup(List.of("ben")), created);

        assertThat(bed.deliveries()).filteredOn(d -> d.getRecipient().equals("ana"))
                .extracting(d -> d.getMessage().getMessageId(), d -> d.getMessage().getSequence())
                .containsExactly(tuple("m-1", 1L), tuple("m-2", 2L));
        assertThat(bed.rejections()).isEmpty();
    }

    @Test
    void messageFromSomeoneWhoNeverJoinsIsRejectedOnceTheGraceHasPassed() {
        bed.createGroup("board", "ana", "ben");

        bed.sendToGroup("m-1", "mallory", "board", "buy my crypto");
        bed.laterTraffic(HeldMessages.GRACE.minusSeconds(1));
        assertThat(bed.rejections()).as("still within the grace").isEmpty();

        bed.laterTraffic(Duration.ofSeconds(2));
        assertThat(bed.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.getCode()).isEqualTo("SENDER_NOT_MEMBER");
            assertThat(rejection.getSourceTopic()).isEqualTo(MessengerTopics.MESSAGES);
            assertThat(rejection.getEventJson()).doesNotContain("crypto");
        });
        bed.laterTraffic(HeldMessages.GRACE.multipliedBy(3));
        bed.addMember("board", "ana", "mallory");
        assertThat(bed.rejections()).as("rejected once, never let in later").isEmpty();
        assertThat(bed.deliveries()).isEmpty();
    }

    @Test
    void beingAddedAfterSendingDoesNotLetAMessageIn() {
        bed.createGroup("board", "ana", "ben");
        bed.sendToGroup("m-1", "mallory", "board", "first!");

        bed.advance(Duration.ofSeconds(1));
        bed.addMember("board", "ana", "mallory");
        bed.sendToGroup("m-2", "mallory", "board", "hello, now that I am in");
        bed.laterTraffic(HeldMessages.GRACE);

        assertThat(bed.deliveries()).extracting(d -> d.getMessage().getMessageId()).containsOnly("m-2");
        assertThat(bed.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.getCode()).isEqualTo("SENDER_NOT_MEMBER");
            assertThat(rejection.getReason()).contains("only after sending");
        });
    }

    @Test
    void aMessageAlreadyPastTheGraceIsRejectedAtOnce() {
        bed.createGroup("board", "ana", "ben");
        bed.laterTraffic(HeldMessages.GRACE.multipliedBy(2));

        bed.messages.pipeInput("board", MessengerTestbed.text("m-1", "mallory",
                io.millrace.schemas.messenger.ConversationType.GROUP, "board", "old news"), MessengerTestbed.START.toEpochMilli());

        assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly("SENDER_NOT_MEMBER");
    }
}
