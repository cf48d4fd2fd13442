package io.millrace.topology.messenger;

import java.util.Collection;

/**
 * The blind tokens of one indexed message, kept together as one store value so that indexing a message
 * is one write: space-separated, which no token (base64url) contains, and matched whole.
 */
final class MessageTokens {

    private static final char SEPARATOR = ' ';

    private MessageTokens() {
    }

    static String of(Collection<String> tokens) {
        return String.join(String.valueOf(SEPARATOR), tokens);
    }

    /** Whether every one of {@code wanted} is among the message's tokens. */
    static boolean containsAll(String indexed, Collection<String> wanted) {
        for (String token : wanted) {
            if (!contains(indexed, token)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(String indexed, String token) {
        for (int at = indexed.indexOf(token); at >= 0; at = indexed.indexOf(token, at + 1)) {
            int end = at + token.length();
            if ((at == 0 || indexed.charAt(at - 1) == SEPARATOR) && (end == indexed.length() || indexed.charAt(end) == SEPARATOR)) {
                return true;
            }
        }
        return false;
    }
}
