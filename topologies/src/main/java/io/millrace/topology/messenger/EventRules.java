package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Presence;
import io.millrace.schemas.messenger.ReadReceipt;
import io.millrace.schemas.messenger.Typing;
import io.millrace.topology.runtime.Violation;
import java.util.Optional;

/**
 * Checks on the per-user events (receipts, presence, typing) before they touch state: well-formed ids,
 * and a record key that is the user, since the user's task is the only one that holds their state.
 */
public final class EventRules {

    private EventRules() {
    }

    public static Optional<Violation> checkReceipt(String key, ReadReceipt receipt) {
        return user(key, receipt.getUser())
                .or(() -> conversation(receipt.getConversation()))
                .or(() -> receipt.getUpToSequence() < 1
                        ? Optional.of(new Violation("INVALID_SEQUENCE", "upToSequence starts at 1"))
                        : Optional.empty());
    }

    public static Optional<Violation> checkPresence(String key, Presence presence) {
        return user(key, presence.getUser());
    }

    public static Optional<Violation> checkTyping(String key, Typing typing) {
        return user(key, typing.getUser()).or(() -> conversation(typing.getConversation()));
    }

    private static Optional<Violation> user(String key, String user) {
        if (!ConversationIds.isValidId(user)) {
            return Optional.of(new Violation("MALFORMED_ID", "user must be 1-64 letters, digits, '_', '.' or '-'"));
        }
        if (!user.equals(key)) {
            return Optional.of(new Violation("WRONG_KEY", "per-user events are keyed by their user"));
        }
        return Optional.empty();
    }

    private static Optional<Violation> conversation(String conversation) {
        return ConversationIds.isValidConversation(conversation)
                ? Optional.empty()
                : Optional.of(new Violation("MALFORMED_ID", "conversation must be a group id or dm:<a>:<b> with a < b"));
    }
}
