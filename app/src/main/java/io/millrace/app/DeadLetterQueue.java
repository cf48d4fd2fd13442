package io.millrace.app;

import io.millrace.api.dashboard.DeadLetterBrowser;
import io.millrace.topology.runtime.DeadLetterHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

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

    /** Listens to a replay as it goes. */
    public interface Progress {

        /** A letter was sent back to its source topic. */
        default void replayed() {
        }

        /** A letter had been replayed before, and was not sent again. */
        default void alreadyReplayed() {
        }

        /** A chosen letter is not in the topic (an aborted write, or gone with the topic's retention). */
        default void missing() {
        }
    }

    /**
     * The newest {@code limit} letters, newest first, with where each failed, why, and at most
     * {@link DeadLetterBrowser#SHOWN_BYTES} of its key and value; and whether it has been replayed.
     */
    public List<DeadLetterBrowser.Letter> latest(int limit) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<TopicPartition, ReplayedLetters> replayed;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(replayGroup())) {
            List<TopicPartition> partitions = partitions(consumer);
            replayed = replayed(consumer, partitions);
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - limit));
            }
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!caughtUp(consumer, end) && System.nanoTime() < deadline) {
                consumer.poll(POLL).forEach(records::add);
            }
        }
        return records.stream()
                // A letter's timestamp is its source record's, not when it failed: the newest letters are the last written.
                .sorted(Comparator.comparingLong((ConsumerRecord<byte[], byte[]> r) -> r.offset()).thenComparingInt(ConsumerRecord::partition)
                        .reversed())
                .limit(limit)
                .map(record -> letter(record, replayed.get(new TopicPartition(record.topic(), record.partition()))
                        .contains(record.offset())))
                .toList();
    }

    /** Replays up to {@code limit} letters not replayed yet, oldest first; returns how many were sent back. */
    public int replay(int limit) {
        int[] replayed = {0};
        replayPending(limit, new Progress() {
            @Override
            public void replayed() {
                replayed[0]++;
            }
        });
        return replayed[0];
    }

    /**
     * Sends dead letters back to the topic they failed on, in order, each at most once: which ones were replayed is
     * committed in the consumer group {@code millrace-dlq-replay-<pipeline>} after each batch is acknowledged (see
     * {@link ReplayedLetters}), so letters replayed one by one before are passed over.
     */
    public void replayPending(int limit, Progress progress) {
        int sent = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(replayGroup()); KafkaProducer<byte[], byte[]> producer = producer()) {
            List<TopicPartition> partitions = partitions(consumer);
            Map<TopicPartition, ReplayedLetters> replayed = replayed(consumer, partitions);
            consumer.assign(partitions);
            partitions.forEach(partition -> consumer.seek(partition, replayed.get(partition).position()));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (sent < limit && !caughtUp(consumer, end)) {
                java.util.Set<TopicPartition> touched = new java.util.HashSet<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (sent >= limit) {
                        break;
                    }
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    ReplayedLetters letters = replayed.get(partition);
                    touched.add(partition);
                    if (letters.contains(record.offset())) {
                        progress.alreadyReplayed();
                    } else if (send(producer, record)) {
                        sent++;
                        progress.replayed();
                    }
                    letters.passTo(record.offset() + 1);
                }
                producer.flush();
                commit(consumer, replayed, touched);
            }
        }
    }

    /** Replays the letters with these ids ({@code partition:offset}), each unless it was replayed before. */
    public void replay(java.util.Collection<String> ids, Progress progress) {
        Map<Integer, java.util.TreeSet<Long>> chosen = new java.util.TreeMap<>();
        for (String id : ids) {
            String[] parts = id.split(":", 2);
            chosen.computeIfAbsent(Integer.parseInt(parts[0]), p -> new java.util.TreeSet<>()).add(Long.parseLong(parts[1]));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(replayGroup()); KafkaProducer<byte[], byte[]> producer = producer()) {
            List<TopicPartition> partitions = partitions(consumer);
            Map<TopicPartition, ReplayedLetters> replayed = replayed(consumer, partitions);
            for (Map.Entry<Integer, java.util.TreeSet<Long>> entry : chosen.entrySet()) {
                TopicPartition partition = new TopicPartition(topic, entry.getKey());
                ReplayedLetters letters = replayed.get(partition);
                if (letters == null) {
                    entry.getValue().forEach(offset -> progress.missing());
                    continue;
                }
                consumer.assign(List.of(partition));
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                for (long offset : entry.getValue()) {
                    if (letters.contains(offset)) {
                        progress.alreadyReplayed();
                        continue;
                    }
                    Optional<ConsumerRecord<byte[], byte[]>> record = offset < end ? read(consumer, partition, offset, end) : Optional.empty();
                    if (record.isPresent() && send(producer, record.get())) {
                        letters.mark(offset);
                        progress.replayed();
                    } else {
                        progress.missing();
                    }
                }
                producer.flush();
                commit(consumer, replayed, java.util.Set.of(partition));
            }
        }
    }

    /** The record at {@code offset}, if the topic still holds it (read committed). */
    private static Optional<ConsumerRecord<byte[], byte[]>> read(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long offset,
                                                                 long end) {
        consumer.seek(partition, offset);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (consumer.position(partition) <= offset && consumer.position(partition) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (record.offset() == offset) {
                    return Optional.of(record);
                }
                if (record.offset() > offset) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Re-produces a letter to its source topic, marked as replayed; false for a letter that names no source topic. */
    private boolean send(KafkaProducer<byte[], byte[]> producer, ConsumerRecord<byte[], byte[]> record) {
        String source = header(record, SOURCE_TOPIC_HEADER);
        if (source == null) {
            return false;
        }
        ProducerRecord<byte[], byte[]> again = new ProducerRecord<>(source, record.key(), record.value());
        again.headers().add(REPLAYED_HEADER, (topic + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
        producer.send(again);
        return true;
    }

    private Map<TopicPartition, ReplayedLetters> replayed(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, ReplayedLetters> replayed = new java.util.HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata position = committed.get(partition);
            // Letters that retention removed are gone either way: the position never points before the first one kept.
            long from = Math.max(begin.get(partition), position == null ? 0 : position.offset());
            replayed.put(partition, ReplayedLetters.of(from, Optional.ofNullable(position).map(OffsetAndMetadata::metadata)));
        }
        return replayed;
    }

    private static void commit(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, ReplayedLetters> replayed,
                               java.util.Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> commits = new java.util.HashMap<>();
        partitions.forEach(p -> commits.put(p, new OffsetAndMetadata(replayed.get(p).position(), replayed.get(p).metadata())));
        if (!commits.isEmpty()) {
            consumer.commitSync(commits);
        }
    }

    private String replayGroup() {
        return "millrace-dlq-replay-" + pipeline;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
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

    private static DeadLetterBrowser.Letter letter(ConsumerRecord<byte[], byte[]> record, boolean replayed) {
        return new DeadLetterBrowser.Letter(record.partition() + ":" + record.offset(), record.partition(), record.offset(),
                record.timestamp(), header(record, DeadLetterHandlers.STAGE_HEADER), header(record, SOURCE_TOPIC_HEADER),
                header(record, "__streams.errors.partition"), header(record, "__streams.errors.offset"),
                header(record, "__streams.errors.exception"), header(record, "__streams.errors.message"),
                shown(header(record, "__streams.errors.stacktrace")), record.headers().lastHeader(DeadLetterHandlers.REDACTED_HEADER) != null,
                replayed, length(record.key()), base64(record.key()), length(record.value()), base64(record.value()));
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static String base64(byte[] bytes) {
        return bytes == null ? "" : Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, Math.min(bytes.length, DeadLetterBrowser.SHOWN_BYTES)));
    }

    private static String shown(String text) {
        return text == null || text.length() <= DeadLetterBrowser.SHOWN_BYTES ? text : text.substring(0, DeadLetterBrowser.SHOWN_BYTES) + "…";
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
