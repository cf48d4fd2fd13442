package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.BodyProtection;
import io.millrace.schemas.messenger.ConversationType;
import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.InboxEntry;
import io.millrace.schemas.messenger.MessageLocation;
import io.millrace.schemas.messenger.PresenceState;
import io.millrace.schemas.messenger.ReceiptWatermark;
import io.millrace.schemas.messenger.StoredBody;
import io.millrace.schemas.messenger.StoredMessage;
import io.millrace.topology.messenger.crypto.Bytes;
import io.millrace.topology.messenger.crypto.PlatformKeys;
import io.millrace.topology.runtime.StoreReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The messenger's read side, over this instance's stores. Each method answers for keys this instance
 * holds (the API routes a request to the owner first). Sealed bodies are opened here, for the user
 * the API has established is reading their own messages; end-to-end ciphertext is returned as it is.
 */
public final class MessengerQueries {

    private static final Comparator<StoredMessage> NEWEST_FIRST = Comparator.comparingLong(StoredMessage::getTimestamp)
            .thenComparingLong(StoredMessage::getSequence).reversed();

    private final StoreReader stores;
    private final PlatformKeys keys;

    MessengerQueries(StoreReader stores, PlatformKeys keys) {
        this.stores = stores;
        this.keys = keys;
    }

    /** A message as its reader sees it: the body opened when the platform sealed it, the ciphertext when it is end-to-end. */
    public record MessageView(String messageId, String conversation, long sequence, String sender, long timestamp,
                              Optional<String> body, Optional<EncryptedBody> encrypted, Optional<String> mediaUrl) {
    }

    /** An end-to-end encrypted body, base64, for the recipient's client to open. */
    public record EncryptedBody(String ciphertext, String nonce) {
    }

    /** One conversation in a user's inbox. {@code peer} is the other user of a direct conversation. */
    public record InboxItem(String conversation, ConversationType conversationType, Optional<String> peer, MessageView lastMessage,
                            long unread, long readUpTo) {
    }

    /** A page of a conversation, newest first; {@code nextBefore} asks for the page after it. */
    public record ConversationPage(String conversation, List<MessageView> messages, Optional<Long> nextBefore) {
    }

    /** Where one recipient is with one message. */
    public record RecipientStatus(String user, ReadMarks.State state) {
    }

    /** Delivered/read status of a message for each of its recipients (the sender excluded). */
    public record MessageStatus(String messageId, String conversation, long sequence, String sender, List<RecipientStatus> recipients) {
    }

    /** Whether a user is online (and if so, away: idle), when they were last seen, and where they are typing. */
    public record PresenceView(String user, boolean online, boolean away, Optional<Long> lastSeen, List<String> typingIn) {
    }

    /** A group's name, owner and members. */
    public record GroupView(String groupId, Optional<String> name, String owner, List<Member> members, long createdAt, long updatedAt) {
    }

    /**
     * What a search looks for, each part optional but one given: every term of {@code text}, messages sent by
     * {@code from}, messages of the direct conversation with {@code with}.
     */
    public record MessageSearch(Optional<String> text, Optional<String> from, Optional<String> with) {
    }

    /** A member, and the first message sequence they received. */
    public record Member(String user, long sinceSequence, long joinedAt) {
    }

    /** The user's conversations, the most recent message first. */
    public List<InboxItem> inbox(String user, int limit) {
        ReadOnlyKeyValueStore<String, InboxEntry> inbox = stores.keyValue(MessengerStores.INBOX);
        List<InboxEntry> entries = new ArrayList<>();
        try (KeyValueIterator<String, InboxEntry> all = inbox.prefixScan(StoreKeys.prefix(user), Serdes.String().serializer())) {
            all.forEachRemaining(entry -> entries.add(entry.value));
        }
        return entries.stream()
                .sorted(Comparator.comparing(InboxEntry::getLastMessage, NEWEST_FIRST))
                .limit(limit)
                .map(entry -> new InboxItem(entry.getConversation(), entry.getConversationType(),
                        ConversationIds.peer(entry.getConversation(), user), view(entry.getLastMessage()), Inbox.unread(entry),
                        entry.getReadUpTo()))
                .toList();
    }

    /** Up to {@code limit} messages with a sequence below {@code before} (all when absent), newest first; empty if the conversation has none. */
    public Optional<ConversationPage> messages(String conversation, Optional<Long> before, int limit) {
        ReadOnlyKeyValueStore<String, StoredMessage> messages = stores.keyValue(MessengerStores.CONVERSATION_MESSAGES);
        try (KeyValueIterator<String, StoredMessage> any = messages.range(StoreKeys.sequenced(conversation, 0),
                StoreKeys.sequenced(conversation, Long.MAX_VALUE))) {
            if (!any.hasNext()) {
                return Optional.empty();
            }
        }
        long below = before.orElse(Long.MAX_VALUE);
        List<MessageView> page = new ArrayList<>();
        if (below > 1) {
            try (KeyValueIterator<String, StoredMessage> newestFirst = messages.reverseRange(
                    StoreKeys.sequenced(conversation, 1), StoreKeys.sequenced(conversation, below - 1))) {
                while (newestFirst.hasNext() && page.size() < limit) {
                    page.add(view(newestFirst.next().value));
                }
            }
        }
        long oldest = page.isEmpty() ? 1 : page.get(page.size() - 1).sequence();
        Optional<Long> next = page.size() == limit && oldest > 1 ? Optional.of(oldest) : Optional.empty();
        return Optional.of(new ConversationPage(conversation, page, next));
    }

    /** The status of a message held by this instance, or empty if another instance (or none) holds it. */
    public Optional<MessageStatus> status(String messageId) {
        MessageLocation location = stores.<String, MessageLocation>keyValue(MessengerStores.MESSAGE_LOCATIONS).get(messageId);
        if (location == null) {
            return Optional.empty();
        }
        String conversation = location.getConversation();
        long sequence = location.getSequence();
        StoredMessage message = stores.<String, StoredMessage>keyValue(MessengerStores.CONVERSATION_MESSAGES)
                .get(StoreKeys.sequenced(conversation, sequence));
        if (message == null) {
            return Optional.empty();
        }
        Group group = ConversationIds.isDirect(conversation) ? null : stores.<String, Group>keyValue(MessengerStores.GROUPS).get(conversation);
        ReadOnlyKeyValueStore<String, ReceiptWatermark> receipts = stores.keyValue(MessengerStores.RECEIPTS);
        List<RecipientStatus> recipients = Audience.addressees(conversation, message.getSender(), sequence, group).stream()
                .map(user -> new RecipientStatus(user, ReadMarks.stateOf(receipts.get(StoreKeys.join(conversation, user)), sequence)))
                .toList();
        return Optional.of(new MessageStatus(messageId, conversation, sequence, message.getSender(), recipients));
    }

    public Optional<PresenceView> presence(String user) {
        PresenceState state = stores.<String, PresenceState>keyValue(MessengerStores.PRESENCE).get(user);
        if (state == null) {
            return Optional.empty();
        }
        return Optional.of(new PresenceView(user, state.getOnline(), state.getOnline() && state.getAway(),
                state.getLastSeen() > 0 ? Optional.of(state.getLastSeen()) : Optional.empty(),
                state.getTyping().keySet().stream().sorted().toList()));
    }

    public Optional<GroupView> group(String groupId) {
        Group group = stores.<String, Group>keyValue(MessengerStores.GROUPS).get(groupId);
        if (group == null) {
            return Optional.empty();
        }
        List<Member> members = group.getMembers().stream()
                .map(member -> new Member(member.getUser(), member.getSinceSequence(), member.getJoinedAt())).toList();
        return Optional.of(new GroupView(group.getGroupId(), Optional.ofNullable(group.getName()), group.getOwner(), members,
                group.getCreatedAt(), group.getUpdatedAt()));
    }

    /**
     * The user's own plaintext messages that match every part of {@code search}, newest first: a scan of the user's
     * index entries for the HMAC(user, term) tokens of the terms, the sender ({@code from:<id>}) and the other user
     * ({@code with:<id>}), so neither terms nor names are stored and another user's tokens never match. The cost of
     * a search grows with the user's indexed messages, not with the hits.
     */
    public List<MessageView> search(String user, MessageSearch search, int limit) {
        Set<String> terms = new LinkedHashSet<>(search.text().map(SearchTerms::of).orElse(Set.of()));
        search.from().ifPresent(sender -> terms.add(SearchTerms.sender(sender)));
        search.with().ifPresent(peer -> terms.add(SearchTerms.partner(peer)));
        if (terms.isEmpty()) {
            return List.of();
        }
        List<String> wanted = terms.stream().map(term -> keys.searchIndex().token(user, term)).toList();
        ReadOnlyKeyValueStore<String, String> index = stores.keyValue(MessengerStores.SEARCH_INDEX);
        List<String> matching = new ArrayList<>();
        try (KeyValueIterator<String, String> indexed = index.prefixScan(StoreKeys.prefix(user), Serdes.String().serializer())) {
            indexed.forEachRemaining(entry -> {
                if (MessageTokens.containsAll(entry.value, wanted)) {
                    matching.add(entry.key);
                }
            });
        }
        ReadOnlyKeyValueStore<String, StoredMessage> messages = stores.keyValue(MessengerStores.SEARCH_MESSAGES);
        return matching.stream()
                .map(messages::get)
                .filter(Objects::nonNull)
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .map(this::view)
                .toList();
    }

    /** A stored message as its reader sees it (the body opened, or the ciphertext as the client sent it). */
    public MessageView view(StoredMessage message) {
        StoredBody body = message.getBody();
        Optional<String> plaintext = Optional.empty();
        Optional<EncryptedBody> encrypted = Optional.empty();
        if (body != null && body.getProtection() == BodyProtection.SEALED_AT_REST) {
            plaintext = Optional.of(keys.bodies().open(body, message.getMessageId()));
        } else if (body != null) {
            Base64.Encoder base64 = Base64.getEncoder();
            encrypted = Optional.of(new EncryptedBody(base64.encodeToString(Bytes.of(body.getCiphertext())),
                    base64.encodeToString(Bytes.of(body.getNonce()))));
        }
        return new MessageView(message.getMessageId(), message.getConversation(), message.getSequence(), message.getSender(),
                message.getTimestamp(), plaintext, encrypted, Optional.ofNullable(message.getMediaUrl()));
    }
}
