package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.ReadReceipt;
import io.millrace.schemas.messenger.ReceiptStatus;
import io.millrace.schemas.messenger.ReceiptWatermark;
import io.millrace.schemas.messenger.StoredMessage;
import io.millrace.schemas.messenger.UserEvent;
import io.millrace.topology.runtime.Outcome;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps, per conversation and member, how far they have received and read, which is what a message's
 * delivered/read status per recipient is computed from. Marks only move forward, and never past the
 * conversation's last sequence. When a READ receipt moves the read mark, the senders of the messages it newly
 * covers (those still members) hear of it as a RECEIPT user event, and so do the reader's own other devices; a
 * DELIVERED receipt, or one that moves nothing, is told to no one. Outputs those events and rejections.
 */
final class ReceiptLedger implements Processor<String, ReadReceipt, String, Outcome<UserEvent>> {

    /**
     * A read of more messages than this at once (catching up on a long backlog) is told to every other member of
     * the conversation instead of to the senders found among the messages: at most 149 events, without a long scan.
     */
    static final int MAX_MESSAGES_SCANNED = 256;

    private final Rejections rejections;
    private ProcessorContext<String, Outcome<UserEvent>> context;
    private KeyValueStore<String, Group> groups;
    private KeyValueStore<String, Long> sequences;
    private KeyValueStore<String, ReceiptWatermark> receipts;
    private KeyValueStore<String, StoredMessage> messages;

    ReceiptLedger(Rejections rejections) {
        this.rejections = rejections;
    }

    @Override
    public void init(ProcessorContext<String, Outcome<UserEvent>> context) {
        this.context = context;
        this.groups = context.getStateStore(MessengerStores.GROUPS);
        this.sequences = context.getStateStore(MessengerStores.CONVERSATION_SEQUENCES);
        this.receipts = context.getStateStore(MessengerStores.RECEIPTS);
        this.messages = context.getStateStore(MessengerStores.CONVERSATION_MESSAGES);
    }

    @Override
    public void process(Record<String, ReadReceipt> record) {
        ReadReceipt receipt = record.value();
        String conversation = receipt.getConversation();
        Long last = sequences.get(conversation);
        if (last == null) {
            context.forward(record.withValue(refused("UNKNOWN_CONVERSATION", "conversation " + conversation + " has no messages", receipt)));
            return;
        }
        Group group = ConversationIds.isDirect(conversation) ? null : groups.get(conversation);
        String reader = receipt.getUser();
        if (!Audience.includes(conversation, reader, group)) {
            context.forward(record.withValue(refused("NOT_A_MEMBER", reader + " is not in conversation " + conversation, receipt)));
            return;
        }
        String key = StoreKeys.join(conversation, reader);
        ReceiptWatermark before = receipts.get(key);
        long readBefore = before == null ? 0 : before.getReadUpTo();
        long upTo = Math.min(receipt.getUpToSequence(), last);
        ReceiptWatermark mark = ReadMarks.advance(before, receipt.getStatus(), upTo, receipt.getTimestamp());
        receipts.put(key, mark);
        if (receipt.getStatus() == ReceiptStatus.READ && mark.getReadUpTo() > readBefore) {
            for (String user : toldOfRead(conversation, reader, group, readBefore, mark.getReadUpTo())) {
                UserEvent event = UserEvents.receipt(user, conversation, reader, mark.getReadUpTo(), receipt.getTimestamp());
                context.forward(record.withKey(user).withValue(Outcome.accept(event)));
            }
        }
    }

    /** The reader, then the senders of the messages after {@code from} up to {@code to} who are still members, each once. */
    private Set<String> toldOfRead(String conversation, String reader, Group group, long from, long to) {
        Set<String> users = new LinkedHashSet<>();
        users.add(reader);
        if (to - from > MAX_MESSAGES_SCANNED) {
            users.addAll(Audience.addressees(conversation, reader, Long.MAX_VALUE, group));
            return users;
        }
        try (KeyValueIterator<String, StoredMessage> read = messages.range(StoreKeys.sequenced(conversation, from + 1),
                StoreKeys.sequenced(conversation, to))) {
            read.forEachRemaining(message -> {
                if (Audience.includes(conversation, message.value.getSender(), group)) {
                    users.add(message.value.getSender());
                }
            });
        }
        return users;
    }

    private Outcome<UserEvent> refused(String code, String reason, ReadReceipt receipt) {
        return Outcome.reject(rejections.reject(new Violation(code, reason), MessengerTopics.RECEIPTS, receipt, context));
    }
}
