package io.millrace.topology.fraud;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * A key-value view of a window store, for per-transaction state that must not grow for ever: each entry is
 * filed under the time it was written and dropped with its segment once the retention has passed.
 */
final class ExpiringStore<V> {

    /** A value and the time it is filed under. */
    record Entry<V>(long filedAt, V value) {
    }

    private final WindowStore<String, V> store;

    ExpiringStore(WindowStore<String, V> store) {
        this.store = store;
    }

    static <V> StoreBuilder<WindowStore<String, V>> builder(String name, Duration retention, Serde<V> values) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, Duration.ofMillis(1), false),
                Serdes.String(), values);
    }

    Optional<Entry<V>> get(String key) {
        Entry<V> latest = null;
        try (WindowStoreIterator<V> found = store.fetch(key, 0, Long.MAX_VALUE)) {
            while (found.hasNext()) {
                KeyValue<Long, V> next = found.next();
                latest = new Entry<>(next.key, next.value);
            }
        }
        return Optional.ofNullable(latest);
    }

    void put(String key, V value, long filedAt) {
        store.put(key, value, filedAt);
    }
}
