package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.PresenceState;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Presence: a heartbeat keeps a user online for 60 s, a sign-off ends it at once; last seen is the
 * time of the latest heartbeat or sign-off. A heartbeat says whether the client is in use (ONLINE) or idle
 * (AWAY): an away user is online to others but still gets pushes. A typing indicator lasts 5 s unless
 * renewed or stopped. Deadlines are wall-clock times, so a quiet system still times users out.
 */
public final class PresenceRules {

    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration TYPING_TIMEOUT = Duration.ofSeconds(5);

    private PresenceRules() {
    }

    public static PresenceState heartbeat(PresenceState current, String user, boolean away, long eventTime, long now) {
        PresenceState state = current == null ? offline(user) : current;
        state.setOnline(true);
        state.setAway(away);
        state.setLastSeen(Math.max(state.getLastSeen(), eventTime));
        state.setOnlineUntil(now + HEARTBEAT_TIMEOUT.toMillis());
        return withNextDeadline(state);
    }

    public static PresenceState signOff(PresenceState current, String user, long eventTime) {
        PresenceState state = current == null ? offline(user) : current;
        state.setOnline(false);
        state.setAway(false);
        state.setLastSeen(Math.max(state.getLastSeen(), eventTime));
        state.setOnlineUntil(0L);
        state.setTyping(new HashMap<>());
        return withNextDeadline(state);
    }

    public static PresenceState typing(PresenceState current, String user, String conversation, boolean typing, long eventTime,
                                       long now) {
        PresenceState state = current == null ? offline(user) : current;
        Map<String, Long> typingIn = new HashMap<>(state.getTyping());
        if (typing) {
            typingIn.put(conversation, now + TYPING_TIMEOUT.toMillis());
        } else {
            typingIn.remove(conversation);
        }
        state.setTyping(typingIn);
        state.setLastSeen(Math.max(state.getLastSeen(), eventTime));
        return withNextDeadline(state);
    }

    /** The state once every deadline up to {@code now} has passed. */
    public static PresenceState expire(PresenceState state, long now) {
        if (state.getOnline() && state.getOnlineUntil() <= now) {
            state.setOnline(false);
            state.setAway(false);
            state.setOnlineUntil(0L);
        }
        Map<String, Long> typingIn = new HashMap<>(state.getTyping());
        typingIn.values().removeIf(expiresAt -> expiresAt <= now);
        state.setTyping(typingIn);
        return withNextDeadline(state);
    }

    public static boolean isOnline(PresenceState state) {
        return state != null && state.getOnline();
    }

    /** Online and not away: the app is in use and shows what arrives, so no push is needed. */
    public static boolean isActive(PresenceState state) {
        return isOnline(state) && !state.getAway();
    }

    private static PresenceState withNextDeadline(PresenceState state) {
        long next = state.getOnline() ? state.getOnlineUntil() : 0L;
        for (long expiresAt : state.getTyping().values()) {
            next = next == 0L ? expiresAt : Math.min(next, expiresAt);
        }
        state.setNextDeadline(next);
        return state;
    }

    private static PresenceState offline(String user) {
        return new PresenceState(user, false, 0L, 0L, new HashMap<>(), 0L, false);
    }
}
