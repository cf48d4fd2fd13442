package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.messenger.Delivery;
import io.millrace.schemas.messenger.DeliveryRole;
import io.millrace.topology.testkit.PipelineTestDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages become one delivery per member, in the conversation's order; what breaks a rule is rejected with a reason. */
class ConversationFanOutTest {

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
    void groupMessageReachesEveryMemberExactlyOnceWithTheSenderCopyMarkedSent() {
        bed.createGroup("hiking-club", "ana", "ben", "chloe", "dev");

        bed.sendToGroup("m-1", "ben", "hiking-club", "Saturday at 8, trailhead parking");

        List<Delivery> deliveries = bed.deliveries();
        assertThat(deliveries).extracting(Delivery::getRecipient, Delivery::getRole).containsExactlyInAnyOrder(
                tuple("ana", DeliveryRole.RECEIVED), tuple("ben", DeliveryRole.SENT),
                tuple("chloe", DeliveryRole.RECEIVED), tuple("dev", DeliveryRole.RECEIVED));
        assertThat(deliveries).allSatisfy(d -> {
            assertThat(d.getMessage().getMessageId()).isEqualTo("m-1");
            assertThat(d.getMessage().getSequence()).isEqualTo(1);
        });
        assertThat(bed.rejections()).isEmpty();
    }

    @Test
    void aMessageKeyedBySomethingOtherThanItsConversationIsRejectedWithoutItsBodyAndNeverSequenced() {
        // A conversation is ordered by the task its key picks: a message under its sender's key could land on another
        // task and be given a sequence number the conversation's own task also gives.
        bed.messages.pipeInput("ana", MessengerTestbed.text("m-1", "ana", io.millrace.schemas.messenger.ConversationType.DIRECT, "ben",
                "the vault code is 4711"), MessengerTestbed.START.toEpochMilli());
        bed.sendDirect("m-2", "ana", "ben", "Lunch?");

        assertThat(bed.rejections()).singleElement().satisfies(rejected -> {
            assertThat(rejected.getCode()).isEqualTo("KEY_MISMATCH");
            assertThat(rejected.getReason()).contains("dm:ana:ben");
            assertThat(rejected.getEventJson()).doesNotContain("4711");
        });
        assertThat(bed.deliveries()).extracting(d -> d.getMessage().getMessageId(), d -> d.getMessage().getSequence())
                .containsExactly(tuple("m-2", 1L), tuple("m-2", 1L));
    }

    @Test
    void directMessageGoesToBothInboxes() {
        bed.sendDirect("m-1", "ana", "ben", "Lunch?");

        assertThat(bed.deliveries()).extracting(Delivery::getRecipient, Delivery::getRole)
                .containsExactlyInAnyOrder(tuple("ana", DeliveryRole.SENT), tuple("ben", DeliveryRole.RECEIVED));
        assertThat(bed.queries.inbox("ana", 10)).singleElement().satisfies(item -> {
            assertThat(item.conversation()).isEqualTo("dm:ana:ben");
            assertThat(item.peer()).contains("ben");
            assertThat(item.unread()).isZero();
        });
        assertThat(bed.queries.inbox("ben", 10)).singleElement().satisfies(item -> {
            assertThat(item.peer()).contains("ana");
            assertThat(item.lastMessage().body()).contains("Lunch?");
            assertThat(item.unread()).isEqualTo(1);
        });
    }

    @Test
    void conversationKeepsSendOrderAcrossSendersAndReadsBackNewestFirst() {
        bed.createGroup("standup", "ana", "ben");
        bed.sendToGroup("m-1", "ana", "standup", "yesterday: reviews");
        bed.sendToGroup("m-2", "ben", "standup", "yesterday: the deploy");
        bed.sendToGroup("m-3", "ana", "standup", "today: release notes");
        bed.sendToGroup("m-4", "ben", "standup", "today: on call");

        List<Delivery> toBen = bed.deliveries().stream().filter(d -> d.getRecipient().equals("ben")).toList();
        assertThat(toBen).extracting(d -> d.getMessage().getMessageId(), d -> d.getMessage().getSequence())
                .containsExactly(tuple("m-1", 1L), tuple("m-2", 2L), tuple("m-3", 3L), tuple("m-4", 4L));

        var firstPage = bed.queries.messages("standup", Optional.empty(), 3).orElseThrow();
        assertThat(firstPage.messages()).extracting(MessengerQueries.MessageView::sequence).containsExactly(4L, 3L, 2L);
        assertThat(firstPage.nextBefore()).contains(2L);
        var secondPage = bed.queries.messages("standup", firstPage.nextBefore(), 3).orElseThrow();
        assertThat(secondPage.messages()).extracting(MessengerQueries.MessageView::body).containsExactly(Optional.of("yesterday: reviews"));
        assertThat(secondPage.nextBefore()).isEmpty();
    }

    @Test
    void retriedMessageIdIsNotSequencedTwice() {
        bed.sendDirect("m-1", "ana", "ben", "Lunch?");
        bed.sendDirect("m-1", "ana", "ben", "Lunch?");
        bed.sendDirect("m-2", "ana", "ben", "12:30?");

        assertThat(bed.deliveries()).filteredOn(d -> d.getRecipient().equals("ben"))
                .extracting(d -> d.getMessage().getSequence()).containsExactly(1L, 2L);
        assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly("DUPLICATE_MESSAGE");
    }

    @Test
    void messageFromNonMemberIsRejectedAndNotDelivered() {
        bed.createGroup("board", "ana", "ben");

        bed.sendToGroup("m-1", "mallory", "board", "buy my crypto");
        bed.laterTraffic(HeldMessages.GRACE);

        assertThat(bed.deliveries()).isEmpty();
        assertThat(bed.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.getCode()).isEqualTo("SENDER_NOT_MEMBER");
            assertThat(rejection.getReason()).contains("mallory").contains("board");
        });
        assertThat(bed.queries.messages("board", Optional.empty(), 10)).isEmpty();
    }

    @Test
    void messageToUnknownGroupIsRejected() {
        bed.sendToGroup("m-1", "ana", "no-such-group", "hello?");
        bed.laterTraffic(HeldMessages.GRACE);

        assertThat(bed.deliveries()).isEmpty();
        assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly("UNKNOWN_GROUP");
    }

    @Test
    void hundredFiftyFirstMemberIsRejectedAndTheGroupStaysAt150() {
        String[] others = IntStream.rangeClosed(2, 150).mapToObj(i -> "user-" + i).toArray(String[]::new);
        bed.createGroup("town-hall", "user-1", others);
        assertThat(bed.queries.group("town-hall").orElseThrow().members()).hasSize(150);

        bed.addMember("town-hall", "user-1", "user-151");

        assertThat(bed.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.getCode()).isEqualTo("GROUP_FULL");
            assertThat(rejection.getEventJson()).contains("user-151");
        });
        assertThat(bed.queries.group("town-hall").orElseThrow().members()).hasSize(150)
                .extracting(MessengerQueries.Member::user).doesNotContain("user-151");

        bed.sendToGroup("m-1", "user-7", "town-hall", "agenda attached");
        assertThat(bed.deliveries()).hasSize(150).extracting(Delivery::getRecipient).doesNotHaveDuplicates();
    }

    @Test
    void memberAddedLaterReceivesOnlyNewMessagesAndRemovedMemberNoMore() {
        bed.createGroup("book-club", "ana", "ben");
        bed.sendToGroup("m-1", "ana", "book-club", "chapter 3 by Friday");
        bed.addMember("book-club", "ana", "chloe");
        bed.removeMember("book-club", "ben", "ben");
        bed.deliveries();

        bed.sendToGroup("m-2", "chloe", "book-club", "hi all");

        assertThat(bed.deliveries()).extracting(Delivery::getRecipient).containsExactlyInAnyOrder("ana", "chloe");
        assertThat(bed.queries.group("book-club").orElseThrow().members())
                .extracting(MessengerQueries.Member::user, MessengerQueries.Member::sinceSequence)
                .containsExactly(tuple("ana", 1L), tuple("chloe", 2L));
        assertThat(bed.queries.inbox("chloe", 10)).singleElement().satisfies(item -> assertThat(item.unread()).isZero());
    }

    @Test
    void aBodyOfTheLargestSizeAllowedReachesTheInboxOfItsRecipient() {
        String body = "x".repeat(MessageRules.MAX_BODY_BYTES);

        bed.sendDirect("m-1", "ana", "ben", body);

        assertThat(bed.queries.inbox("ben", 10)).singleElement().satisfies(item -> assertThat(item.lastMessage().body()).contains(body));
        assertThat(bed.deadLetters()).isEmpty();
    }

    @Test
    void brokenMessagesAreRejectedWithTheirReasonAndNeverQuoteTheBody() {
        bed.sendDirect("m-1", "ana", "ben", "x".repeat(MessageRules.MAX_BODY_BYTES + 1));
        bed.sendDirect("m-2", "ana", "ben", "");
        bed.sendDirect("bad id!", "ana", "ben", "hello");
        bed.sendDirect("m-3", "ana", "ana", "note to self");

        List<Rejected> rejections = bed.rejections();
        assertThat(rejections).extracting(Rejected::getCode)
                .containsExactly("BODY_TOO_LARGE", "EMPTY_MESSAGE", "MALFORMED_ID", "INVALID_RECIPIENT");
        assertThat(rejections.get(0).getEventJson()).doesNotContain("xxxx").contains("65537 bytes withheld");
        assertThat(rejections.get(2).getEventJson()).doesNotContain("hello");
        assertThat(bed.deliveries()).isEmpty();
    }

    @Test
    void aRecordWithoutAValueIsRejectedAsNotAnEvent() {
        bed.rawMessages.pipeInput("ana".getBytes(StandardCharsets.UTF_8), (byte[]) null);
        bed.sendDirect("m-1", "ana", "ben", "still there?");

        assertThat(bed.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.getCode()).isEqualTo("NO_VALUE");
            assertThat(rejection.getSourceTopic()).isEqualTo("messenger.messages");
            assertThat(rejection.getEventType()).isEqualTo("io.millrace.schemas.messenger.SendMessage");
        });
        assertThat(bed.deliveries()).hasSize(2);
    }

    @Test
    void undecodableBytesAreDeadLetteredAndTheNextMessageIsDelivered() {
        bed.rawMessages.pipeInput("ana".getBytes(StandardCharsets.UTF_8), "\u0007not avro".getBytes(StandardCharsets.UTF_8));
        bed.sendDirect("m-1", "ana", "ben", "still there?");

        assertThat(bed.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("\u0007not avro");
            assertThat(PipelineTestDriver.header(letter, "millrace.stage")).isEqualTo("deserialization");
        });
        assertThat(bed.meters.get("millrace.dead.letter.attempts").tags("pipeline", "messenger", "stage", "deserialization")
                .counter().count()).isEqualTo(1.0);
        assertThat(bed.deliveries()).hasSize(2);
    }
}
