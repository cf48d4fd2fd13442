package io.millrace.bench.simulate;

import io.millrace.topology.Topic;
import java.util.Map;

/** One event ready to produce: topic, key and value bytes, and headers (e.g. ground-truth labels). */
public record SimulatedEvent(String topic, byte[] key, byte[] value, Map<String, String> headers) {

    public static <K, V> SimulatedEvent of(Topic<K, V> topic, K key, V value) {
        return of(topic, key, value, Map.of());
    }

    public static <K, V> SimulatedEvent of(Topic<K, V> topic, K key, V value, Map<String, String> headers) {
        return new SimulatedEvent(topic.name(),
                topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value),
                headers);
    }

    /** Bytes that no Avro deserializer accepts: they must end in the pipeline's dead-letter topic. */
    public static SimulatedEvent garbage(String topic, String key) {
        return new SimulatedEvent(topic, key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "\u0007not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
    }
}
