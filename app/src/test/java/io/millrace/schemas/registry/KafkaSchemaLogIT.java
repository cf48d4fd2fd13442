package io.millrace.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.app.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The Kafka-backed schema log, and registries sharing one topic, against the integration tests' shared broker (it lives
 * here, not in the schemas module, because that broker is the app's). Each test has a topic of its own.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KafkaSchemaLogIT {

    private static Admin admin;

    private String topic;

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestPlatform.bootstrapServers()));
    }

    @AfterAll
    static void disconnect() {
        admin.close();
    }

    @BeforeEach
    void pickTopic(TestInfo test) {
        topic = "_schemas-" + test.getTestMethod().orElseThrow().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createsASinglePartitionCompactedTopic() throws Exception {
        try (KafkaSchemaLog log = newLog()) {
            log.start((key, value) -> { });
        }

        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(description.partitions()).singleElement().satisfies(partition -> assertThat(partition.replicas()).hasSize(1));
        assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
    }

    @Test
    void appendReturnsOnlyOnceTheListenerHasTheRecord() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (KafkaSchemaLog log = newLog()) {
            log.start((key, value) -> seen.add(key + "=" + new String(value, StandardCharsets.UTF_8)));

            log.append("config:", bytes("{\"compatibilityLevel\":\"FULL\"}"));

            assertThat(seen).containsExactly("config:={\"compatibilityLevel\":\"FULL\"}");
        }
    }

    @Test
    void startReplaysEveryRecordInOrderBeforeReturning() {
        try (KafkaSchemaLog writer = newLog()) {
            writer.start((key, value) -> { });
            for (int i = 1; i <= 3; i++) {
                writer.append("record-" + i, bytes("value-" + i));
            }
        }
        List<String> replayed = new CopyOnWriteArrayList<>();

        try (KafkaSchemaLog reader = newLog()) {
            reader.start((key, value) -> replayed.add(key));

            assertThat(replayed).containsExactly("record-1", "record-2", "record-3");
        }
    }

    @Test
    void refusesAnExistingTopicThatIsNotCompacted() throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)))).all().get();

        try (KafkaSchemaLog log = newLog()) {
            assertThatThrownBy(() -> log.start((key, value) -> { }))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(50001);
                        assertThat(e.getMessage()).contains("cleanup.policy=compact");
                    });
        }
    }

    @Test
    void refusesAnExistingTopicWithSeveralPartitions() throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();

        try (KafkaSchemaLog log = newLog()) {
            assertThatThrownBy(() -> log.start((key, value) -> { }))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.getMessage()).contains("one partition"));
        }
    }

    @Test
    void anIdRegisteredByAnotherInstanceIsFoundAtOnce() {
        try (SchemaRegistry writer = new SchemaRegistry(newLog()); SchemaRegistry reader = new SchemaRegistry(newLog())) {
            writer.start();
            reader.start();
            for (int i = 0; i < 20; i++) {
                int id = writer.register("orders-" + i + "-value", event("Order" + i)).id();

                assertThat(reader.schemaById(id)).as("schema %d read right after another instance registered it", id)
                        .contains("Order" + i);
            }
        }
    }

    @Test
    void registriesSharingATopicAgreeAfterRacingAndAfterARestart() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try (SchemaRegistry first = new SchemaRegistry(newLog()); SchemaRegistry second = new SchemaRegistry(newLog())) {
            first.start();
            second.start();
            first.setCompatibility(null, "NONE");
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                SchemaRegistry registry = t % 2 == 0 ? first : second;
                int thread = t;
                workers.add(executor.submit(() -> {
                    go.await();
                    for (int i = 0; i < 8; i++) {
                        registry.register("topic-" + (thread + i) % 3 + "-value", event("E" + (i + 3 * thread) % 6));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            // A write through each instance is a barrier: read-your-write means it has applied everything before it.
            first.setCompatibility("barrier", "NONE");
            second.setCompatibility("barrier", "NONE");

            Map<String, List<RegisteredSchema>> state = state(first);
            assertThat(state(second)).isEqualTo(state);
            assertThat(idsBySchema(state)).allSatisfy((schema, ids) -> assertThat(ids).hasSize(1));
            try (SchemaRegistry restarted = new SchemaRegistry(newLog())) {
                restarted.start();
                assertThat(state(restarted)).isEqualTo(state);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void deletesReachAnotherInstanceAndSurviveARestart() {
        try (SchemaRegistry writer = new SchemaRegistry(newLog()); SchemaRegistry reader = new SchemaRegistry(newLog())) {
            writer.start();
            reader.start();
            int orderId = writer.register("orders-value", event("Order")).id();
            int refundId = writer.register("refunds-value", event("Refund")).id();

            writer.deleteSubject("orders-value", false);
            writer.deleteSubject("refunds-value", false);
            writer.deleteSubject("refunds-value", true);
            // A write through the reader is a barrier: read-your-write means it has applied everything before it.
            reader.setCompatibility("barrier", "NONE");

            assertThat(reader.subjects(true)).containsExactly("orders-value");
            assertThat(reader.subjects()).isEmpty();
            assertThat(reader.schemaById(orderId)).contains("Order");
            assertThatThrownBy(() -> reader.schemaById(refundId))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
            try (SchemaRegistry restarted = new SchemaRegistry(newLog())) {
                restarted.start();
                assertThat(restarted.subjects(true)).containsExactly("orders-value");
                assertThat(restarted.versions("orders-value", true)).containsExactly(1);
                assertThat(restarted.schemaById(orderId)).contains("Order");
            }
        }
    }

    private KafkaSchemaLog newLog() {
        return new KafkaSchemaLog(TestPlatform.bootstrapServers(), topic, Map.of());
    }

    private static Map<String, List<RegisteredSchema>> state(SchemaRegistry registry) {
        Map<String, List<RegisteredSchema>> state = new HashMap<>();
        for (String subject : registry.subjects()) {
            state.put(subject, registry.versions(subject).stream()
                    .map(version -> registry.version(subject, String.valueOf(version)))
                    .toList());
        }
        return state;
    }

    private static Map<String, Set<Integer>> idsBySchema(Map<String, List<RegisteredSchema>> state) {
        Map<String, Set<Integer>> ids = new HashMap<>();
        state.values().stream().flatMap(List::stream)
                .forEach(registered -> ids.computeIfAbsent(registered.schema(), schema -> new HashSet<>()).add(registered.id()));
        return ids;
    }

    /** A distinct record schema per name. */
    private static String event(String name) {
        return "{\"type\": \"record\", \"name\": \"" + name + "\", \"namespace\": \"events\","
                + " \"fields\": [{\"name\": \"at\", \"type\": \"long\"}]}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
