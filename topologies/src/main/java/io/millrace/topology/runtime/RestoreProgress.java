package io.millrace.topology.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/** Tracks changelog restoration of one pipeline's stores, so readiness can say what is restoring and for how long. */
public final class RestoreProgress implements StateRestoreListener {

    private final Map<TopicPartition, Restoring> restoring = new ConcurrentHashMap<>();

    /** One changelog partition being replayed into a store. */
    public record Restoring(String store, String changelog, int partition, long startOffset, long endOffset,
                            long restored, long startedAtMillis) {

        /** Seconds left at the rate seen so far, or -1 before there is a rate. */
        public long etaSeconds(long nowMillis) {
            long elapsed = nowMillis - startedAtMillis;
            if (restored <= 0 || elapsed <= 0) {
                return -1;
            }
            long remaining = Math.max(0, endOffset - startOffset - restored);
            return (long) Math.ceil(remaining / (restored * 1000.0 / elapsed));
        }
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
        restoring.put(partition, new Restoring(store, partition.topic(), partition.partition(), startOffset, endOffset, 0,
                System.currentTimeMillis()));
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        restoring.computeIfPresent(partition, (p, r) -> new Restoring(r.store(), r.changelog(), r.partition(),
                r.startOffset(), r.endOffset(), r.restored() + numRestored, r.startedAtMillis()));
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        restoring.remove(partition);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        restoring.remove(partition);
    }

    public List<Restoring> inProgress() {
        return new ArrayList<>(restoring.values());
    }
}
