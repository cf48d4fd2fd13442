package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Typing;
import io.millrace.schemas.messenger.UserEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Typing indicators in the typist's task; {@link PresenceTracker}'s punctuator expires them. Starting and stopping
 * (not each renewal) is told to the others in the conversation as user events.
 */
final class TypingTracker implements Processor<String, Typing, String, UserEvent> {

    private ProcessorContext<String, UserEvent> context;
    private PresenceBook presence;
    private CoMembers coMembers;

    @Override
    public void init(ProcessorContext<String, UserEvent> context) {
        this.context = context;
        this.presence = PresenceBook.of(context);
        this.coMembers = CoMembers.of(context);
    }

    @Override
    public void process(Record<String, Typing> record) {
        Typing event = record.value();
        long now = context.currentSystemTimeMs();
        PresenceBook.Change change = presence.update(event.getUser(), state -> PresenceRules.typing(state, event.getUser(),
                event.getConversation(), event.getTyping(), event.getTimestamp(), now));
        for (UserEvent told : coMembers.eventsOf(change, event.getTimestamp())) {
            context.forward(record.withKey(told.getUser()).withValue(told));
        }
    }
}
