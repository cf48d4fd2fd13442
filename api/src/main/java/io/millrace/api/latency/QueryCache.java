package io.millrace.api.latency;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A small cache of query answers, keyed by the query. An answer is served again until the data it came
 * from changes: when a window closes (the generation moves on) or, for answers that include the open
 * window, after a short time to live. Beyond its capacity the least recently used answer goes.
 */
final class QueryCache {

    private final int capacity;
    private final long ttlNanos;
    private final LongSupplier generation;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries;
    private long entriesGeneration;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    private record Entry(Object answer, long createdNanos) {
    }

    QueryCache(int capacity, Duration ttl, LongSupplier generation, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.ttlNanos = ttl.toNanos();
        this.generation = generation;
        this.nanoTime = nanoTime;
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                boolean full = size() > QueryCache.this.capacity;
                if (full) {
                    evictions.increment();
                }
                return full;
            }
        };
    }

    /** The cached answer to {@code query}, or the one {@code compute} gives, which is then cached. */
    @SuppressWarnings("unchecked")
    <T> T get(String query, Supplier<T> compute) {
        long current = generation.getAsLong();
        long now = nanoTime.getAsLong();
        synchronized (this) {
            if (current != entriesGeneration) {
                entries.clear();
                entriesGeneration = current;
            }
            Entry entry = entries.get(query);
            if (entry != null && now - entry.createdNanos() < ttlNanos) {
                hits.increment();
                return (T) entry.answer();
            }
        }
        misses.increment();
        T answer = compute.get();
        synchronized (this) {
            // An answer computed while a window closed belongs to the generation before: it is not kept.
            if (current == entriesGeneration) {
                entries.put(query, new Entry(answer, now));
                puts.increment();
            }
        }
        return answer;
    }

    synchronized int size() {
        return entries.size();
    }

    /** Registers cache.gets{result=hit|miss}, cache.puts, cache.evictions, cache.size and cache.hit.ratio. */
    void bindTo(MeterRegistry meters, String name, Tag... tags) {
        new Binder(this, name, List.of(tags)).bindTo(meters);
    }

    private static final class Binder extends CacheMeterBinder<QueryCache> {
        private final QueryCache cache;

        Binder(QueryCache cache, String name, List<Tag> tags) {
            super(cache, name, tags);
            this.cache = cache;
        }

        @Override
        protected Long size() {
            return (long) cache.size();
        }

        @Override
        protected long hitCount() {
            return cache.hits.sum();
        }

        @Override
        protected Long missCount() {
            return cache.misses.sum();
        }

        @Override
        protected Long evictionCount() {
            return cache.evictions.sum();
        }

        @Override
        protected long putCount() {
            return cache.puts.sum();
        }

        @Override
        protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
            Gauge.builder("cache.hit.ratio", cache, c -> {
                        double hits = c.hits.sum();
                        double total = hits + c.misses.sum();
                        return total == 0 ? 0 : hits / total;
                    })
                    .description("Share of lookups answered from the cache since start")
                    .tags(getTagsWithCacheName())
                    .register(registry);
        }
    }
}
