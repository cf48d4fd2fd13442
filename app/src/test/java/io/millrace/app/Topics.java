package io.millrace.app;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionTimeoutException;

/** Integration-test access to the shared broker's topics as bytes: write records as a producer would, read what is committed. */
final class Topics {

    private Topics() {
    }

    static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestPlatform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends and waits for the broker's acknowledgement. */
    static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not write to " + topic, e);
        }
    }

    static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** Every committed record of {@code topic} up to its end right now (aborted transactions' records excluded). */
    static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        return committed(TestPlatform.bootstrapServers(), topic);
    }

    /** The same on another broker than the shared one. */
    static List<ConsumerRecord<byte[], byte[]>> committed(String bootstrapServers, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, "read_committed");
        try {
            return readToEnd(consumer, topic, Duration.ofSeconds(30));
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /**
     * Every record of {@code topic} from its beginning to its end right now, read by {@code consumer} (which it assigns
     * and seeks), waiting at most {@code timeout}.
     */
    static List<ConsumerRecord<byte[], byte[]>> readToEnd(KafkaConsumer<byte[], byte[]> consumer, String topic, Duration timeout) {
        List<TopicPartition> partitions = fromTheBeginning(consumer, topic);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try {
            await().atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        } catch (ConditionTimeoutException e) {
            // An assertion, so that a caller waiting with untilAsserted reads again rather than giving up.
            throw new AssertionError("Could not read " + topic + " to its end " + end + " within " + timeout, e);
        }
        return records;
    }

    /** Waits until a committed record of {@code topic} (read from its beginning) matches {@code match}; returns it. */
    static ConsumerRecord<byte[], byte[]> awaitCommitted(String topic, Predicate<ConsumerRecord<byte[], byte[]>> match,
                                                         Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(TestPlatform.bootstrapServers(), "read_committed")) {
            fromTheBeginning(consumer, topic);
            AtomicReference<ConsumerRecord<byte[], byte[]>> found = new AtomicReference<>();
            await("a matching record on " + topic).atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10)).until(() -> {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                            if (match.test(record)) {
                                found.set(record);
                                return true;
                            }
                        }
                        return false;
                    });
            return found.get();
        }
    }

    /** A consumer of no group (it commits nothing) that reads with the given isolation level. */
    static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String isolationLevel) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "it-reader-" + UUID.randomUUID()), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Assigns every partition of {@code topic} to {@code consumer}, positioned at the beginning; returns them. */
    static List<TopicPartition> fromTheBeginning(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
