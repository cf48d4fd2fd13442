package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Presence;
import io.millrace.schemas.messenger.PresenceStatus;
import io.millrace.schemas.messenger.UserEvent;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Heartbeats and sign-offs in the user's task. A wall-clock punctuator, every second, takes users
 * whose heartbeat is 60 s overdue offline and drops typing indicators older than 5 s. A user becoming
 * active (online, not away) has their pending pushes cancelled: the app will show the messages. Going
 * online or offline is told to the people the user shares a conversation with, and an indicator that
 * ends to the others in its conversation, as user events.
 */
final class PresenceTracker implements Processor<String, Presence, String, UserEvent> {

    private static final Duration EXPIRE_EVERY = Duration.ofSeconds(1);

    private ProcessorContext<String, UserEvent> context;
    private PresenceBook presence;
    private PendingNotifications notifications;
    private CoMembers coMembers;

    @Override
    public void init(ProcessorContext<String, UserEvent> context) {
        this.context = context;
        this.presence = PresenceBook.of(context);
        this.notifications = PendingNotifications.of(context);
        this.coMembers = CoMembers.of(context);
        context.schedule(EXPIRE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, Presence> record) {
        Presence event = record.value();
        String user = event.getUser();
        long now = context.currentSystemTimeMs();
        PresenceBook.Change change = event.getStatus() == PresenceStatus.OFFLINE
                ? presence.update(user, state -> PresenceRules.signOff(state, user, event.getTimestamp()))
                : presence.update(user, state -> PresenceRules.heartbeat(state, user, event.getStatus() == PresenceStatus.AWAY,
                        event.getTimestamp(), now));
        if (!change.wasActive() && change.isActive()) {
            notifications.cancelAll(user);
        }
        announce(change, event.getTimestamp());
    }

    private void expire(long now) {
        for (PresenceBook.Change change : presence.expireDue(now)) {
            announce(change, now);
        }
    }

    private void announce(PresenceBook.Change change, long time) {
        for (UserEvent event : coMembers.eventsOf(change, time)) {
            context.forward(new Record<>(event.getUser(), event, time));
        }
    }
}
