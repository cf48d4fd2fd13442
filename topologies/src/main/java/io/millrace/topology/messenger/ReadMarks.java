package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.ReceiptStatus;
import io.millrace.schemas.messenger.ReceiptWatermark;

/** How far one member has received and read a conversation, and what that means for one message. */
public final class ReadMarks {

    private ReadMarks() {
    }

    /** What a recipient's device has done with a message. */
    public enum State { SENT, DELIVERED, READ }

    /** The marks after a receipt up to {@code upTo}; marks only move forward, and reading implies receiving. */
    public static ReceiptWatermark advance(ReceiptWatermark mark, ReceiptStatus status, long upTo, long time) {
        ReceiptWatermark next = mark == null ? new ReceiptWatermark(0L, 0L, time) : mark;
        if (status == ReceiptStatus.READ) {
            next.setReadUpTo(Math.max(next.getReadUpTo(), upTo));
        }
        next.setDeliveredUpTo(Math.max(next.getDeliveredUpTo(), Math.max(upTo, next.getReadUpTo())));
        next.setUpdatedAt(Math.max(next.getUpdatedAt(), time));
        return next;
    }

    public static State stateOf(ReceiptWatermark mark, long sequence) {
        if (mark == null) {
            return State.SENT;
        }
        if (mark.getReadUpTo() >= sequence) {
            return State.READ;
        }
        return mark.getDeliveredUpTo() >= sequence ? State.DELIVERED : State.SENT;
    }
}
