package io.millrace.api.search;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Recent search answers of this instance, by query, page, size and user: an answer is served again while it is younger
 * than the time to live and this instance's index has not changed since (the other instances' changes are seen within
 * the time to live). A request with {@code Cache-Control: no-cache} is always answered afresh.
 */
final class AnswerCache {

    static final int CAPACITY = 10_000;

    private record Entry(Object answer, long generation, long storedAt) {
    }

    private final Map<String, Entry> answers = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier generation;
    private final LongSupplier nanoTime;

    AnswerCache(Duration ttl, LongSupplier generation, LongSupplier nanoTime) {
        this.ttlNanos = ttl.toNanos();
        this.generation = generation;
        this.nanoTime = nanoTime;
    }

    boolean enabled() {
        return ttlNanos > 0;
    }

    Object get(String key) {
        if (!enabled()) {
            return null;
        }
        Entry entry = answers.get(key);
        if (entry == null || entry.generation() != generation.getAsLong() || nanoTime.getAsLong() - entry.storedAt() > ttlNanos) {
            return null;
        }
        return entry.answer();
    }

    void put(String key, Object answer) {
        if (!enabled()) {
            return;
        }
        if (answers.size() >= CAPACITY) {
            // Coarse but bounded: a full cache starts again rather than tracking recency on every hit.
            answers.clear();
        }
        answers.put(key, new Entry(answer, generation.getAsLong(), nanoTime.getAsLong()));
    }
}
