package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Notification;
import io.millrace.schemas.messenger.PendingNotification;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Offline users' notifications while their collapse window is open, and what to send or cancel. */
final class PendingNotifications {

    private final KeyValueStore<String, PendingNotification> pending;
    private final Deadlines deadlines;

    /** The book over its two stores in this task. */
    static PendingNotifications of(ProcessingContext context) {
        return new PendingNotifications(context.getStateStore(MessengerStores.PENDING_NOTIFICATIONS),
                context.getStateStore(MessengerStores.NOTIFICATION_DEADLINES));
    }

    PendingNotifications(KeyValueStore<String, PendingNotification> pending, KeyValueStore<String, String> deadlines) {
        this.pending = pending;
        this.deadlines = new Deadlines(deadlines);
    }

    void collect(String user, String conversation, long messageTime, long now) {
        String key = StoreKeys.join(user, conversation);
        PendingNotification before = pending.get(key);
        PendingNotification after = NotificationWindow.collect(before, messageTime, now);
        pending.put(key, after);
        if (before == null) {
            deadlines.move(key, 0, after.getFlushAt());
        }
    }

    /** The user has seen the conversation: nothing to push. */
    void cancel(String user, String conversation) {
        String key = StoreKeys.join(user, conversation);
        PendingNotification before = pending.get(key);
        if (before != null) {
            pending.delete(key);
            deadlines.move(key, before.getFlushAt(), 0);
        }
    }

    /** The user came online: the app shows what arrived, so no push for any conversation. */
    void cancelAll(String user) {
        List<String> conversations = new ArrayList<>();
        try (KeyValueIterator<String, PendingNotification> entries = pending.prefixScan(StoreKeys.prefix(user), Serdes.String().serializer())) {
            entries.forEachRemaining(entry -> conversations.add(StoreKeys.secondOf(entry.key)));
        }
        conversations.forEach(conversation -> cancel(user, conversation));
    }

    /** Closes every window due by {@code now}, one notification each. */
    List<Notification> takeDue(long now) {
        List<Notification> due = new ArrayList<>();
        for (String key : deadlines.takeDue(now)) {
            PendingNotification window = pending.get(key);
            if (window != null) {
                pending.delete(key);
                due.add(NotificationWindow.close(StoreKeys.firstOf(key), StoreKeys.secondOf(key), window, now));
            }
        }
        return due;
    }
}
