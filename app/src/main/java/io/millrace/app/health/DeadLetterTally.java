package io.millrace.app.health;

import io.millrace.topology.runtime.DeadLetterHandlers;
import io.millrace.topology.runtime.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what is really in each pipeline's dead-letter topic by reading it, read committed, from the beginning and
 * then as it grows: a dead letter written in a transaction that was later aborted is never counted, and the count
 * equals what an operator finds in the topic. The counts go to {@link DeadLetters}, per pipeline and failure stage.
 */
public final class DeadLetterTally implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterTally.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, String> pipelineByTopic;
    private final DeadLetters deadLetters;
    private final Thread reader;
    private volatile boolean closing;

    public DeadLetterTally(Map<String, Object> clientConfig, Map<String, String> pipelineByTopic, DeadLetters deadLetters) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-dlq-tally-" + UUID.randomUUID());
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.pipelineByTopic = Map.copyOf(pipelineByTopic);
        this.deadLetters = deadLetters;
        this.reader = new Thread(this::run, "millrace-dlq-tally");
        this.reader.setDaemon(true);
    }

    public void start() {
        reader.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = pipelineByTopic.keySet().stream()
                    .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(info -> new TopicPartition(topic, info.partition())))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!closing) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    deadLetters.committed(pipelineByTopic.get(record.topic()), stage(record));
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                log.warn("Dead-letter tally stopped unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.warn("Dead-letter tally stopped: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static String stage(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(DeadLetterHandlers.STAGE_HEADER);
        return header == null || header.value() == null ? "unknown" : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closing = true;
        if (!reader.isAlive()) {
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        consumer.wakeup();
        try {
            reader.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
