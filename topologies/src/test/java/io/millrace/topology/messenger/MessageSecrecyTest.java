package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.schemas.messenger.BodyProtection;
import io.millrace.schemas.messenger.Delivery;
import io.millrace.schemas.messenger.UserEvent;
import io.millrace.topology.messenger.MessengerQueries.MessageView;
import io.millrace.topology.messenger.crypto.Bytes;
import io.millrace.topology.messenger.crypto.EndToEndCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The platform never keeps a body in clear: client ciphertext passes untouched, plaintext is sealed, search is blind. */
class MessageSecrecyTest {

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
    void endToEndMessageIsOpenedOnlyByItsRecipientWhileStoresHoldOnlyItsCiphertext() throws Exception {
        KeyPair ana = EndToEndCipher.newKeyPair();
        KeyPair ben = EndToEndCipher.newKeyPair();
        KeyPair eve = EndToEndCipher.newKeyPair();
        String secret = "the safe code is 4-8-15-16";
        EndToEndCipher.Sealed sealed = EndToEndCipher.encrypt(ana.getPrivate(), ben.getPublic(), "dm:ana:ben", "m-1", secret);

        bed.send(MessengerTestbed.encrypted("m-1", "ana", "ben", sealed.ciphertext(), sealed.nonce()));

        Delivery toBen = bed.deliveries().stream().filter(d -> d.getRecipient().equals("ben")).findFirst().orElseThrow();
        UserEvent live = bed.userEvents().stream().filter(e -> e.getUser().equals("ben")).findFirst().orElseThrow();
        assertThat(Bytes.of(live.getMessage().getBody().getCiphertext())).as("the live event carries the ciphertext untouched")
                .isEqualTo(sealed.ciphertext());
        assertThat(toBen.getMessage().getBody().getProtection()).isEqualTo(BodyProtection.END_TO_END);
        byte[] delivered = Bytes.of(toBen.getMessage().getBody().getCiphertext());
        assertThat(delivered).isEqualTo(sealed.ciphertext());
        assertThat(EndToEndCipher.decrypt(ben.getPrivate(), ana.getPublic(), "dm:ana:ben", "m-1", delivered, sealed.nonce()))
                .isEqualTo(secret);
        assertThatThrownBy(() -> EndToEndCipher.decrypt(eve.getPrivate(), ana.getPublic(), "dm:ana:ben", "m-1", delivered, sealed.nonce()))
                .isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> EndToEndCipher.decrypt(ben.getPrivate(), ana.getPublic(), "dm:ana:ben", "m-2", delivered, sealed.nonce()))
                .as("bound to its message id").isInstanceOf(AEADBadTagException.class);

        MessageView inBensInbox = bed.queries.inbox("ben", 10).get(0).lastMessage();
        assertThat(inBensInbox.body()).isEmpty();
        assertThat(inBensInbox.encrypted().orElseThrow().ciphertext()).isEqualTo(Base64.getEncoder().encodeToString(sealed.ciphertext()));
        List<byte[]> written = everythingStoredOrWritten();
        assertNowhereInClear(written, secret);
        assertThat(containsBytes(written, sealed.ciphertext())).as("the ciphertext itself is kept and sent").isTrue();
    }

    @Test
    void plaintextBodyIsSealedInEveryStoreAndTopicYetReadableByItsMembers() {
        String body = "meet me under the lighthouse at nine";

        bed.sendDirect("m-1", "ana", "ben", body);

        List<byte[]> written = everythingStoredOrWritten();
        assertThat(bed.driver.producedTopicNames()).as("live events are among what is checked").contains(MessengerTopics.USER_EVENTS);
        assertNowhereInClear(written, body);
        assertNowhereInClear(written, "lighthouse");
        assertThat(bed.queries.inbox("ben", 10).get(0).lastMessage().body()).contains(body);
        assertThat(bed.queries.messages("dm:ana:ben", Optional.empty(), 10).orElseThrow().messages())
                .extracting(MessageView::body).containsExactly(Optional.of(body));

        bed.sendDirect("m-2", "ben", "ana", body);
        assertThat(bed.userEvents()).as("live events carry the message as stored").hasSize(2).allSatisfy(event ->
                assertThat(event.getMessage().getBody().getProtection()).isEqualTo(BodyProtection.SEALED_AT_REST));
    }

    @Test
    void searchFindsTheUsersOwnMessagesByEveryTermAndNothingOfOthers() {
        bed.sendDirect("m-1", "ana", "ben", "Dinner at the Lighthouse?");
        bed.sendDirect("m-2", "ben", "ana", "lighthouse is closed on mondays");
        bed.sendDirect("m-3", "chloe", "dev", "lighthouse tour tomorrow");

        assertThat(bed.search("ben", "lighthouse")).extracting(MessageView::messageId).containsExactly("m-2", "m-1");
        assertThat(bed.search("ben", "LIGHTHOUSE dinner")).extracting(MessageView::messageId).containsExactly("m-1");
        assertThat(bed.search("ben", "tour")).isEmpty();
        assertThat(bed.search("dev", "lighthouse")).extracting(MessageView::body)
                .containsExactly(Optional.of("lighthouse tour tomorrow"));
        assertThat(bed.queries.search("ben", new MessengerQueries.MessageSearch(Optional.of("lighthouse"), Optional.empty(),
                Optional.empty()), 1)).extracting(MessageView::messageId).containsExactly("m-2");
    }

    @Test
    void searchFindsMessagesBySenderAndByDirectPartnerAloneOrWithTerms() {
        bed.createGroup("ferry-crew", "chloe", "ana", "ben");
        bed.sendDirect("m-1", "ana", "ben", "Dinner at the Lighthouse?");
        bed.sendDirect("m-2", "ben", "ana", "lighthouse is closed on mondays");
        bed.sendToGroup("m-3", "chloe", "ferry-crew", "lighthouse tour tomorrow");
        bed.sendToGroup("m-4", "ana", "ferry-crew", "count me in");
        bed.sendDirect("m-5", "chloe", "ben", "are you coming?");

        assertThat(bed.search("ben", Optional.empty(), Optional.of("ana"), Optional.empty()))
                .extracting(MessageView::messageId).containsExactly("m-4", "m-1");
        assertThat(bed.search("ben", Optional.empty(), Optional.empty(), Optional.of("ana")))
                .as("with: both sides of the direct conversation").extracting(MessageView::messageId).containsExactly("m-2", "m-1");
        assertThat(bed.search("ben", Optional.of("lighthouse"), Optional.of("chloe"), Optional.empty()))
                .extracting(MessageView::messageId).containsExactly("m-3");
        assertThat(bed.search("ben", Optional.of("lighthouse"), Optional.empty(), Optional.of("chloe"))).isEmpty();
        assertThat(bed.search("dev", Optional.empty(), Optional.of("ana"), Optional.empty())).as("only one's own messages").isEmpty();

        KeyValueStore<String, String> index = bed.driver.getKeyValueStore(MessengerStores.SEARCH_INDEX);
        try (KeyValueIterator<String, String> entries = index.all()) {
            entries.forEachRemaining(entry -> assertThat(entry.value).as("a blind index holds no name in clear")
                    .doesNotContain("ana").doesNotContain("chloe").doesNotContain("lighthouse"));
        }
    }

    @Test
    void endToEndMessagesAreNotIndexed() throws Exception {
        KeyPair ana = EndToEndCipher.newKeyPair();
        KeyPair ben = EndToEndCipher.newKeyPair();
        EndToEndCipher.Sealed sealed = EndToEndCipher.encrypt(ana.getPrivate(), ben.getPublic(), "dm:ana:ben", "m-1", "lighthouse");

        bed.send(MessengerTestbed.encrypted("m-1", "ana", "ben", sealed.ciphertext(), sealed.nonce()));

        assertThat(bed.search("ben", "lighthouse")).isEmpty();
        KeyValueStore<String, String> index = bed.driver.getKeyValueStore(MessengerStores.SEARCH_INDEX);
        assertThat(index.approximateNumEntries()).isZero();
    }

    private void assertNowhereInClear(List<byte[]> written, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(containsBytes(written, bytes)).as("'%s' in a store, changelog or output topic", text).isFalse();
        for (var entry : bed.driver.getAllStateStores().entrySet()) {
            assertThat(renderedContents(entry.getValue())).as("store %s", entry.getKey()).doesNotContain(text);
        }
    }

    /** The raw bytes of every record the topology wrote: changelogs, repartition topics, deliveries, rejections. */
    private List<byte[]> everythingStoredOrWritten() {
        List<byte[]> all = new ArrayList<>();
        for (String topic : bed.driver.producedTopicNames()) {
            var output = bed.driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            for (TestRecord<byte[], byte[]> record : output.readRecordsToList()) {
                all.add(record.key() == null ? new byte[0] : record.key());
                all.add(record.value() == null ? new byte[0] : record.value());
            }
        }
        assertThat(bed.driver.producedTopicNames()).as("changelogs are captured")
                .contains("millrace-messenger-messenger-conversation-messages-changelog");
        return all;
    }

    private static String renderedContents(StateStore store) {
        if (!(store instanceof KeyValueStore<?, ?> keyValue)) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        try (KeyValueIterator<?, ?> all = keyValue.all()) {
            while (all.hasNext()) {
                KeyValue<?, ?> entry = all.next();
                text.append(entry.key).append('=').append(entry.value).append('\n');
            }
        }
        return text.toString();
    }

    private static boolean containsBytes(List<byte[]> haystacks, byte[] needle) {
        for (byte[] haystack : haystacks) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
