package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.InboxEntry;
import io.millrace.schemas.messenger.MessageLocation;
import io.millrace.schemas.messenger.PendingNotification;
import io.millrace.schemas.messenger.PresenceState;
import io.millrace.schemas.messenger.ReceiptWatermark;
import io.millrace.schemas.messenger.StoredMessage;
import io.millrace.schemas.serde.AvroSerdes;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The messenger's state stores. Per conversation (co-partitioned with groups): groups, sequences,
 * messages, message locations, receipt marks, messages held for a late group command. Per user: inbox,
 * search index and the messages it points to, presence, pending notifications, the rosters of the
 * user's groups, and the deadline indexes their punctuators scan. No store holds a plaintext body:
 * bodies are sealed or end-to-end ciphertext, search terms and names are HMACs.
 */
public final class MessengerStores {

    /** groupId -> Group. */
    public static final String GROUPS = "messenger-groups";
    /** conversation -> last assigned sequence. */
    public static final String CONVERSATION_SEQUENCES = "messenger-conversation-seq";
    /** conversation|sequence -> StoredMessage. */
    public static final String CONVERSATION_MESSAGES = "messenger-conversation-messages";
    /** messageId -> MessageLocation; also what makes a retried message id a duplicate. */
    public static final String MESSAGE_LOCATIONS = "messenger-message-locations";
    /** conversation|member -> ReceiptWatermark. */
    public static final String RECEIPTS = "messenger-receipts";
    /** conversation|timestamp|messageId -> StoredMessage: a message whose sender is not (yet) a member, for a grace period. */
    public static final String HELD_MESSAGES = "messenger-held-messages";
    /** dueAt|conversation|timestamp|messageId -> "": when a held message's grace ends, in stream time. */
    public static final String HELD_DEADLINES = "messenger-held-deadlines";
    /** user|conversation -> InboxEntry. */
    public static final String INBOX = "messenger-inbox";
    /**
     * user|conversation|sequence -> the message's blind tokens (HMAC(index key, user, term), and the same of its
     * sender and of a direct conversation's other user), space-separated: a forward index, written once per
     * message and scanned per user by a search.
     */
    public static final String SEARCH_INDEX = "messenger-search-tokens";
    /** user|conversation|sequence -> StoredMessage: the user's searchable (platform-sealed) messages. */
    public static final String SEARCH_MESSAGES = "messenger-search-messages";
    /** user|groupId -> Group: the roster of each group the user is in, for their presence and typing events. */
    public static final String MEMBER_GROUPS = "messenger-member-groups";
    /** user -> PresenceState. */
    public static final String PRESENCE = "messenger-presence";
    /** dueAt|user -> "": when a heartbeat or typing indicator of the user runs out. */
    public static final String PRESENCE_DEADLINES = "messenger-presence-deadlines";
    /** user|conversation -> PendingNotification. */
    public static final String PENDING_NOTIFICATIONS = "messenger-pending-notifications";
    /** dueAt|user|conversation -> "": when a pending notification goes out. */
    public static final String NOTIFICATION_DEADLINES = "messenger-notification-deadlines";

    /** The stores the HTTP API reads. */
    public static final List<String> QUERYABLE = List.of(GROUPS, CONVERSATION_MESSAGES, MESSAGE_LOCATIONS, RECEIPTS, INBOX,
            SEARCH_INDEX, SEARCH_MESSAGES, PRESENCE);

    private MessengerStores() {
    }

    static void addTo(StreamsBuilder builder, AvroSerdes serdes) {
        // Only a busy conversation's sequence is rewritten often enough within a commit for the record cache
        // to save changelog writes; for every other store the cache costs more in lookups than it saves.
        builder.addStateStore(cached(CONVERSATION_SEQUENCES, Serdes.Long()));
        builder.addStateStore(uncached(GROUPS, serdes.value(Group.class)));
        builder.addStateStore(uncached(CONVERSATION_MESSAGES, serdes.value(StoredMessage.class)));
        builder.addStateStore(uncached(MESSAGE_LOCATIONS, serdes.value(MessageLocation.class)));
        builder.addStateStore(uncached(RECEIPTS, serdes.value(ReceiptWatermark.class)));
        builder.addStateStore(uncached(HELD_MESSAGES, serdes.value(StoredMessage.class)));
        builder.addStateStore(uncached(HELD_DEADLINES, Serdes.String()));
        builder.addStateStore(uncached(MEMBER_GROUPS, serdes.value(Group.class)));
        builder.addStateStore(uncached(INBOX, serdes.value(InboxEntry.class)));
        builder.addStateStore(uncached(SEARCH_INDEX, Serdes.String()));
        builder.addStateStore(uncached(SEARCH_MESSAGES, serdes.value(StoredMessage.class)));
        builder.addStateStore(uncached(PRESENCE, serdes.value(PresenceState.class)));
        builder.addStateStore(uncached(PRESENCE_DEADLINES, Serdes.String()));
        builder.addStateStore(uncached(PENDING_NOTIFICATIONS, serdes.value(PendingNotification.class)));
        builder.addStateStore(uncached(NOTIFICATION_DEADLINES, Serdes.String()));
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> cached(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values).withCachingEnabled();
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> uncached(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values).withCachingDisabled();
    }
}
