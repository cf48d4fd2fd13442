package io.millrace.api.live;

import java.util.Optional;
import java.util.function.Function;

/**
 * What one connection follows, decided once when it connects (after its caller was checked): the records of one key
 * (a user's own stream: one partition) or of every key (an operators' stream), each shown through {@code view}, which
 * may also leave a record out (a filter) or shape it for this subscriber (a body opened for this member).
 */
public record Follow<V>(Optional<String> key, Function<V, Optional<LiveEvent>> view) {

    public static <V> Follow<V> key(String key, Function<V, Optional<LiveEvent>> view) {
        return new Follow<>(Optional.of(key), view);
    }

    public static <V> Follow<V> all(Function<V, Optional<LiveEvent>> view) {
        return new Follow<>(Optional.empty(), view);
    }
}
