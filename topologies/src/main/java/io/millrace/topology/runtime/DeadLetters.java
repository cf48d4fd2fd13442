package io.millrace.topology.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts records sent to a pipeline's dead-letter topic, per pipeline and failure stage, and keeps
 * the log readable: one line per stage every ten seconds at most, never the record itself.
 */
public final class DeadLetters {

    /** Key under which the instance travels inside the Streams config to the exception handlers. */
    public static final String CONFIG_KEY = "millrace.dead-letters";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final long LOG_INTERVAL_MS = 10_000;

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> perPipeline = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    public DeadLetters(MeterRegistry meters) {
        this.meters = meters;
    }

    /** For handlers created without a platform (tests with a bare config). */
    static DeadLetters standalone() {
        return new DeadLetters(new SimpleMeterRegistry());
    }

    static DeadLetters from(Map<String, ?> config) {
        Object value = config.get(CONFIG_KEY);
        return value instanceof DeadLetters deadLetters ? deadLetters : standalone();
    }

    public void record(String pipeline, Stage stage, String sourceTopic, Throwable error) {
        String key = pipeline + "/" + stage.label;
        counters.computeIfAbsent(key, k -> Counter.builder("millrace.dead.letters")
                .description("Records sent to the pipeline's dead-letter topic")
                .tag("pipeline", pipeline).tag("stage", stage.label)
                .register(meters)).increment();
        perPipeline.computeIfAbsent(pipeline, p -> new AtomicLong()).incrementAndGet();
        long now = System.currentTimeMillis();
        Long previous = lastLogged.get(key);
        if (previous == null || now - previous >= LOG_INTERVAL_MS) {
            lastLogged.put(key, now);
            log.warn("{}: {} failure on a record from {} sent to {}.dlq ({}: {}); {} dead letters so far",
                    pipeline, stage.label, sourceTopic, pipeline, error.getClass().getSimpleName(),
                    conciseMessage(error), count(pipeline));
        }
    }

    public long count(String pipeline) {
        AtomicLong count = perPipeline.get(pipeline);
        return count == null ? 0 : count.get();
    }

    // Exception messages from serializers may be long; the first line says what happened.
    private static String conciseMessage(Throwable error) {
        String message = String.valueOf(error.getMessage());
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline);
        return firstLine.length() > 200 ? firstLine.substring(0, 200) + "…" : firstLine;
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
