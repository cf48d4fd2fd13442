package io.millrace.topology;

import io.millrace.schemas.serde.AvroSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A topic together with the serdes of its keys and values, declared once per pipeline, and the largest record a
 * pipeline reads from it: a record above {@code maxEventBytes} is a dead letter, however well it decodes, so that
 * no oversized event reaches a store or an output.
 */
public record Topic<K, V>(TopicSpec spec, Serde<K> keySerde, Serde<V> valueSerde, int maxEventBytes) {

    /** The default limit of an event: far above any event of the ten pipelines, far below Kafka's 1 MiB. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 64 * 1024;
    /** Keys are ids: anything longer is not one. */
    public static final int MAX_KEY_BYTES = 4 * 1024;

    public Topic(TopicSpec spec, Serde<K> keySerde, Serde<V> valueSerde) {
        this(spec, keySerde, valueSerde, DEFAULT_MAX_EVENT_BYTES);
    }

    public Topic<K, V> withMaxEventBytes(int limit) {
        return new Topic<>(spec, keySerde, valueSerde, limit);
    }

    public String name() {
        return spec.name();
    }

    /** What its values are: the Avro record's full name, or the serde's type. */
    public String eventType() {
        return valueSerde instanceof AvroSerde<?> avro ? avro.recordName() : valueSerde.getClass().getSimpleName();
    }

    /** The value deserializer with this topic's size limit in front of it. */
    public Deserializer<V> boundedDeserializer() {
        return bounded(valueSerde.deserializer(), maxEventBytes, "value");
    }

    private <T> Deserializer<T> bounded(Deserializer<T> inner, int limit, String part) {
        String topic = name();
        return (sourceTopic, data) -> {
            if (data != null && data.length > limit) {
                throw new SerializationException("A " + part + " of " + data.length + " bytes on " + topic + " is larger than the "
                        + limit + " bytes a " + part + " there may have");
            }
            return inner.deserialize(sourceTopic, data);
        };
    }

    /** The key deserializer with the key size limit in front of it. */
    public Deserializer<K> boundedKeyDeserializer() {
        return bounded(keySerde.deserializer(), MAX_KEY_BYTES, "key");
    }

    public Consumed<K, V> consumed() {
        return Consumed.with(Serdes.serdeFrom(keySerde.serializer(), boundedKeyDeserializer()),
                Serdes.serdeFrom(valueSerde.serializer(), boundedDeserializer())).withName(name() + "-source");
    }

    public Produced<K, V> produced() {
        return Produced.with(keySerde, valueSerde).withName(name() + "-sink");
    }
}
