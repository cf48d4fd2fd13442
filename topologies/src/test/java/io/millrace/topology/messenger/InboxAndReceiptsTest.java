package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.messenger.ReceiptStatus;
import io.millrace.topology.messenger.MessengerQueries.InboxItem;
import io.millrace.topology.messenger.MessengerQueries.RecipientStatus;
import io.millrace.topology.messenger.ReadMarks.State;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inboxes list conversations with their last message and unread count; receipts move read marks and message status. */
class InboxAndReceiptsTest {

    @TempDir
    Path stateDir;
    private MessengerTestbed bed;

    @BeforeEach
    void start() {
        bed = new MessengerTestbed(stateDir);
        bed.createGroup("flat-42", "ana", "ben", "chloe");
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void readReceiptLowersTheReadersUnreadCountOnly() {
        bed.sendToGroup("m-1", "ana", "flat-42", "rent is due");
        bed.sendToGroup("m-2", "ana", "flat-42", "also the internet bill");
        bed.sendToGroup("m-3", "ana", "flat-42", "and someone ate my yoghurt");
        assertThat(unread("ben", "flat-42")).isEqualTo(3);

        bed.read("ben", "flat-42", 2);
        assertThat(unread("ben", "flat-42")).isEqualTo(1);

        bed.read("ben", "flat-42", 3);
        assertThat(unread("ben", "flat-42")).isZero();
        assertThat(unread("chloe", "flat-42")).isEqualTo(3);
        assertThat(unread("ana", "flat-42")).isZero();
    }

    @Test
    void replyingMarksEverythingBeforeItRead() {
        bed.sendToGroup("m-1", "ana", "flat-42", "pizza tonight?");
        bed.sendToGroup("m-2", "chloe", "flat-42", "yes");

        bed.sendToGroup("m-3", "ben", "flat-42", "count me in");

        assertThat(unread("ben", "flat-42")).isZero();
        assertThat(unread("ana", "flat-42")).isEqualTo(2);
    }

    @Test
    void inboxListsConversationsWithTheMostRecentFirst() {
        bed.sendToGroup("m-1", "ana", "flat-42", "rent is due");
        bed.sendDirect("m-2", "chloe", "ben", "can you lend me 20?");
        bed.sendDirect("m-3", "ana", "ben", "did you pay rent?");

        assertThat(bed.queries.inbox("ben", 10))
                .extracting(InboxItem::conversation, item -> item.lastMessage().messageId(), InboxItem::unread)
                .containsExactly(tuple("dm:ana:ben", "m-3", 1L), tuple("dm:ben:chloe", "m-2", 1L), tuple("flat-42", "m-1", 1L));
        assertThat(bed.queries.inbox("ben", 2)).hasSize(2);
        assertThat(bed.queries.inbox("dave", 10)).isEmpty();
    }

    @Test
    void messageStatusShowsDeliveredAndReadPerRecipient() {
        bed.sendToGroup("m-1", "ana", "flat-42", "rent is due");
        bed.sendToGroup("m-2", "ana", "flat-42", "also the internet bill");

        bed.receipt("ben", "flat-42", 2, ReceiptStatus.DELIVERED);
        bed.read("ben", "flat-42", 1);
        bed.receipt("chloe", "flat-42", 1, ReceiptStatus.DELIVERED);

        assertThat(bed.queries.status("m-1").orElseThrow().recipients()).extracting(RecipientStatus::user, RecipientStatus::state)
                .containsExactlyInAnyOrder(tuple("ben", State.READ), tuple("chloe", State.DELIVERED));
        assertThat(bed.queries.status("m-2").orElseThrow().recipients()).extracting(RecipientStatus::user, RecipientStatus::state)
                .containsExactlyInAnyOrder(tuple("ben", State.DELIVERED), tuple("chloe", State.SENT));
        assertThat(bed.queries.status("m-404")).isEmpty();
    }

    @Test
    void receiptFromOutsiderIsRejectedAndChangesNothing() {
        bed.sendToGroup("m-1", "ana", "flat-42", "rent is due");

        bed.read("mallory", "flat-42", 1);

        assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly("NOT_A_MEMBER");
        assertThat(bed.queries.status("m-1").orElseThrow().recipients()).extracting(RecipientStatus::state)
                .containsOnly(State.SENT);
    }

    @Test
    void receiptKeyedByAnotherUserIsRejected() {
        bed.sendToGroup("m-1", "ana", "flat-42", "rent is due");

        bed.receipts.pipeInput("chloe", new io.millrace.schemas.messenger.ReadReceipt("ben", "flat-42", 1L, ReceiptStatus.READ,
                bed.now()), bed.now());

        assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly("WRONG_KEY");
        assertThat(unread("ben", "flat-42")).isEqualTo(1);
    }

    @Test
    void readingAheadOfTheConversationIsCappedAtItsLastMessage() {
        bed.sendToGroup("m-1", "ana", "flat-42", "rent is due");
        bed.read("ben", "flat-42", 99);

        bed.sendToGroup("m-2", "ana", "flat-42", "also the internet bill");

        assertThat(bed.queries.status("m-2").orElseThrow().recipients()).extracting(RecipientStatus::user, RecipientStatus::state)
                .contains(tuple("ben", State.SENT));
    }

    private long unread(String user, String conversation) {
        bed.advance(Duration.ofMillis(1));
        return bed.queries.inbox(user, 100).stream().filter(item -> item.conversation().equals(conversation))
                .findFirst().orElseThrow().unread();
    }
}
