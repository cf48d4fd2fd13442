package io.millrace.schemas.serde;

import io.millrace.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Hands out one {@link AvroSerde} per record class and role, all sharing one registry client and its caches. */
public final class AvroSerdes {

    private final SchemaRegistryClient client;
    private final Map<Class<?>, Serde<?>> valueSerdes = new ConcurrentHashMap<>();
    private final Map<Class<?>, Serde<?>> keySerdes = new ConcurrentHashMap<>();

    public AvroSerdes(SchemaRegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    public <T extends SpecificRecord> Serde<T> value(Class<T> type) {
        return serde(valueSerdes, type, false);
    }

    public <T extends SpecificRecord> Serde<T> key(Class<T> type) {
        return serde(keySerdes, type, true);
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> Serde<T> serde(Map<Class<?>, Serde<?>> serdes, Class<T> type, boolean isKey) {
        return (Serde<T>) serdes.computeIfAbsent(type, ignored -> new AvroSerde<>(client, type, isKey));
    }
}
