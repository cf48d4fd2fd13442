package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Typing;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Typing indicators in the typist's task; {@link PresenceTracker}'s punctuator expires them. */
final class TypingTracker implements Processor<String, Typing, Void, Void> {

    private ProcessorContext<Void, Void> context;
    private PresenceBook presence;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.presence = PresenceBook.of(context);
    }

    @Override
    public void process(Record<String, Typing> record) {
        Typing event = record.value();
        long now = context.currentSystemTimeMs();
        presence.update(event.getUser(), state -> PresenceRules.typing(state, event.getUser(), event.getConversation(),
                event.getTyping(), event.getTimestamp(), now));
    }
}
