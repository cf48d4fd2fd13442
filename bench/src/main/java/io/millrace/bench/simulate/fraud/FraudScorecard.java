package io.millrace.bench.simulate.fraud;

import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.registry.HttpRegistryClient;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.fraud.FraudTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Precision and recall of the fraud pipeline on simulated traffic: joins the ground-truth labels that
 * {@code millrace simulate fraud} puts in the request headers with the decisions, by transaction id.
 * Reads only keys and headers of the raw requests, never their values.
 *
 * <p>{@code java -cp 'app/target/millrace-app.jar:app/target/lib/*' io.millrace.bench.simulate.fraud.FraudScorecard
 * <bootstrap-servers> <schema-registry-url> <since-epoch-millis>}
 */
public final class FraudScorecard {

    private record Label(boolean fraud, String pattern) {
    }

    private FraudScorecard() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: FraudScorecard <bootstrap-servers> <schema-registry-url> <since-epoch-millis>");
            System.exit(2);
        }
        System.out.print(measure(args[0], args[1], Long.parseLong(args[2])).summary());
    }

    public static Scorecard measure(String bootstrapServers, String registryUrl, long since) {
        Map<String, Label> labels = new HashMap<>();
        read(bootstrapServers, FraudTopics.AUTHORIZATION_REQUESTS, since, record -> {
            String label = header(record, FraudSimulator.LABEL_HEADER);
            if (label != null && record.key() != null) {
                labels.putIfAbsent(new String(record.key(), StandardCharsets.UTF_8),
                        new Label(FraudSimulator.FRAUD.equals(label), header(record, FraudSimulator.PATTERN_HEADER)));
            }
        });
        Deserializer<AuthorizationDecision> decisions = new AvroSerdes(new HttpRegistryClient(registryUrl))
                .value(AuthorizationDecision.class).deserializer();
        Map<String, AuthorizationDecision> first = new HashMap<>();
        read(bootstrapServers, FraudTopics.DECISIONS, since, record -> {
            AuthorizationDecision decision = decisions.deserialize(record.topic(), record.value());
            first.putIfAbsent(decision.getTransactionId(), decision);
        });
        Scorecard scorecard = new Scorecard();
        first.forEach((transactionId, decision) -> {
            Label label = labels.get(transactionId);
            if (label != null) {
                scorecard.add(label.fraud(), label.pattern(), decision.getDecision().name(), decision.getReasons());
            }
        });
        return scorecard;
    }

    private static void read(String bootstrapServers, String topic, long since, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.CLIENT_ID_CONFIG, "millrace-scorecard-" + UUID.randomUUID()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, since));
            Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp offset = start.get(partition);
                consumer.seek(partition, offset == null ? end.get(partition) : offset.offset());
            }
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
