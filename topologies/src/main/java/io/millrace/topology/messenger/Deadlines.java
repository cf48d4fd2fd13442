package io.millrace.topology.messenger;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A time-ordered index in a store, so a punctuator reads only what is due instead of scanning every user. */
final class Deadlines {

    private static final String AFTER_ANY_ID = "\uffff";

    private final KeyValueStore<String, String> index;

    Deadlines(KeyValueStore<String, String> index) {
        this.index = index;
    }

    /** Moves {@code id} from deadline {@code from} to {@code to}; 0 means none. */
    void move(String id, long from, long to) {
        if (from == to) {
            return;
        }
        if (from > 0) {
            index.delete(StoreKeys.deadline(from, id));
        }
        if (to > 0) {
            index.put(StoreKeys.deadline(to, id), "");
        }
    }

    /** Removes and returns the ids due at or before {@code now}, oldest first. */
    List<String> takeDue(long now) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> due = index.range(null, StoreKeys.deadline(now, AFTER_ANY_ID))) {
            due.forEachRemaining(entry -> keys.add(entry.key));
        }
        List<String> ids = new ArrayList<>(keys.size());
        for (String key : keys) {
            index.delete(key);
            ids.add(StoreKeys.secondOf(key));
        }
        return ids;
    }
}
