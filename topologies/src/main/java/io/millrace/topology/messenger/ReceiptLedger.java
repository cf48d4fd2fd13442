package io.millrace.topology.messenger;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.ReadReceipt;
import io.millrace.schemas.messenger.ReceiptWatermark;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps, per conversation and member, how far they have received and read, which is what a message's
 * delivered/read status per recipient is computed from. Marks only move forward, and never past the
 * conversation's last sequence. Outputs rejections.
 */
final class ReceiptLedger implements Processor<String, ReadReceipt, String, Rejected> {

    private final Rejections rejections;
    private ProcessorContext<String, Rejected> context;
    private KeyValueStore<String, Group> groups;
    private KeyValueStore<String, Long> sequences;
    private KeyValueStore<String, ReceiptWatermark> receipts;

    ReceiptLedger(Rejections rejections) {
        this.rejections = rejections;
    }

    @Override
    public void init(ProcessorContext<String, Rejected> context) {
        this.context = context;
        this.groups = context.getStateStore(MessengerStores.GROUPS);
        this.sequences = context.getStateStore(MessengerStores.CONVERSATION_SEQUENCES);
        this.receipts = context.getStateStore(MessengerStores.RECEIPTS);
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
        if (!Audience.includes(conversation, receipt.getUser(), group)) {
            context.forward(record.withValue(refused("NOT_A_MEMBER", receipt.getUser() + " is not in conversation " + conversation, receipt)));
            return;
        }
        String key = StoreKeys.join(conversation, receipt.getUser());
        long upTo = Math.min(receipt.getUpToSequence(), last);
        ReceiptWatermark mark = ReadMarks.advance(receipts.get(key), receipt.getStatus(), upTo, receipt.getTimestamp());
        receipts.put(key, mark);
    }

    private Rejected refused(String code, String reason, ReadReceipt receipt) {
        return rejections.reject(new Violation(code, reason), MessengerTopics.RECEIPTS, receipt, context);
    }
}
