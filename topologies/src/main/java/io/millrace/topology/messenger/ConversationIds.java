package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.ConversationType;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shape of user, group and message ids, and how a conversation is named: a group conversation
 * by its group id, a direct one as {@code dm:<a>:<b>} with the two users in order, so that both
 * sides name the same conversation. Ids never contain ':' or '|', which store keys use as separators.
 */
public final class ConversationIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    static final String DIRECT_PREFIX = "dm:";

    private ConversationIds() {
    }

    /** A user, group or message id: 1 to 64 letters, digits, '_', '.', '-', starting with a letter or digit. */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String direct(String oneUser, String otherUser) {
        return oneUser.compareTo(otherUser) <= 0
                ? DIRECT_PREFIX + oneUser + ":" + otherUser
                : DIRECT_PREFIX + otherUser + ":" + oneUser;
    }

    public static String of(ConversationType type, String sender, String to) {
        return type == ConversationType.GROUP ? to : direct(sender, to);
    }

    public static boolean isDirect(String conversation) {
        return conversation.startsWith(DIRECT_PREFIX);
    }

    /** The two users of a direct conversation id. */
    public static List<String> participants(String directConversation) {
        String[] parts = directConversation.substring(DIRECT_PREFIX.length()).split(":", -1);
        return List.of(parts[0], parts[1]);
    }

    /** The other user of a direct conversation {@code user} is in; empty for a group or a conversation without them. */
    public static Optional<String> peer(String conversation, String user) {
        if (!isDirect(conversation)) {
            return Optional.empty();
        }
        List<String> both = participants(conversation);
        return both.contains(user) ? both.stream().filter(other -> !other.equals(user)).findFirst() : Optional.empty();
    }

    /** A group id, or a well-formed direct conversation id (two valid, ordered, distinct users). */
    public static boolean isValidConversation(String conversation) {
        if (conversation == null) {
            return false;
        }
        if (!isDirect(conversation)) {
            return isValidId(conversation);
        }
        String[] parts = conversation.substring(DIRECT_PREFIX.length()).split(":", -1);
        return parts.length == 2 && isValidId(parts[0]) && isValidId(parts[1]) && parts[0].compareTo(parts[1]) < 0;
    }
}
