package io.millrace.topology.runtime;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Where a pipeline's queries find its stores: the running KafkaStreams' local copies in the app, the test driver's in
 * tests. Every pipeline's {@code <Name>Queries} reads through one.
 */
public interface StoreReader {

    <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String store);

    <K, V> ReadOnlyWindowStore<K, V> window(String store);

    /**
     * The active copies of the stores of {@code streams} on this instance only: for queries that add up every instance's
     * part, which would count a partition twice if a standby copy answered too.
     */
    static StoreReader active(KafkaStreams streams) {
        return new StoreReader() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String store) {
                return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<K, V>keyValueStore()));
            }

            @Override
            public <K, V> ReadOnlyWindowStore<K, V> window(String store) {
                return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<K, V>windowStore()));
            }
        };
    }

    /** This instance's copies of the stores of {@code streams}, standby and restoring ones included (see {@link LocalStores}). */
    static StoreReader of(KafkaStreams streams) {
        return new StoreReader() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String store) {
                return LocalStores.keyValue(streams, store);
            }

            @Override
            public <K, V> ReadOnlyWindowStore<K, V> window(String store) {
                return LocalStores.window(streams, store);
            }
        };
    }
}
