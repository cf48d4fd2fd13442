package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.messenger.Notification;
import io.millrace.topology.messenger.MessengerQueries.PresenceView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presence follows heartbeats with a 60 s timeout, typing lasts 5 s, and offline users get one push per conversation burst. */
class PresenceAndNotificationsTest {

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
    void userGoesOfflineWhenTheLastHeartbeatIsSixtySecondsOld() {
        bed.heartbeat("ana");
        bed.advance(Duration.ofSeconds(30));
        long lastHeartbeat = bed.now();
        bed.heartbeat("ana");

        bed.advance(Duration.ofSeconds(59));
        assertThat(presence("ana").online()).isTrue();

        bed.advance(Duration.ofSeconds(2));
        PresenceView after = presence("ana");
        assertThat(after.online()).isFalse();
        assertThat(after.lastSeen()).contains(lastHeartbeat);
    }

    @Test
    void signingOffEndsPresenceAtOnce() {
        bed.heartbeat("ana");
        bed.advance(Duration.ofSeconds(5));

        bed.signOff("ana");

        assertThat(presence("ana").online()).isFalse();
        assertThat(presence("ana").lastSeen()).contains(bed.now());
        assertThat(bed.queries.presence("never-seen")).isEmpty();
    }

    @Test
    void typingIndicatorExpiresFiveSecondsAfterTheLastKeystroke() {
        bed.heartbeat("ana");
        bed.startTyping("ana", "dm:ana:ben");
        bed.advance(Duration.ofSeconds(3));
        bed.startTyping("ana", "dm:ana:ben");

        bed.advance(Duration.ofSeconds(4));
        assertThat(presence("ana").typingIn()).containsExactly("dm:ana:ben");

        bed.advance(Duration.ofSeconds(2));
        assertThat(presence("ana").typingIn()).isEmpty();
        assertThat(presence("ana").online()).isTrue();
    }

    @Test
    void offlineRecipientGetsOneNotificationForABurstOfMessages() {
        bed.heartbeat("ana");
        long first = bed.now();
        bed.sendDirect("m-1", "ana", "ben", "are you up?");
        bed.advance(Duration.ofSeconds(10));
        bed.sendDirect("m-2", "ana", "ben", "the train is cancelled");
        bed.advance(Duration.ofSeconds(10));
        long last = bed.now();
        bed.sendDirect("m-3", "ana", "ben", "call me");

        bed.advance(Duration.ofSeconds(9));
        assertThat(bed.notifications.isEmpty()).as("nothing before the 30 s window closes").isTrue();

        bed.advance(Duration.ofSeconds(2));
        List<Notification> sent = bed.notifications.readValuesToList();
        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.getUser()).isEqualTo("ben");
            assertThat(n.getConversation()).isEqualTo("dm:ana:ben");
            assertThat(n.getCount()).isEqualTo(3);
            assertThat(n.getFirstMessageAt()).isEqualTo(first);
            assertThat(n.getLastMessageAt()).isEqualTo(last);
        });

        bed.sendDirect("m-4", "ana", "ben", "never mind");
        bed.advance(Duration.ofSeconds(31));
        assertThat(bed.notifications.readValuesToList()).extracting(Notification::getCount).containsExactly(1);
    }

    @Test
    void eachConversationOfAnOfflineUserHasItsOwnNotification() {
        bed.createGroup("climbing", "chloe", "ben");
        bed.sendDirect("m-1", "ana", "ben", "are you up?");
        bed.sendToGroup("m-2", "chloe", "climbing", "gym at 7?");
        bed.sendToGroup("m-3", "chloe", "climbing", "or 8");

        bed.advance(Duration.ofSeconds(31));

        assertThat(bed.notifications.readValuesToList()).extracting(Notification::getConversation, Notification::getCount)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("dm:ana:ben", 1),
                        org.assertj.core.groups.Tuple.tuple("climbing", 2));
    }

    @Test
    void onlineRecipientGetsNoNotification() {
        bed.heartbeat("ben");

        bed.sendDirect("m-1", "ana", "ben", "are you up?");
        bed.advance(Duration.ofSeconds(31));

        assertThat(bed.notifications.isEmpty()).isTrue();
    }

    @Test
    void anAwayUserIsOnlineToOthersButStillGetsPushesUntilBackInUse() {
        bed.heartbeat("ben");
        bed.idle("ben");
        assertThat(presence("ben").online()).isTrue();
        assertThat(presence("ben").away()).isTrue();

        bed.sendDirect("m-1", "ana", "ben", "are you up?");
        bed.advance(Duration.ofSeconds(31));
        assertThat(bed.notifications.readValuesToList()).extracting(Notification::getUser).containsExactly("ben");

        bed.sendDirect("m-2", "ana", "ben", "hello?");
        bed.advance(Duration.ofSeconds(5));
        bed.heartbeat("ben");
        bed.advance(Duration.ofSeconds(30));
        assertThat(bed.notifications.isEmpty()).as("back in use before the window closed").isTrue();
        assertThat(presence("ben").away()).isFalse();
    }

    @Test
    void comingOnlineBeforeTheWindowClosesCancelsThePush() {
        bed.sendDirect("m-1", "ana", "ben", "are you up?");
        bed.advance(Duration.ofSeconds(12));

        bed.heartbeat("ben");
        bed.advance(Duration.ofSeconds(30));

        assertThat(bed.notifications.isEmpty()).isTrue();
    }

    @Test
    void recipientWhoTimedOutIsNotifiedAgain() {
        bed.heartbeat("ben");
        bed.advance(Duration.ofSeconds(61));

        bed.sendDirect("m-1", "ana", "ben", "are you up?");
        bed.advance(Duration.ofSeconds(31));

        assertThat(bed.notifications.readValuesToList()).extracting(Notification::getUser).containsExactly("ben");
    }

    private PresenceView presence(String user) {
        return bed.queries.presence(user).orElseThrow();
    }
}
