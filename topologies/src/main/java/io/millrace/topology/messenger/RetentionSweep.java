package io.millrace.topology.messenger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Deletes what a store keeps past the retention, in a store whose keys are {@code <run>|<sequence>} with each run
 * oldest first (a conversation's messages; a user's indexed messages of one conversation). A pass walks the store: a
 * run is read from its start up to its first entry still kept and the rest of it is skipped, so a pass costs one seek
 * per run plus what it deletes. Each call does a bounded part of the pass and the next resumes there; a new pass starts
 * an hour after the last one began, so a store with nothing to delete costs little. The deletes reach the store's
 * changelog as tombstones.
 */
final class RetentionSweep<V> {

    /** How often a task sweeps, by wall clock. */
    static final Duration EVERY = Duration.ofSeconds(1);
    static final Duration PASS_EVERY = Duration.ofHours(1);
    /** At most this many runs looked at and entries deleted per call, so one call never holds up the task for long. */
    static final int MAX_RUNS = 200;
    static final int MAX_DELETES = 5_000;
    private static final String AFTER_ANY_SEQUENCE = "\uffff";

    private final KeyValueStore<String, V> store;
    private final ToLongFunction<V> timeOf;
    private final Duration retention;
    private String resumeFrom;
    private long nextPassAt;

    RetentionSweep(KeyValueStore<String, V> store, ToLongFunction<V> timeOf, Duration retention) {
        this.store = store;
        this.timeOf = timeOf;
        this.retention = retention;
    }

    /** Deletes up to {@value #MAX_DELETES} entries older than the retention at wall-clock time {@code now}; returns them. */
    List<KeyValue<String, V>> sweep(long now) {
        List<KeyValue<String, V>> expired = new ArrayList<>();
        if (resumeFrom == null && now < nextPassAt) {
            return expired;
        }
        if (resumeFrom == null) {
            nextPassAt = now + PASS_EVERY.toMillis();
        }
        long cutoff = now - retention.toMillis();
        for (int runs = 0; runs < MAX_RUNS && expired.size() < MAX_DELETES; runs++) {
            String run = null;
            boolean finished = true;
            try (KeyValueIterator<String, V> entries = store.range(resumeFrom, null)) {
                while (entries.hasNext()) {
                    KeyValue<String, V> entry = entries.next();
                    String runOf = entry.key.substring(0, entry.key.lastIndexOf('|'));
                    run = run == null ? runOf : run;
                    if (!runOf.equals(run) || timeOf.applyAsLong(entry.value) >= cutoff) {
                        break;
                    }
                    if (expired.size() == MAX_DELETES) {
                        finished = false;
                        break;
                    }
                    expired.add(entry);
                }
            }
            if (run == null) {
                resumeFrom = null;
                break;
            }
            resumeFrom = finished ? run + '|' + AFTER_ANY_SEQUENCE : StoreKeys.prefix(run);
        }
        expired.forEach(entry -> store.delete(entry.key));
        return expired;
    }
}
