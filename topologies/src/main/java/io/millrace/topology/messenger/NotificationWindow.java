package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Notification;
import io.millrace.schemas.messenger.PendingNotification;
import java.time.Duration;

/**
 * Offline pushes are collapsed per user and conversation: the first message to an offline user opens
 * a 30 s window, later ones only count, and one notification goes out when the window closes.
 */
public final class NotificationWindow {

    public static final Duration COLLAPSE = Duration.ofSeconds(30);

    private NotificationWindow() {
    }

    public static PendingNotification collect(PendingNotification pending, long messageTime, long now) {
        if (pending == null) {
            return new PendingNotification(1, messageTime, messageTime, now + COLLAPSE.toMillis());
        }
        pending.setCount(pending.getCount() + 1);
        pending.setFirstMessageAt(Math.min(pending.getFirstMessageAt(), messageTime));
        pending.setLastMessageAt(Math.max(pending.getLastMessageAt(), messageTime));
        return pending;
    }

    public static Notification close(String user, String conversation, PendingNotification pending, long now) {
        return new Notification(user, conversation, pending.getCount(), pending.getFirstMessageAt(), pending.getLastMessageAt(), now);
    }
}
