package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.InboxEntry;
import io.millrace.schemas.messenger.ReadReceipt;
import io.millrace.schemas.messenger.ReceiptStatus;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A receipt in the reader's task: moves the read mark of their inbox entry, which lowers its unread
 * count, and cancels the pending push once everything in the conversation is read. A receipt for a
 * conversation not in the inbox changes nothing here; its membership is judged per conversation.
 */
final class ReadMarker implements Processor<String, ReadReceipt, Void, Void> {

    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, InboxEntry> inbox;
    private PendingNotifications notifications;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.inbox = context.getStateStore(MessengerStores.INBOX);
        this.notifications = PendingNotifications.of(context);
    }

    @Override
    public void process(Record<String, ReadReceipt> record) {
        ReadReceipt receipt = record.value();
        String key = StoreKeys.join(receipt.getUser(), receipt.getConversation());
        InboxEntry entry = inbox.get(key);
        if (entry == null) {
            return;
        }
        InboxEntry after = Inbox.afterReceipt(entry, receipt, context.currentSystemTimeMs());
        inbox.put(key, after);
        if (receipt.getStatus() == ReceiptStatus.READ && Inbox.unread(after) == 0) {
            notifications.cancel(receipt.getUser(), receipt.getConversation());
        }
    }
}
