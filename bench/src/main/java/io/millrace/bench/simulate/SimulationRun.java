package io.millrace.bench.simulate;

import io.millrace.bench.measure.OutputLatency;
import io.millrace.topology.runtime.StreamsSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Drives one simulator at a target rate for a duration and measures what the pipeline made of it:
 * events in per second, records out per second from the growth of the simulator's output topic, and the
 * end-to-end latency of those records (from their event time to when a consumer sees them).
 */
public final class SimulationRun {

    private static final Duration SETTLED_AFTER = Duration.ofSeconds(3);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);

    private final Simulator simulator;
    private final Map<String, Object> client;
    private final double ratePerSecond;
    private final Duration duration;
    private final long seed;

    /** {@code client}: {@code bootstrap.servers} and the cluster's security settings, if any. */
    public SimulationRun(Simulator simulator, Map<String, Object> client, double ratePerSecond, Duration duration, long seed) {
        this.simulator = simulator;
        this.client = Map.copyOf(client);
        this.ratePerSecond = ratePerSecond;
        this.duration = duration;
        this.seed = seed;
    }

    /** What a run measured. */
    public record Result(String pipeline, long eventsSent, long failedSends, double eventsPerSecond,
                         long outputRecords, double outputPerSecond, String outputTopic, double seconds, OutputLatency.Result latency) {

        public String summary() {
            return String.format("%s: sent %,d events in %.1f s (%,.0f/s, %d failed); %s grew by %,d records (%,.0f/s)%n%s",
                    pipeline, eventsSent, seconds, eventsPerSecond, failedSends, outputTopic, outputRecords, outputPerSecond,
                    latency.summary());
        }
    }

    /** Runs to the end, reporting progress every few seconds, and returns the measurement. */
    public Result run(Consumer<String> progress) throws InterruptedException {
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, StreamsSettings.COMPRESSION,
                ProducerConfig.CLIENT_ID_CONFIG, "millrace-simulate-" + simulator.pipeline()));
        SplittableRandom random = new SplittableRandom(seed);
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long sent = 0;
        try (Admin admin = Admin.create(client);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
             OutputLatency latency = OutputLatency.start(client, simulator.outputTopic())) {
            long outputBefore = endOffsetSum(admin, simulator.outputTopic());
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long nextProgress = start + Duration.ofSeconds(5).toNanos();
            double nanosPerEvent = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
            while (System.nanoTime() < end) {
                long due = start + (long) (sent * nanosPerEvent);
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                }
                SimulatedEvent event = simulator.next(random, System.currentTimeMillis());
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(event.topic(), event.key(), event.value());
                event.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, error);
                    }
                });
                sent++;
                if (System.nanoTime() >= nextProgress) {
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    progress.accept(String.format("%s: %,d events sent, %,.0f/s, %.0f s left", simulator.pipeline(), sent,
                            sent / elapsed, Math.max(0, (end - System.nanoTime()) / 1e9)));
                    nextProgress += Duration.ofSeconds(5).toNanos();
                }
            }
            producer.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (firstFailure.get() != null) {
                progress.accept("first send failure: " + firstFailure.get());
            }
            progress.accept("waiting for " + simulator.pipeline() + " to drain its input…");
            Drained drained = awaitOutputSettled(admin, start);
            long produced = drained.endOffset() - outputBefore;
            return new Result(simulator.pipeline(), sent, failed.get(), sent / seconds, produced,
                    produced / drained.seconds(), simulator.outputTopic(), seconds, latency.stop());
        }
    }

    private record Drained(long endOffset, double seconds) {
    }

    // The output rate counts up to the last growth of the output topic, so that a pipeline still catching
    // up after the producer stopped is measured over the time it really took.
    private Drained awaitOutputSettled(Admin admin, long startNanos) throws InterruptedException {
        long last = endOffsetSum(admin, simulator.outputTopic());
        long lastGrowth = System.nanoTime();
        long deadline = lastGrowth + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() - lastGrowth < SETTLED_AFTER.toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            long now = endOffsetSum(admin, simulator.outputTopic());
            if (now != last) {
                last = now;
                lastGrowth = System.nanoTime();
            }
        }
        return new Drained(last, Math.max(1e-3, (lastGrowth - startNanos) / 1e9));
    }

    static long endOffsetSum(Admin admin, String topic) {
        try {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get().values().stream().mapToLong(r -> r.offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Cannot read offsets of " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
