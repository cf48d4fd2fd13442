package io.millrace.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** A schema log held in memory for tests and single-process use; every append reaches every listener before it returns. */
public final class InMemorySchemaLog implements SchemaLog {

    private final List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    private final List<BiConsumer<String, byte[]>> listeners = new ArrayList<>();

    @Override
    public synchronized void start(BiConsumer<String, byte[]> listener) {
        records.forEach(record -> listener.accept(record.getKey(), record.getValue()));
        listeners.add(listener);
    }

    @Override
    public synchronized void append(String key, byte[] value) {
        records.add(Map.entry(key, value.clone()));
        listeners.forEach(listener -> listener.accept(key, value));
    }

    /** Detaches the listeners but keeps the records, so a later {@link #start} replays them like a restart. */
    @Override
    public synchronized void close() {
        listeners.clear();
    }
}
