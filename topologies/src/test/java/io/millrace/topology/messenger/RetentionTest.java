package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.topology.messenger.MessengerQueries.MessageView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversations' messages and the search index are kept for the configured number of days, then deleted, changelogs included. */
class RetentionTest {

    private static final Duration RETENTION = Duration.ofDays(30);

    @TempDir
    Path stateDir;
    private MessengerTestbed bed;

    @BeforeEach
    void start() {
        bed = new MessengerTestbed(stateDir, RETENTION);
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void messagesOlderThanTheRetentionAreDeletedFromConversationsStatusAndSearch() {
        bed.sendDirect("m-1", "ana", "ben", "the ferry leaves at seven");
        bed.advance(Duration.ofDays(20));
        bed.sendDirect("m-2", "ben", "ana", "which ferry, the early one?");

        bed.advance(Duration.ofDays(11));

        assertThat(bed.queries.messages("dm:ana:ben", Optional.empty(), 10).orElseThrow().messages())
                .extracting(MessageView::messageId).containsExactly("m-2");
        assertThat(bed.queries.status("m-1")).isEmpty();
        assertThat(bed.queries.status("m-2")).isPresent();
        assertThat(bed.search("ana", "ferry")).extracting(MessageView::messageId).containsExactly("m-2");
        assertThat(bed.search("ben", "seven")).isEmpty();

        bed.advance(Duration.ofDays(20));
        assertThat(bed.queries.messages("dm:ana:ben", Optional.empty(), 10)).as("nothing kept: no conversation to show").isEmpty();
        assertThat(bed.search("ana", "ferry")).isEmpty();
    }

    @Test
    void deletionsReachTheChangelogsAsTombstones() {
        bed.sendDirect("m-1", "ana", "ben", "the ferry leaves at seven");
        changelog(MessengerStores.CONVERSATION_MESSAGES);
        changelog(MessengerStores.SEARCH_INDEX);
        changelog(MessengerStores.SEARCH_MESSAGES);
        changelog(MessengerStores.MESSAGE_LOCATIONS);

        bed.advance(RETENTION.plusDays(1));

        String message = StoreKeys.sequenced("dm:ana:ben", 1);
        assertThat(changelog(MessengerStores.CONVERSATION_MESSAGES)).containsExactly(message);
        assertThat(changelog(MessengerStores.MESSAGE_LOCATIONS)).containsExactly("m-1");
        String anasCopy = StoreKeys.sequenced(StoreKeys.join("ana", "dm:ana:ben"), 1);
        String bensCopy = StoreKeys.sequenced(StoreKeys.join("ben", "dm:ana:ben"), 1);
        assertThat(changelog(MessengerStores.SEARCH_INDEX)).containsExactlyInAnyOrder(anasCopy, bensCopy);
        assertThat(changelog(MessengerStores.SEARCH_MESSAGES)).containsExactlyInAnyOrder(anasCopy, bensCopy);
    }

    @Test
    void eachSweepDeletesABoundedBatchAndTheNextGoesOnWhereItStopped() {
        int conversations = RetentionSweep.MAX_RUNS + 50;
        IntStream.range(0, conversations).forEach(i -> bed.sendDirect("m-" + i, "ana", "guest-" + i, "welcome aboard"));

        bed.advance(RETENTION.plusDays(1));
        assertThat(count(MessengerStores.CONVERSATION_MESSAGES)).as("one batch: a bounded number of conversations").isEqualTo(50);

        bed.advance(RetentionSweep.EVERY);
        assertThat(count(MessengerStores.CONVERSATION_MESSAGES)).isZero();
    }

    private long count(String store) {
        KeyValueStore<String, ?> messages = bed.driver.getKeyValueStore(store);
        try (KeyValueIterator<String, ?> all = messages.all()) {
            long entries = 0;
            for (; all.hasNext(); all.next()) {
                entries++;
            }
            return entries;
        }
    }

    /** The keys of the tombstones the store's changelog received since the last call. */
    private List<String> changelog(String store) {
        return bed.driver.createOutputTopic("millrace-messenger-" + store + "-changelog", Serdes.String().deserializer(),
                        Serdes.ByteArray().deserializer()).readRecordsToList().stream()
                .filter(record -> record.value() == null).map(TestRecord::key).toList();
    }
}
