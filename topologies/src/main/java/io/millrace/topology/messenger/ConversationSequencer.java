package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.ConversationType;
import io.millrace.schemas.messenger.Delivery;
import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.MessageLocation;
import io.millrace.schemas.messenger.StoredMessage;
import io.millrace.topology.runtime.Outcome;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The one place a conversation's messages are ordered: checks the sender belongs, gives the message
 * the conversation's next sequence, keeps it, and fans it out as one delivery per member keyed by
 * that member. Under exactly-once the sequence, the stored message and the deliveries commit together,
 * so a restart neither skips nor repeats a sequence.
 */
final class ConversationSequencer implements Processor<String, StoredMessage, String, Outcome<Delivery>> {

    private final Rejections rejections;
    private ProcessorContext<String, Outcome<Delivery>> context;
    private KeyValueStore<String, Group> groups;
    private KeyValueStore<String, Long> sequences;
    private KeyValueStore<String, StoredMessage> messages;
    private KeyValueStore<String, MessageLocation> locations;

    ConversationSequencer(Rejections rejections) {
        this.rejections = rejections;
    }

    @Override
    public void init(ProcessorContext<String, Outcome<Delivery>> context) {
        this.context = context;
        this.groups = context.getStateStore(MessengerStores.GROUPS);
        this.sequences = context.getStateStore(MessengerStores.CONVERSATION_SEQUENCES);
        this.messages = context.getStateStore(MessengerStores.CONVERSATION_MESSAGES);
        this.locations = context.getStateStore(MessengerStores.MESSAGE_LOCATIONS);
    }

    @Override
    public void process(Record<String, StoredMessage> record) {
        StoredMessage message = record.value();
        String conversation = message.getConversation();
        if (locations.get(message.getMessageId()) != null) {
            reject(record, new Violation("DUPLICATE_MESSAGE", "message " + message.getMessageId() + " was already sent"), message);
            return;
        }
        Group group = message.getConversationType() == ConversationType.GROUP ? groups.get(conversation) : null;
        Outcome<List<Audience.Recipient>> audience = Audience.of(message, group);
        if (audience.isRejected()) {
            reject(record, audience.violation(), message);
            return;
        }
        Long last = sequences.get(conversation);
        long sequence = (last == null ? 0 : last) + 1;
        sequences.put(conversation, sequence);
        message.setSequence(sequence);
        messages.put(StoreKeys.sequenced(conversation, sequence), message);
        locations.put(message.getMessageId(), new MessageLocation(conversation, sequence));
        for (Audience.Recipient recipient : audience.accepted()) {
            Delivery delivery = new Delivery(recipient.user(), recipient.role(), message, message.getTimestamp());
            context.forward(record.withKey(recipient.user()).withValue(Outcome.accept(delivery)));
        }
    }

    private void reject(Record<String, StoredMessage> record, Violation violation, StoredMessage message) {
        context.forward(record.withValue(Outcome.reject(rejections.reject(violation, MessengerTopics.MESSAGES, message, context))));
    }
}
