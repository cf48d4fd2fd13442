package io.millrace.topology.runtime;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * This instance's copies of a pipeline's stores, for interactive queries. Stale (standby or restoring)
 * copies are included: whether this instance may answer is decided before, by the query router.
 */
public final class LocalStores {

    private LocalStores() {
    }

    public static <K, V> ReadOnlyKeyValueStore<K, V> keyValue(KafkaStreams streams, String store) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<K, V>keyValueStore()).enableStaleStores());
    }

    public static <K, V> ReadOnlyWindowStore<K, V> window(KafkaStreams streams, String store) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<K, V>windowStore()).enableStaleStores());
    }

    public static <K, V> ReadOnlySessionStore<K, V> session(KafkaStreams streams, String store) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<K, V>sessionStore()).enableStaleStores());
    }
}
