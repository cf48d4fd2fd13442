package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Presence;
import io.millrace.schemas.messenger.PresenceStatus;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Heartbeats and sign-offs in the user's task. A wall-clock punctuator, every second, takes users
 * whose heartbeat is 60 s overdue offline and drops typing indicators older than 5 s. A user coming
 * online has their pending pushes cancelled: the app will show the messages.
 */
final class PresenceTracker implements Processor<String, Presence, Void, Void> {

    private static final Duration EXPIRE_EVERY = Duration.ofSeconds(1);

    private ProcessorContext<Void, Void> context;
    private PresenceBook presence;
    private PendingNotifications notifications;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.presence = PresenceBook.of(context);
        this.notifications = PendingNotifications.of(context);
        context.schedule(EXPIRE_EVERY, PunctuationType.WALL_CLOCK_TIME, presence::expireDue);
    }

    @Override
    public void process(Record<String, Presence> record) {
        Presence event = record.value();
        String user = event.getUser();
        long now = context.currentSystemTimeMs();
        if (event.getStatus() == PresenceStatus.ONLINE) {
            boolean wasOnline = presence.update(user, state -> PresenceRules.heartbeat(state, user, event.getTimestamp(), now));
            if (!wasOnline) {
                notifications.cancelAll(user);
            }
        } else {
            presence.update(user, state -> PresenceRules.signOff(state, user, event.getTimestamp()));
        }
    }
}
