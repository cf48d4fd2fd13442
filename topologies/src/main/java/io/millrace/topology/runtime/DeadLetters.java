package io.millrace.topology.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letters of every pipeline, counted twice on purpose. An <em>attempt</em> is counted when a handler sends a
 * record to the dead-letter topic; under exactly-once that write may still be aborted with its transaction. What is
 * <em>in the topic</em> is counted from the topic itself, read committed (see {@link DeadLetterTally}): that is the
 * figure operators see, and it equals what {@code millrace dlq list} shows. The log gets one line per pipeline and
 * stage every ten seconds at most, never the record itself.
 */
public final class DeadLetters {

    /** Key under which the instance travels inside the Streams config to the exception handlers. */
    public static final String CONFIG_KEY = "millrace.dead-letters";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final long LOG_INTERVAL_MS = 10_000;
    private static final int LOG_MESSAGE_CHARS = 200;

    private final MeterRegistry meters;
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> attemptsPerPipeline = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> committed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> committedPerPipeline = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    public DeadLetters(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Where the counters are registered, for the other meters of the same pipelines. */
    public MeterRegistry meters() {
        return meters;
    }

    /** For handlers created without a platform (tests with a bare config). */
    static DeadLetters standalone() {
        return new DeadLetters(new SimpleMeterRegistry());
    }

    static DeadLetters from(Map<String, ?> config) {
        Object value = config.get(CONFIG_KEY);
        return value instanceof DeadLetters deadLetters ? deadLetters : standalone();
    }

    /** A handler is sending a record of {@code pipeline} that failed at {@code stage} to the dead-letter topic. */
    public void attempt(String pipeline, Stage stage, String sourceTopic, Throwable error) {
        String key = pipeline + "/" + stage.label;
        attempts.computeIfAbsent(key, k -> Counter.builder("millrace.dead.letter.attempts")
                .description("Records a handler sent to the dead-letter topic, including writes later aborted with their transaction")
                .tag("pipeline", pipeline).tag("stage", stage.label)
                .register(meters)).increment();
        attemptsPerPipeline.computeIfAbsent(pipeline, p -> new AtomicLong()).incrementAndGet();
        long now = System.currentTimeMillis();
        Long previous = lastLogged.get(key);
        if (previous == null || now - previous >= LOG_INTERVAL_MS) {
            lastLogged.put(key, now);
            log.warn("{}: {} failure on a record from {} sent to {}.dlq ({}: {}); {} dead letters in the topic so far",
                    pipeline, stage.label, sourceTopic, pipeline, error.getClass().getSimpleName(),
                    conciseMessage(error, LOG_MESSAGE_CHARS), count(pipeline));
        }
    }

    /** A committed record of {@code pipeline}'s dead-letter topic, of the given stage, was read from the topic. */
    public void committed(String pipeline, String stage) {
        committed.computeIfAbsent(pipeline + "/" + stage, key -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("millrace.dead.letters", count, AtomicLong::get)
                    .description("Records in the pipeline's dead-letter topic (committed), the same figure on every instance")
                    .tag("pipeline", pipeline).tag("stage", stage)
                    .register(meters);
            return count;
        }).incrementAndGet();
        committedPerPipeline.computeIfAbsent(pipeline, p -> new AtomicLong()).incrementAndGet();
    }

    /** Records in the pipeline's dead-letter topic, as far as the tally has read it. */
    public long count(String pipeline) {
        AtomicLong count = committedPerPipeline.get(pipeline);
        return count == null ? 0 : count.get();
    }

    /** Records the handlers of this instance tried to dead-letter (aborted transactions included). */
    public long attempts(String pipeline) {
        AtomicLong count = attemptsPerPipeline.get(pipeline);
        return count == null ? 0 : count.get();
    }

    // Exception messages from serializers may be long or carry data; the first line, bounded, says what happened.
    static String conciseMessage(Throwable error, int maxChars) {
        String message = String.valueOf(error.getMessage());
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline);
        return firstLine.length() > maxChars ? firstLine.substring(0, maxChars) + "…" : firstLine;
    }

    static String conciseMessage(Throwable error) {
        return conciseMessage(error, LOG_MESSAGE_CHARS);
    }

    /** Where in the pipeline a record failed. */
    public enum Stage {
        DESERIALIZATION("deserialization"), PROCESSING("processing"), PRODUCTION("production");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
