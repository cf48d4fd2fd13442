package io.millrace.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** An operator's view of a pipeline's dead-letter topic: list what failed and why, and replay it into its source topic. */
public final class DeadLetterQueue {

    static final String SOURCE_TOPIC_HEADER = "__streams.errors.topic";
    static final String REPLAYED_HEADER = "millrace.replayed-from";
    private static final Duration POLL = Duration.ofMillis(500);

    private final Map<String, Object> client;
    private final String pipeline;
    private final String topic;

    /** {@code client}: {@code bootstrap.servers} and the cluster's security settings, if any. */
    public DeadLetterQueue(Map<String, Object> client, String pipeline) {
        this.client = Map.copyOf(client);
        this.pipeline = pipeline;
        this.topic = io.millrace.topology.Pipeline.dlqOf(pipeline);
    }

    /** One dead letter, described by its metadata and error headers. */
    public record DeadLetter(long offset, Instant timestamp, String sourceTopic, String sourcePartition, String sourceOffset,
                             String exception, String message, int valueBytes) {
        public String describe() {
            return String.format("#%d %s from %s[%s]@%s: %s: %s (%d bytes)", offset, timestamp, sourceTopic, sourcePartition,
                    sourceOffset, exception, message, valueBytes);
        }
    }

    public List<DeadLetter> list(int limit) {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (letters.size() < limit && !caughtUp(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (letters.size() < limit) {
                        letters.add(describe(record));
                    }
                }
            }
        }
        return letters;
    }

    /**
     * Sends dead letters back to the topic they failed on, in order, each at most once: the position is
     * committed in the consumer group {@code millrace-dlq-replay-<pipeline>} after each batch is acknowledged.
     */
    public int replay(int limit) {
        int replayed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("millrace-dlq-replay-" + pipeline);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata position = committed.get(partition);
                if (position == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, position.offset());
                }
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (replayed < limit && !caughtUp(consumer, end)) {
                Map<TopicPartition, OffsetAndMetadata> done = new java.util.HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (replayed >= limit) {
                        break;
                    }
                    String source = header(record, SOURCE_TOPIC_HEADER);
                    if (source == null) {
                        continue;
                    }
                    ProducerRecord<byte[], byte[]> again = new ProducerRecord<>(source, record.key(), record.value());
                    again.headers().add(REPLAYED_HEADER, (topic + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
                    producer.send(again);
                    done.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    replayed++;
                }
                producer.flush();
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
            }
        }
        return replayed;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.putAll(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "millrace-dlq-" + UUID.randomUUID()));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("No dead-letter topic " + topic + " (is '" + pipeline + "' a pipeline?)");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static DeadLetter describe(ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetter(record.offset(), Instant.ofEpochMilli(record.timestamp()), header(record, SOURCE_TOPIC_HEADER),
                header(record, "__streams.errors.partition"), header(record, "__streams.errors.offset"),
                header(record, "__streams.errors.exception"), header(record, "__streams.errors.message"),
                record.value() == null ? 0 : record.value().length);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
