package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.SendMessage;
import io.millrace.topology.messenger.crypto.AtRestCipher;
import io.millrace.topology.runtime.Violation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The checks a message passes before anything is stored: well-formed ids, one body of a sane size, a real recipient. */
public final class MessageRules {

    /** Bodies above 64 KiB (plaintext as UTF-8, or ciphertext) are refused; media goes by URL. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int MAX_MEDIA_URL_LENGTH = 2048;

    private MessageRules() {
    }

    /** A message written under {@code key}: well formed, and keyed by its conversation. */
    public static Optional<Violation> check(String key, SendMessage message) {
        Optional<Violation> malformed = check(message);
        if (malformed.isPresent()) {
            return malformed;
        }
        String conversation = MessengerTopics.messageKey(message);
        return conversation.equals(key) ? Optional.empty()
                : Violation.of(Violation.KEY_MISMATCH, "a message is keyed by its conversation, " + conversation);
    }

    public static Optional<Violation> check(SendMessage message) {
        if (!ConversationIds.isValidId(message.getMessageId())) {
            return violation("MALFORMED_ID", "messageId must be 1-64 letters, digits, '_', '.' or '-'");
        }
        if (!ConversationIds.isValidId(message.getSender())) {
            return violation("MALFORMED_ID", "sender must be 1-64 letters, digits, '_', '.' or '-'");
        }
        if (!ConversationIds.isValidId(message.getTo())) {
            return violation("MALFORMED_ID", "to must be a user id (DIRECT) or a group id (GROUP)");
        }
        if (message.getConversationType() == null) {
            return violation("MALFORMED_ID", "conversationType must be DIRECT or GROUP");
        }
        if (message.getConversationType() == io.millrace.schemas.messenger.ConversationType.DIRECT
                && message.getTo().equals(message.getSender())) {
            return violation("INVALID_RECIPIENT", "a direct message goes to another user");
        }
        boolean hasBody = message.getBody() != null;
        boolean hasCiphertext = message.getCiphertext() != null;
        if (hasBody && hasCiphertext) {
            return violation("AMBIGUOUS_BODY", "a message has a plaintext body or a ciphertext, not both");
        }
        if (hasBody && message.getBody().isEmpty() || hasCiphertext && message.getCiphertext().remaining() == 0
                || !hasBody && !hasCiphertext && message.getMediaUrl() == null) {
            return violation("EMPTY_MESSAGE", "a message needs a non-empty body, a ciphertext or a media URL");
        }
        if (hasBody && tooLarge(message.getBody()) || hasCiphertext && message.getCiphertext().remaining() > MAX_BODY_BYTES) {
            return violation("BODY_TOO_LARGE", "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (hasCiphertext && (message.getNonce() == null || message.getNonce().remaining() != AtRestCipher.NONCE_BYTES)) {
            return violation("MISSING_NONCE", "a ciphertext needs its " + AtRestCipher.NONCE_BYTES + "-byte nonce");
        }
        if (message.getMediaUrl() != null && !validMediaUrl(message.getMediaUrl())) {
            return violation("INVALID_MEDIA_URL", "mediaUrl must be an https URL of at most " + MAX_MEDIA_URL_LENGTH + " characters");
        }
        return Optional.empty();
    }

    /**
     * The message as a rejection may show it: the body and ciphertext replaced by their size, so that
     * the rejected topic never holds what the user wrote.
     */
    public static SendMessage withoutBody(SendMessage message) {
        String body = message.getBody() == null ? null : "[" + message.getBody().getBytes(StandardCharsets.UTF_8).length + " bytes withheld]";
        ByteBuffer ciphertext = message.getCiphertext() == null ? null : ByteBuffer.allocate(0);
        return new SendMessage(message.getMessageId(), message.getSender(), message.getConversationType(), message.getTo(), body,
                ciphertext, message.getNonce(), message.getMediaUrl(), message.getTimestamp());
    }

    private static boolean validMediaUrl(String url) {
        return url.length() <= MAX_MEDIA_URL_LENGTH && url.startsWith("https://") && url.length() > "https://".length();
    }

    private static boolean tooLarge(String text) {
        // A UTF-16 char is at most 3 UTF-8 bytes, so most bodies are cleared without encoding them.
        return text.length() * 3L > MAX_BODY_BYTES && text.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES;
    }

    private static Optional<Violation> violation(String code, String reason) {
        return Optional.of(new Violation(code, reason));
    }
}
