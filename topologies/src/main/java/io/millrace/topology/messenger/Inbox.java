package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Delivery;
import io.millrace.schemas.messenger.DeliveryRole;
import io.millrace.schemas.messenger.InboxEntry;
import io.millrace.schemas.messenger.ReadReceipt;
import io.millrace.schemas.messenger.ReceiptStatus;
import io.millrace.schemas.messenger.StoredMessage;

/**
 * How one user's view of a conversation moves: each delivery may become the last message; reading
 * (or sending, which reads everything before it) moves the read mark; unread is what lies beyond it.
 * Every sequence of the conversation reaches every member, so the count is a subtraction.
 */
public final class Inbox {

    private Inbox() {
    }

    public static InboxEntry afterDelivery(InboxEntry current, Delivery delivery, long now) {
        StoredMessage message = delivery.getMessage();
        long sequence = message.getSequence();
        boolean sent = delivery.getRole() == DeliveryRole.SENT;
        if (current == null) {
            // A member's count starts at the first message they get: joining a group brings no backlog.
            long readUpTo = sent ? sequence : sequence - 1;
            return new InboxEntry(message.getConversation(), message.getConversationType(), message, readUpTo, readUpTo, now);
        }
        if (sequence > current.getLastMessage().getSequence()) {
            current.setLastMessage(message);
        }
        if (sent) {
            current.setReadUpTo(Math.max(current.getReadUpTo(), sequence));
            current.setDeliveredUpTo(Math.max(current.getDeliveredUpTo(), sequence));
        }
        current.setUpdatedAt(now);
        return current;
    }

    public static InboxEntry afterReceipt(InboxEntry current, ReadReceipt receipt, long now) {
        long upTo = receipt.getUpToSequence();
        if (receipt.getStatus() == ReceiptStatus.READ) {
            current.setReadUpTo(Math.max(current.getReadUpTo(), upTo));
        }
        current.setDeliveredUpTo(Math.max(current.getDeliveredUpTo(), Math.max(upTo, current.getReadUpTo())));
        current.setUpdatedAt(now);
        return current;
    }

    public static long unread(InboxEntry entry) {
        return Math.max(0, entry.getLastMessage().getSequence() - entry.getReadUpTo());
    }
}
