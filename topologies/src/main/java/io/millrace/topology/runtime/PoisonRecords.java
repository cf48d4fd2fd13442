package io.millrace.topology.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one pipeline that must not be processed again because processing them stops a stream thread:
 * an output the broker can never take (too large, say), or a record that killed a thread twice. Once marked, the
 * record is dead-lettered with the failure the next time a task reaches it, and skipped, so a replaced thread does
 * not die on it again and again.
 *
 * <p>The stream thread that is processing a record is known through {@link #processing}: the uncaught-exception
 * handler runs on the thread that failed and asks which record that was.
 */
public final class PoisonRecords {

    /** Key under which the instance travels inside the Streams config to the handlers and the processor guard. */
    public static final String CONFIG_KEY = "millrace.poison-records";
    /** Thread failures on the same record before it is skipped. */
    static final int FAILURES_BEFORE_SKIPPING = 2;

    private static final Logger log = LoggerFactory.getLogger(PoisonRecords.class);
    private static final ThreadLocal<Coordinates> PROCESSING = new ThreadLocal<>();

    private final String pipeline;
    private final Map<Coordinates, String> poison = new ConcurrentHashMap<>();
    private final Map<Coordinates, Integer> failures = new ConcurrentHashMap<>();
    private final Counter skipped;
    private volatile boolean any;

    public PoisonRecords(String pipeline, MeterRegistry meters) {
        this.pipeline = pipeline;
        this.skipped = Counter.builder("millrace.poison.records")
                .description("Records dead-lettered and skipped because processing them stopped a stream thread")
                .tag("pipeline", pipeline).register(meters);
    }

    static PoisonRecords from(Map<String, ?> config) {
        Object value = config.get(CONFIG_KEY);
        if (value instanceof PoisonRecords records) {
            return records;
        }
        String applicationId = String.valueOf(config.get(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG));
        return new PoisonRecords(applicationId, new SimpleMeterRegistry());
    }

    /** Where a record was read from. */
    public record Coordinates(String topic, int partition, long offset) {
        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** The record the calling stream thread is processing right now, if any. */
    public static Optional<Coordinates> processing() {
        return Optional.ofNullable(PROCESSING.get());
    }

    static void enter(Coordinates record) {
        PROCESSING.set(record);
    }

    static void restore(Coordinates before) {
        if (before == null) {
            PROCESSING.remove();
        } else {
            PROCESSING.set(before);
        }
    }

    /** Marks a record whose processing can never succeed, e.g. an output no broker accepts. */
    public void mark(Coordinates record, String failure) {
        if (poison.putIfAbsent(record, failure) == null) {
            any = true;
            log.error("{}: record {} cannot be processed ({}); it goes to {}.dlq and is skipped when it is read again",
                    pipeline, record, failure, pipeline);
        }
    }

    /**
     * Counts a stream-thread failure while processing {@code record}; the second failure on the same record marks it.
     * Returns whether the record is now marked.
     */
    public boolean threadFailedOn(Coordinates record, Throwable error) {
        int count = failures.merge(record, 1, Integer::sum);
        if (count >= FAILURES_BEFORE_SKIPPING) {
            mark(record, "stopped a stream thread " + count + " times: " + error.getClass().getSimpleName() + ": "
                    + DeadLetters.conciseMessage(error));
            return true;
        }
        return false;
    }

    /** The failure a marked record caused, or empty when {@code record} may be processed. */
    Optional<String> failureOf(Coordinates record) {
        return any ? Optional.ofNullable(poison.get(record)) : Optional.empty();
    }

    void skipped() {
        skipped.increment();
    }

    public long skippedCount() {
        return (long) skipped.count();
    }

    /** Thrown in place of processing a marked record: the processing handler dead-letters it with this message. */
    public static final class PoisonRecordException extends RuntimeException {
        PoisonRecordException(Coordinates record, String failure) {
            super("Skipped " + record + ": " + failure, null, false, false);
        }
    }
}
