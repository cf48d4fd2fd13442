package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.BodyProtection;
import io.millrace.schemas.messenger.Delivery;
import io.millrace.schemas.messenger.DeliveryRole;
import io.millrace.schemas.messenger.InboxEntry;
import io.millrace.schemas.messenger.Notification;
import io.millrace.schemas.messenger.StoredMessage;
import io.millrace.topology.messenger.crypto.PlatformKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Each delivery, in its recipient's task: updates the recipient's inbox entry, indexes a platform-sealed
 * message for the recipient's own search (blind tokens of its terms, its sender and a direct conversation's
 * other user), and, when the recipient is not active, collects it into the conversation's pending notification,
 * which a wall-clock punctuator sends when its 30 s window closes. Another wall-clock punctuator deletes indexed
 * messages older than the retention.
 */
final class InboxProjection implements Processor<String, Delivery, String, Notification> {

    private static final Duration FLUSH_EVERY = Duration.ofSeconds(1);

    private final PlatformKeys keys;
    private final Duration retention;
    private ProcessorContext<String, Notification> context;
    private KeyValueStore<String, InboxEntry> inbox;
    private KeyValueStore<String, String> searchIndex;
    private KeyValueStore<String, StoredMessage> searchMessages;
    private PresenceBook presence;
    private PendingNotifications notifications;
    private RetentionSweep<StoredMessage> expired;

    InboxProjection(PlatformKeys keys, Duration retention) {
        this.keys = keys;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, Notification> context) {
        this.context = context;
        this.inbox = context.getStateStore(MessengerStores.INBOX);
        this.searchIndex = context.getStateStore(MessengerStores.SEARCH_INDEX);
        this.searchMessages = context.getStateStore(MessengerStores.SEARCH_MESSAGES);
        this.presence = PresenceBook.of(context);
        this.notifications = PendingNotifications.of(context);
        this.expired = new RetentionSweep<>(searchMessages, StoredMessage::getTimestamp, retention);
        context.schedule(FLUSH_EVERY, PunctuationType.WALL_CLOCK_TIME, this::sendDueNotifications);
        context.schedule(RetentionSweep.EVERY, PunctuationType.WALL_CLOCK_TIME, this::deleteExpired);
    }

    @Override
    public void process(Record<String, Delivery> record) {
        Delivery delivery = record.value();
        String user = delivery.getRecipient();
        StoredMessage message = delivery.getMessage();
        long now = context.currentSystemTimeMs();
        String inboxKey = StoreKeys.join(user, message.getConversation());
        inbox.put(inboxKey, Inbox.afterDelivery(inbox.get(inboxKey), delivery, now));
        if (message.getBody() != null && message.getBody().getProtection() == BodyProtection.SEALED_AT_REST) {
            index(user, message);
        }
        if (delivery.getRole() == DeliveryRole.RECEIVED && !PresenceRules.isActive(presence.get(user))) {
            notifications.collect(user, message.getConversation(), message.getTimestamp(), now);
        }
    }

    private void index(String user, StoredMessage message) {
        String plaintext = keys.bodies().open(message.getBody(), message.getMessageId());
        // A forward index: one write of all the message's tokens, not one write per term; search scans the user's entries.
        List<String> tokens = new ArrayList<>();
        for (String term : SearchTerms.of(plaintext)) {
            tokens.add(keys.searchIndex().token(user, term));
        }
        tokens.add(keys.searchIndex().token(user, SearchTerms.sender(message.getSender())));
        ConversationIds.peer(message.getConversation(), user)
                .ifPresent(peer -> tokens.add(keys.searchIndex().token(user, SearchTerms.partner(peer))));
        String key = StoreKeys.sequenced(StoreKeys.join(user, message.getConversation()), message.getSequence());
        searchIndex.put(key, MessageTokens.of(tokens));
        searchMessages.put(key, message);
    }

    private void deleteExpired(long now) {
        for (KeyValue<String, StoredMessage> message : expired.sweep(now)) {
            searchIndex.delete(message.key);
        }
    }

    private void sendDueNotifications(long now) {
        for (Notification notification : notifications.takeDue(now)) {
            context.forward(new Record<>(notification.getUser(), notification, now));
        }
    }
}
