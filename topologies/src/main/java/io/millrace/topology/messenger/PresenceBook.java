package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.PresenceState;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/** Users' presence with the index of its next deadline kept in step, for the processors that change it. */
final class PresenceBook {

    private final KeyValueStore<String, PresenceState> presence;
    private final Deadlines deadlines;

    /** The book over its two stores in this task. */
    static PresenceBook of(ProcessingContext context) {
        return new PresenceBook(context.getStateStore(MessengerStores.PRESENCE),
                context.getStateStore(MessengerStores.PRESENCE_DEADLINES));
    }

    PresenceBook(KeyValueStore<String, PresenceState> presence, KeyValueStore<String, String> deadlines) {
        this.presence = presence;
        this.deadlines = new Deadlines(deadlines);
    }

    PresenceState get(String user) {
        return presence.get(user);
    }

    /** Applies {@code change} to the user's state (null when never seen); returns whether the user was online before. */
    boolean update(String user, UnaryOperator<PresenceState> change) {
        PresenceState before = presence.get(user);
        boolean wasOnline = PresenceRules.isOnline(before);
        long previousDeadline = before == null ? 0 : before.getNextDeadline();
        PresenceState after = change.apply(before);
        presence.put(user, after);
        deadlines.move(user, previousDeadline, after.getNextDeadline());
        return wasOnline;
    }

    /** Applies every heartbeat and typing timeout due by {@code now}. */
    void expireDue(long now) {
        for (String user : deadlines.takeDue(now)) {
            PresenceState state = presence.get(user);
            if (state != null) {
                PresenceState after = PresenceRules.expire(state, now);
                presence.put(user, after);
                deadlines.move(user, 0, after.getNextDeadline());
            }
        }
    }
}
