package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Delivery;
import io.millrace.schemas.messenger.StoredMessage;
import io.millrace.schemas.messenger.UserEvent;
import io.millrace.schemas.messenger.UserEventKind;

/** The events of messenger.user-events, one per user who sees them; a message goes as it is stored, never opened. */
public final class UserEvents {

    private UserEvents() {
    }

    /** A message for its recipient, or the sender's own copy for the sender's other devices. */
    public static UserEvent message(Delivery delivery) {
        StoredMessage message = delivery.getMessage();
        return event(delivery.getRecipient(), UserEventKind.MESSAGE, message.getConversation(), message.getSequence(),
                message.getSender(), message.getTimestamp()).setMessage(message).build();
    }

    /** {@code reader} has read {@code conversation} up to {@code upTo}. */
    public static UserEvent receipt(String user, String conversation, String reader, long upTo, long time) {
        return event(user, UserEventKind.RECEIPT, conversation, upTo, reader, time).build();
    }

    /** {@code typist} started or stopped typing in {@code conversation}. */
    public static UserEvent typing(String user, String conversation, String typist, boolean typing, long time) {
        return event(user, UserEventKind.TYPING, conversation, 0, typist, time).setTyping(typing).build();
    }

    /** {@code whose} came online or went offline. */
    public static UserEvent presence(String user, String whose, boolean online, long time) {
        return event(user, UserEventKind.PRESENCE, "", 0, whose, time).setOnline(online).build();
    }

    private static UserEvent.Builder event(String user, UserEventKind kind, String conversation, long sequence, String actor, long time) {
        return UserEvent.newBuilder().setUser(user).setKind(kind).setConversation(conversation).setSequence(sequence).setActor(actor)
                .setMessage(null).setTyping(false).setOnline(false).setTimestamp(time);
    }
}
