package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.millrace.schemas.messenger.BodyProtection;
import io.millrace.schemas.messenger.ReceiptStatus;
import io.millrace.schemas.messenger.UserEvent;
import io.millrace.schemas.messenger.UserEventKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each user's connected clients are told at once, on messenger.user-events, keyed by that user. */
class UserEventsTest {

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
    void everyMemberIsToldOfAGroupMessageTheSendersOtherDevicesToo() {
        bed.sendToGroup("m-1", "ben", "flat-42", "who took my oat milk?");

        List<TestRecord<String, UserEvent>> events = bed.userEvents.readRecordsToList();
        assertThat(events).extracting(TestRecord::key).containsExactlyInAnyOrder("ana", "ben", "chloe");
        assertThat(events).allSatisfy(record -> {
            UserEvent event = record.value();
            assertThat(event.getUser()).isEqualTo(record.key());
            assertThat(event.getKind()).isEqualTo(UserEventKind.MESSAGE);
            assertThat(event.getConversation()).isEqualTo("flat-42");
            assertThat(event.getSequence()).isEqualTo(1);
            assertThat(event.getActor()).isEqualTo("ben");
            assertThat(event.getMessage().getMessageId()).isEqualTo("m-1");
            assertThat(event.getMessage().getBody().getProtection()).isEqualTo(BodyProtection.SEALED_AT_REST);
        });
    }

    @Test
    void readingTellsTheSendersOfWhatWasReadAndTheReadersOtherDevices() {
        bed.sendToGroup("m-1", "ana", "flat-42", "rent is due");
        bed.sendToGroup("m-2", "chloe", "flat-42", "paid mine");
        bed.sendToGroup("m-3", "ana", "flat-42", "thanks");
        bed.userEvents();

        bed.read("ben", "flat-42", 2);

        assertThat(bed.userEvents()).extracting(UserEvent::getUser, UserEvent::getKind, UserEvent::getActor, UserEvent::getSequence)
                .containsExactlyInAnyOrder(tuple("ben", UserEventKind.RECEIPT, "ben", 2L), tuple("ana", UserEventKind.RECEIPT, "ben", 2L),
                        tuple("chloe", UserEventKind.RECEIPT, "ben", 2L));

        bed.read("ben", "flat-42", 3);
        assertThat(bed.userEvents()).as("only m-3 is newly read: its sender and ben hear of it")
                .extracting(UserEvent::getUser).containsExactlyInAnyOrder("ben", "ana");

        bed.read("ben", "flat-42", 3);
        bed.receipt("chloe", "flat-42", 3, ReceiptStatus.DELIVERED);
        assertThat(bed.userEvents()).as("a receipt that moves no read mark tells no one").isEmpty();
    }

    @Test
    void readingALongBacklogAtOnceTellsEveryMember() {
        bed.addMember("flat-42", "ana", "dev");
        IntStream.rangeClosed(1, ReceiptLedger.MAX_MESSAGES_SCANNED + 1)
                .forEach(i -> bed.sendToGroup("m-" + i, "ana", "flat-42", "update " + i));
        bed.userEvents();

        bed.read("ben", "flat-42", ReceiptLedger.MAX_MESSAGES_SCANNED + 1);

        assertThat(bed.userEvents()).extracting(UserEvent::getUser).containsExactlyInAnyOrder("ben", "ana", "chloe", "dev");
    }

    @Test
    void theOthersInAConversationSeeTypingStartAndStopButNotEachRenewal() {
        bed.startTyping("ana", "flat-42");
        assertThat(bed.userEvents()).extracting(UserEvent::getUser, UserEvent::getKind, UserEvent::getConversation, UserEvent::getActor,
                UserEvent::getTyping).containsExactlyInAnyOrder(tuple("ben", UserEventKind.TYPING, "flat-42", "ana", true),
                tuple("chloe", UserEventKind.TYPING, "flat-42", "ana", true));

        bed.advance(Duration.ofSeconds(2));
        bed.startTyping("ana", "flat-42");
        assertThat(bed.userEvents()).as("a renewal").isEmpty();

        bed.stopTyping("ana", "flat-42");
        assertThat(bed.userEvents()).extracting(UserEvent::getUser, UserEvent::getTyping)
                .containsExactlyInAnyOrder(tuple("ben", false), tuple("chloe", false));

        bed.startTyping("ben", "dm:ana:ben");
        bed.userEvents();
        bed.advance(PresenceRules.TYPING_TIMEOUT.plusSeconds(1));
        assertThat(bed.userEvents()).as("an indicator that runs out stops").extracting(UserEvent::getUser, UserEvent::getActor,
                UserEvent::getTyping).containsExactly(tuple("ana", "ben", false));
    }

    @Test
    void typingInAGroupOneIsNotInTellsNoOne() {
        bed.startTyping("mallory", "flat-42");
        bed.startTyping("mallory", "dm:ana:ben");

        assertThat(bed.userEvents()).isEmpty();
    }

    @Test
    void comingOnlineAndGoingOfflineIsToldOnceToEachPersonOneSharesAConversationWith() {
        bed.sendDirect("m-1", "ben", "ana", "hi");
        bed.createGroup("climbing", "ana", "ben", "dev");
        bed.userEvents();

        bed.heartbeat("ana");
        assertThat(bed.userEvents()).extracting(UserEvent::getUser, UserEvent::getKind, UserEvent::getActor, UserEvent::getOnline,
                UserEvent::getConversation).containsExactlyInAnyOrder(tuple("ben", UserEventKind.PRESENCE, "ana", true, ""),
                tuple("chloe", UserEventKind.PRESENCE, "ana", true, ""), tuple("dev", UserEventKind.PRESENCE, "ana", true, ""));

        bed.advance(Duration.ofSeconds(20));
        bed.heartbeat("ana");
        bed.idle("ana");
        assertThat(bed.userEvents()).as("still online: a heartbeat, or being away, changes nothing for others").isEmpty();

        bed.advance(PresenceRules.HEARTBEAT_TIMEOUT.plusSeconds(1));
        assertThat(bed.userEvents()).extracting(UserEvent::getUser, UserEvent::getOnline)
                .containsExactlyInAnyOrder(tuple("ben", false), tuple("chloe", false), tuple("dev", false));

        bed.heartbeat("ana");
        bed.userEvents();
        bed.removeMember("climbing", "dev", "dev");
        bed.signOff("ana");
        assertThat(bed.userEvents()).as("dev left the only conversation he shared with ana").extracting(UserEvent::getUser)
                .containsExactlyInAnyOrder("ben", "chloe");
    }

    @Test
    void presenceReachesAtMostTheBoundOfPeople() {
        for (int group = 0; group < 8; group++) {
            int first = group * 150;
            bed.createGroup("team-" + group, "ana", IntStream.range(first, first + 149).mapToObj(i -> "user-" + i).toArray(String[]::new));
        }
        bed.userEvents();

        bed.heartbeat("ana");

        List<UserEvent> told = bed.userEvents();
        assertThat(told).hasSize(CoMembers.MAX_PRESENCE_AUDIENCE);
        assertThat(told).extracting(UserEvent::getUser).doesNotHaveDuplicates();
    }
}
