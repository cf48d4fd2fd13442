package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.StoredMessage;
import io.millrace.topology.runtime.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Messages refused for their group's membership that may only be early: the conversation's task reads group
 * commands and messages from two partitions without idling, so a command older than a message can be read after
 * it. Such a message waits here, by conversation and time, until a change of its group lets it in or stream time
 * passes its time plus {@link #GRACE}. Stream time only moves forward, so nothing waits longer than the grace
 * beyond the latest record the task has read.
 */
final class HeldMessages {

    /** How long, in stream time, a message waits for the group command that would let it in. */
    static final Duration GRACE = Duration.ofSeconds(30);
    private static final Set<String> WORTH_WAITING = Set.of(Audience.UNKNOWN_GROUP, Audience.SENDER_NOT_MEMBER);

    private final KeyValueStore<String, StoredMessage> held;
    private final Deadlines deadlines;

    /** A held message and the time of its record (its event time, never negative). */
    record Held(StoredMessage message, long time) {
    }

    static HeldMessages of(ProcessingContext context) {
        return new HeldMessages(context.getStateStore(MessengerStores.HELD_MESSAGES), context.getStateStore(MessengerStores.HELD_DEADLINES));
    }

    HeldMessages(KeyValueStore<String, StoredMessage> held, KeyValueStore<String, String> deadlines) {
        this.held = held;
        this.deadlines = new Deadlines(deadlines);
    }

    /** Whether a message refused for {@code violation} may yet be let in by a group command not read so far. */
    static boolean mayWait(Violation violation) {
        return WORTH_WAITING.contains(violation.code());
    }

    /** The stream time at which a message of {@code time} stops waiting. */
    static long dueAt(long time) {
        return time > Long.MAX_VALUE - GRACE.toMillis() ? Long.MAX_VALUE : time + GRACE.toMillis();
    }

    void hold(StoredMessage message, long time) {
        String key = key(message.getConversation(), time, message.getMessageId());
        held.put(key, message);
        deadlines.move(key, 0, dueAt(time));
    }

    /** The conversation's held messages, oldest first. */
    List<Held> of(String conversation) {
        List<Held> messages = new ArrayList<>();
        try (KeyValueIterator<String, StoredMessage> entries = held.prefixScan(StoreKeys.prefix(conversation), Serdes.String().serializer())) {
            entries.forEachRemaining(entry -> messages.add(new Held(entry.value, timeOf(entry.key))));
        }
        return messages;
    }

    void release(Held message) {
        String key = key(message.message().getConversation(), message.time(), message.message().getMessageId());
        held.delete(key);
        deadlines.move(key, dueAt(message.time()), 0);
    }

    /** Removes and returns the messages whose grace has passed by stream time {@code streamTime}, oldest first. */
    List<Held> takeDue(long streamTime) {
        List<Held> due = new ArrayList<>();
        for (String key : deadlines.takeDue(streamTime)) {
            StoredMessage message = held.get(key);
            if (message != null) {
                held.delete(key);
                due.add(new Held(message, timeOf(key)));
            }
        }
        return due;
    }

    // conversation|time|messageId: a conversation's held messages in time order.
    private static String key(String conversation, long time, String messageId) {
        return StoreKeys.join(StoreKeys.sequenced(conversation, time), messageId);
    }

    private static long timeOf(String key) {
        String afterConversation = StoreKeys.secondOf(key);
        return Long.parseLong(StoreKeys.firstOf(afterConversation));
    }
}
