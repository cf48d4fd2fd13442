package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.PresenceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/** Users' presence with the index of its next deadline kept in step, for the processors that change it. */
final class PresenceBook {

    private final KeyValueStore<String, PresenceState> presence;
    private final Deadlines deadlines;

    /**
     * What one change did to a user's presence: online and active (online, not away) before and after, and the
     * conversations where they started or stopped typing (a renewed indicator is neither).
     */
    record Change(String user, boolean wasOnline, boolean isOnline, boolean wasActive, boolean isActive, Set<String> startedTyping,
                  Set<String> stoppedTyping) {
    }

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

    /** Applies {@code change} to the user's state (null when never seen). */
    Change update(String user, UnaryOperator<PresenceState> change) {
        PresenceState before = presence.get(user);
        long previousDeadline = before == null ? 0 : before.getNextDeadline();
        Snapshot was = Snapshot.of(before);
        PresenceState after = change.apply(before);
        presence.put(user, after);
        deadlines.move(user, previousDeadline, after.getNextDeadline());
        return was.to(user, after);
    }

    /** Applies every heartbeat and typing timeout due by {@code now}, and says what each did. */
    List<Change> expireDue(long now) {
        List<Change> changes = new ArrayList<>();
        for (String user : deadlines.takeDue(now)) {
            PresenceState state = presence.get(user);
            if (state != null) {
                Snapshot was = Snapshot.of(state);
                PresenceState after = PresenceRules.expire(state, now);
                presence.put(user, after);
                deadlines.move(user, 0, after.getNextDeadline());
                changes.add(was.to(user, after));
            }
        }
        return changes;
    }

    // The rules change a state in place: what it was is copied out first.
    private record Snapshot(boolean online, boolean active, Set<String> typing) {

        static Snapshot of(PresenceState state) {
            return new Snapshot(PresenceRules.isOnline(state), PresenceRules.isActive(state),
                    state == null ? Set.of() : new TreeSet<>(state.getTyping().keySet()));
        }

        Change to(String user, PresenceState after) {
            Set<String> started = new TreeSet<>(after.getTyping().keySet());
            started.removeAll(typing);
            Set<String> stopped = new TreeSet<>(typing);
            stopped.removeAll(after.getTyping().keySet());
            return new Change(user, online, PresenceRules.isOnline(after), active, PresenceRules.isActive(after), started, stopped);
        }
    }
}
