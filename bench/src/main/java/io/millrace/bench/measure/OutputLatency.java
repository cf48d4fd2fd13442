package io.millrace.bench.measure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * End-to-end latency of a pipeline as its consumers see it: for each record that appears on an output topic after
 * {@link #start}, the time from the record's timestamp to the moment it is consumed (read_committed, so an
 * exactly-once pipeline's output counts once its transaction commits). Meaningful when the output record carries
 * the input's event time and the input's event time is when it was produced, as with the simulators.
 */
public final class OutputLatency implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final long MAX_TRACKED_MS = Duration.ofMinutes(10).toMillis();

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Histogram histogram = new Histogram(MAX_TRACKED_MS, 3);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private long records;
    private long firstAt;
    private long lastAt;

    private OutputLatency(Map<String, Object> client, String topic) {
        this.topic = topic;
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-latency-" + UUID.randomUUID());
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::consume, "millrace-latency-" + topic);
        this.thread.setDaemon(true);
    }

    /** Starts measuring records that reach {@code topic} from now on. */
    public static OutputLatency start(String bootstrapServers, String topic) {
        return start(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
    }

    /** The same with a cluster's client settings ({@code bootstrap.servers} and any security properties). */
    public static OutputLatency start(Map<String, Object> client, String topic) {
        OutputLatency latency = new OutputLatency(client, topic);
        latency.thread.start();
        return latency;
    }

    /** Latency percentiles in milliseconds and the consumed rate, from the first to the last record seen. */
    public record Result(String topic, long records, double recordsPerSecond, long p50Ms, long p90Ms, long p99Ms, long p999Ms,
                         long maxMs) {

        public String summary() {
            return String.format("%s: %,d records consumed (%,.0f/s); end-to-end latency p50 %d ms, p90 %d ms, p99 %d ms, "
                    + "p99.9 %d ms, max %d ms", topic, records, recordsPerSecond, p50Ms, p90Ms, p99Ms, p999Ms, maxMs);
        }
    }

    /** Stops measuring and returns what was measured. */
    public Result stop() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
        synchronized (histogram) {
            double seconds = Math.max(1e-3, (lastAt - firstAt) / 1000.0);
            return new Result(topic, records, records < 2 ? 0 : records / seconds, histogram.getValueAtPercentile(50),
                    histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
                    histogram.getMaxValue());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (running.get()) {
            stop();
        }
    }

    private void consume() {
        try {
            while (running.get()) {
                var batch = consumer.poll(POLL);
                long now = System.currentTimeMillis();
                synchronized (histogram) {
                    for (ConsumerRecord<byte[], byte[]> record : batch) {
                        histogram.recordValue(Math.min(MAX_TRACKED_MS, Math.max(0, now - record.timestamp())));
                        if (records++ == 0) {
                            firstAt = now;
                        }
                        lastAt = now;
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException stopping) {
            // stop() was called
        } finally {
            consumer.close();
        }
    }
}
