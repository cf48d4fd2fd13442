package io.millrace.schemas.registry;

import java.util.function.BiConsumer;

/** An append-only, replayable log of keyed records: the registry's only source of truth. */
public interface SchemaLog extends AutoCloseable {

    /** Replays every record from the beginning into {@code listener}, returns once caught up, then keeps tailing. */
    void start(BiConsumer<String, byte[]> listener);

    /** Returns only after the record is durably written and has been replayed into the listener. */
    void append(String key, byte[] value);

    /**
     * Returns once every record written before the call, by any writer, has been replayed: for a reader that
     * meets an id another instance registered a moment ago. A log with a single writer is always in sync.
     */
    default void sync() {
    }

    @Override
    void close();
}
