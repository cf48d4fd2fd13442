package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.BodyProtection;
import io.millrace.schemas.messenger.SendMessage;
import io.millrace.schemas.messenger.StoredBody;
import io.millrace.schemas.messenger.StoredMessage;
import io.millrace.topology.messenger.crypto.AtRestCipher;

/** The first thing done to a valid message: its plaintext body sealed, a client ciphertext kept as it came. */
public final class StoredMessages {

    private StoredMessages() {
    }

    public static StoredMessage from(SendMessage message, AtRestCipher cipher) {
        StoredBody body = null;
        if (message.getBody() != null) {
            body = cipher.seal(message.getBody(), message.getMessageId());
        } else if (message.getCiphertext() != null) {
            body = new StoredBody(BodyProtection.END_TO_END, message.getCiphertext(), message.getNonce());
        }
        String conversation = ConversationIds.of(message.getConversationType(), message.getSender(), message.getTo());
        return new StoredMessage(message.getMessageId(), conversation, message.getConversationType(), message.getSender(), 0L,
                body, message.getMediaUrl(), message.getTimestamp());
    }
}
