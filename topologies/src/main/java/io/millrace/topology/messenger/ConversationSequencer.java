package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.ConversationType;
import io.millrace.schemas.messenger.Delivery;
import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.schemas.messenger.GroupMember;
import io.millrace.schemas.messenger.MessageLocation;
import io.millrace.schemas.messenger.StoredMessage;
import io.millrace.topology.runtime.Outcome;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The one place a conversation is ordered: its group's commands and its messages, in one task. A command changes
 * the roster and sends it to every member it concerns. A message whose sender belongs gets the conversation's next
 * sequence, is kept, and fans out as one delivery per member keyed by that member. A message refused because its
 * group is unknown or its sender not a member is held ({@link HeldMessages}): a command read later may be older
 * than it. Each change of the group lets in what it can of the conversation's held messages, oldest first; the rest
 * is rejected, once, when stream time passes its time plus the grace. Under exactly-once the sequence, the stored
 * message and the deliveries commit together, so a restart neither skips nor repeats a sequence. A wall-clock sweep
 * deletes messages older than the retention.
 */
final class ConversationSequencer implements Processor<String, ConversationSequencer.Input, String, Outcome<ConversationSequencer.Output>> {

    /** What the task reads: a group command (keyed by group id) or a message (keyed by its conversation). */
    sealed interface Input permits Command, Message {
    }

    record Command(GroupCommand command) implements Input {
    }

    record Message(StoredMessage message) implements Input {
    }

    /** What it writes: a delivery keyed by its recipient, or a group's roster keyed by a member it concerns. */
    sealed interface Output permits ToRecipient, ToMember {
    }

    record ToRecipient(Delivery delivery) implements Output {
    }

    record ToMember(Group group) implements Output {
    }

    private final Rejections rejections;
    private final Duration retention;
    private ProcessorContext<String, Outcome<Output>> context;
    private KeyValueStore<String, Group> groups;
    private KeyValueStore<String, Long> sequences;
    private KeyValueStore<String, StoredMessage> messages;
    private KeyValueStore<String, MessageLocation> locations;
    private HeldMessages held;
    private RetentionSweep<StoredMessage> expired;

    ConversationSequencer(Rejections rejections, Duration retention) {
        this.rejections = rejections;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, Outcome<Output>> context) {
        this.context = context;
        this.groups = context.getStateStore(MessengerStores.GROUPS);
        this.sequences = context.getStateStore(MessengerStores.CONVERSATION_SEQUENCES);
        this.messages = context.getStateStore(MessengerStores.CONVERSATION_MESSAGES);
        this.locations = context.getStateStore(MessengerStores.MESSAGE_LOCATIONS);
        this.held = HeldMessages.of(context);
        this.expired = new RetentionSweep<>(messages, StoredMessage::getTimestamp, retention);
        context.schedule(Duration.ofSeconds(1), PunctuationType.STREAM_TIME, this::rejectHeldPastGrace);
        context.schedule(RetentionSweep.EVERY, PunctuationType.WALL_CLOCK_TIME, this::deleteExpired);
    }

    @Override
    public void process(Record<String, Input> record) {
        if (record.value() instanceof Command command) {
            apply(record.key(), command.command(), record.timestamp());
        } else if (record.value() instanceof Message message) {
            send(message.message(), record.timestamp());
        }
    }

    private void apply(String key, GroupCommand command, long time) {
        if (!command.getGroupId().equals(key)) {
            // Elsewhere than the group's partition, the command would change a copy no message ever reads.
            reject(new Violation("WRONG_KEY", "group commands are keyed by their groupId"), MessengerTopics.GROUP_COMMANDS, command, key, time);
            return;
        }
        String groupId = command.getGroupId();
        Group before = groups.get(groupId);
        Outcome<Group> verdict = GroupRoster.apply(before, command, nextSequence(groupId));
        if (verdict.isRejected()) {
            reject(verdict.violation(), MessengerTopics.GROUP_COMMANDS, command, key, time);
            return;
        }
        Group after = verdict.accepted();
        groups.put(groupId, after);
        // Every member gets the new roster, and whoever left gets it without themselves.
        Set<String> concerned = new LinkedHashSet<>(users(after));
        if (before != null) {
            concerned.addAll(users(before));
        }
        for (String member : concerned) {
            context.forward(new Record<>(member, Outcome.accept(new ToMember(after)), time));
        }
        for (HeldMessages.Held waiting : held.of(groupId)) {
            if (waiting.time() < time) {
                continue; // a change after the message says nothing of whether its sender could send it
            }
            Optional<Violation> refused = admit(waiting.message(), after, waiting.time());
            if (refused.isEmpty() || !HeldMessages.mayWait(refused.get())) {
                held.release(waiting);
                refused.ifPresent(violation -> reject(violation, waiting.message(), waiting.time()));
            }
        }
    }

    private void send(StoredMessage message, long time) {
        Group group = message.getConversationType() == ConversationType.GROUP ? groups.get(message.getConversation()) : null;
        Optional<Violation> refused = admit(message, group, time);
        if (refused.isEmpty()) {
            return;
        }
        if (HeldMessages.mayWait(refused.get()) && HeldMessages.dueAt(time) > context.currentStreamTimeMs()) {
            held.hold(message, time);
        } else {
            reject(refused.get(), message, time);
        }
    }

    /** Sequences and fans out the message if its sender may send it to {@code group} now; otherwise says why not. */
    private Optional<Violation> admit(StoredMessage message, Group group, long time) {
        if (locations.get(message.getMessageId()) != null) {
            return Optional.of(duplicate(message));
        }
        Outcome<List<Audience.Recipient>> audience = Audience.of(message, group);
        if (audience.isRejected()) {
            return Optional.of(audience.violation());
        }
        sequence(message, audience.accepted(), time);
        return Optional.empty();
    }

    private void sequence(StoredMessage message, List<Audience.Recipient> recipients, long time) {
        String conversation = message.getConversation();
        long sequence = nextSequence(conversation);
        sequences.put(conversation, sequence);
        message.setSequence(sequence);
        messages.put(StoreKeys.sequenced(conversation, sequence), message);
        locations.put(message.getMessageId(), new MessageLocation(conversation, sequence));
        for (Audience.Recipient recipient : recipients) {
            Delivery delivery = new Delivery(recipient.user(), recipient.role(), message, message.getTimestamp());
            context.forward(new Record<>(recipient.user(), Outcome.accept(new ToRecipient(delivery)), time));
        }
    }

    /** Held messages no command has let in within the grace: rejected now, each once, with why they were refused. */
    private void rejectHeldPastGrace(long streamTime) {
        for (HeldMessages.Held late : held.takeDue(streamTime)) {
            StoredMessage message = late.message();
            reject(refusal(message), message, late.time());
        }
    }

    private Violation refusal(StoredMessage message) {
        if (locations.get(message.getMessageId()) != null) {
            return duplicate(message);
        }
        Outcome<List<Audience.Recipient>> audience = Audience.of(message, groups.get(message.getConversation()));
        return audience.isRejected() ? audience.violation() : new Violation(Audience.SENDER_NOT_MEMBER,
                message.getSender() + " joined group " + message.getConversation() + " only after sending this message");
    }

    private static Violation duplicate(StoredMessage message) {
        return new Violation("DUPLICATE_MESSAGE", "message " + message.getMessageId() + " was already sent");
    }

    private void deleteExpired(long now) {
        for (KeyValue<String, StoredMessage> message : expired.sweep(now)) {
            locations.delete(message.value.getMessageId());
        }
    }

    private long nextSequence(String conversation) {
        Long last = sequences.get(conversation);
        return (last == null ? 0 : last) + 1;
    }

    private static List<String> users(Group group) {
        return group.getMembers().stream().map(GroupMember::getUser).toList();
    }

    private void reject(Violation violation, StoredMessage message, long time) {
        reject(violation, MessengerTopics.MESSAGES, message, message.getConversation(), time);
    }

    private void reject(Violation violation, String topic, SpecificRecord event, String key, long time) {
        context.forward(new Record<>(key, Outcome.reject(rejections.reject(violation, topic, event, context)), time));
    }
}
