package io.millrace.topology.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether a pipeline is really doing its work, beyond what Kafka Streams' state says: a pipeline can be RUNNING
 * while its thread dies and is replaced over and over, or while it is stuck with records waiting. This keeps the
 * consumer lag measured from the broker (end offsets minus committed offsets), when the committed offsets last moved,
 * and the stream-thread failures, and gives the verdict /health and the dashboard show.
 */
public final class PipelineHealth {

    /** A pipeline's verdict, worst last. */
    public enum Status { UP, DEGRADED, DOWN }

    /** The verdict and, unless UP, why. */
    public record Verdict(Status status, String reason) {
    }

    /** Thread failures within {@link #FAILURE_WINDOW} that make a pipeline DEGRADED even while it moves. */
    static final int FAILURES_FOR_DEGRADED = 3;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(5);

    private final Duration stallTimeout;
    private final LongSupplier clock;
    private final Deque<Failure> failures = new ArrayDeque<>();
    private volatile Map<String, Long> lagByTopic = Map.of();
    private volatile boolean measured;
    private volatile long committedTotal = -1;
    private volatile long lastProgressAt;
    private volatile long lastMeasuredAt;
    private volatile String lastMeasurementFailure;

    private record Failure(long at, String description) {
    }

    public PipelineHealth(Duration stallTimeout, LongSupplier clock) {
        this.stallTimeout = stallTimeout;
        this.clock = clock;
        this.lastProgressAt = clock.getAsLong();
        this.lastMeasuredAt = lastProgressAt;
    }

    /**
     * A new measurement: the records waiting per input topic, and the sum of the committed offsets of all the
     * pipeline's source partitions (it grows whenever the pipeline commits progress).
     */
    public synchronized void measured(Map<String, Long> lagByTopic, long committedTotal) {
        long now = clock.getAsLong();
        if (committedTotal != this.committedTotal || totalOf(lagByTopic) == 0) {
            lastProgressAt = now;
        }
        this.committedTotal = committedTotal;
        this.lagByTopic = Map.copyOf(new TreeMap<>(lagByTopic));
        this.measured = true;
        this.lastMeasuredAt = now;
        this.lastMeasurementFailure = null;
    }

    /** Lag could not be measured (the broker did not answer): while that lasts, nothing tells whether the pipeline moves. */
    public void measurementFailed(Throwable error) {
        lastMeasurementFailure = error.getClass().getSimpleName() + ": " + DeadLetters.conciseMessage(error, 160);
    }

    /** A stream thread died (and was replaced); {@code record} is what it was processing, if anything. */
    public synchronized void threadFailed(Throwable error, Optional<PoisonRecords.Coordinates> record) {
        failures.addLast(new Failure(clock.getAsLong(), error.getClass().getSimpleName() + ": " + DeadLetters.conciseMessage(error, 160)
                + record.map(r -> " (on record " + r + ")").orElse("")));
        while (failures.size() > 100) {
            failures.removeFirst();
        }
    }

    /** Records waiting in the pipeline's source topics, by topic; empty before the first measurement. */
    public Map<String, Long> lagByTopic() {
        return lagByTopic;
    }

    /** Records waiting in all of the pipeline's source topics, or -1 before the first measurement. */
    public long lag() {
        return measured ? totalOf(lagByTopic) : -1;
    }

    /** Stream-thread failures in the last {@link #FAILURE_WINDOW}. */
    public synchronized int recentFailures() {
        long since = clock.getAsLong() - FAILURE_WINDOW.toMillis();
        return (int) failures.stream().filter(f -> f.at() >= since).count();
    }

    public Verdict verdict(KafkaStreams.State state) {
        switch (state) {
            case ERROR, NOT_RUNNING, PENDING_ERROR, PENDING_SHUTDOWN -> {
                return new Verdict(Status.DOWN, "Kafka Streams is " + state);
            }
            default -> {
            }
        }
        long now = clock.getAsLong();
        synchronized (this) {
            long since = now - FAILURE_WINDOW.toMillis();
            long recent = failures.stream().filter(f -> f.at() >= since).count();
            if (recent >= FAILURES_FOR_DEGRADED) {
                return new Verdict(Status.DEGRADED, "stream thread failed " + recent + " times in the last "
                        + FAILURE_WINDOW.toMinutes() + " minutes; last: " + failures.getLast().description());
            }
        }
        long unmeasuredFor = now - lastMeasuredAt;
        if (unmeasuredFor >= stallTimeout.toMillis()) {
            return new Verdict(Status.DEGRADED, "lag not measured for " + unmeasuredFor / 1000 + " s: the broker did not answer"
                    + (lastMeasurementFailure == null ? "" : " (" + lastMeasurementFailure + ")"));
        }
        long lag = lag();
        long stalledFor = now - lastProgressAt;
        if (measured && lag > 0 && stalledFor >= stallTimeout.toMillis()) {
            return new Verdict(Status.DEGRADED, "no progress for " + stalledFor / 1000 + " s while " + lag + " records wait ("
                    + waiting() + ")");
        }
        return new Verdict(Status.UP, null);
    }

    private String waiting() {
        StringBuilder text = new StringBuilder();
        lagByTopic.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .forEach(e -> text.append(text.length() == 0 ? "" : ", ").append(e.getKey()).append(": ").append(e.getValue()));
        return text.toString();
    }

    private static long totalOf(Map<String, Long> lags) {
        return lags.values().stream().mapToLong(Long::longValue).sum();
    }
}
