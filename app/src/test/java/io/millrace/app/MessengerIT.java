package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.schemas.messenger.CreateGroup;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.schemas.messenger.Presence;
import io.millrace.schemas.messenger.PresenceStatus;
import io.millrace.schemas.messenger.ReadReceipt;
import io.millrace.schemas.messenger.ReceiptStatus;
import io.millrace.topology.Topic;
import io.millrace.topology.messenger.MessengerTopics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The messenger in the running app: messages sent over HTTP are fanned out, and every query answers from the stores. */
class MessengerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void sendsOverHttpAnswersEveryQueryAndKeepsSequencesAcrossARestart() throws Exception {
        String group = "trip-" + UUID.randomUUID().toString().substring(0, 8);
        String conversationPath = "/api/messenger/conversations/" + group + "/messages";
        try (Platform app = TestPlatform.start("messenger")) {
            TestPlatform.awaitRunning(app, PATIENCE);
            MessengerTopics topics = new MessengerTopics(app.pipelineContext().serdes());
            try (KafkaProducer<byte[], byte[]> producer = producer(app)) {
                send(producer, topics.groupCommands(), group, new GroupCommand(group, "ana", new CreateGroup(List.of("ben", "chloe")),
                        System.currentTimeMillis()));
                JsonNode group1 = json(TestPlatform.awaitGet(app, "/api/messenger/groups/" + group, ok(), PATIENCE), 200);
                assertThat(group1.get("owner").asText()).isEqualTo("ana");
                assertThat(group1.get("members")).hasSize(3);

                JsonNode accepted = json(postMessage(app, "m1-" + group, "ana", "GROUP", group, "Ferry leaves at 7:40 from pier 3"), 202);
                assertThat(accepted.get("conversation").asText()).isEqualTo(group);
                assertThat(accepted.get("topic").asText()).isEqualTo(MessengerTopics.MESSAGES);
                assertThat(accepted.get("offset").asLong()).isGreaterThanOrEqualTo(0);
                json(postMessage(app, "m2-" + group, "ana", "GROUP", group, "I'll bring the ferry tickets"), 202);

                JsonNode inbox = json(TestPlatform.awaitGet(app, "/api/messenger/users/ben/inbox",
                        body(b -> b.toString().contains("m2-" + group)), PATIENCE), 200);
                JsonNode entry = find(inbox, "conversation", group);
                assertThat(entry.get("unread").asLong()).isEqualTo(2);
                assertThat(entry.get("lastMessage").get("body").asText()).isEqualTo("I'll bring the ferry tickets");

                JsonNode page = json(TestPlatform.get(app, conversationPath + "?limit=1"), 200);
                assertThat(page.get("messages").get(0).get("sequence").asLong()).isEqualTo(2);
                assertThat(page.get("nextBefore").asLong()).isEqualTo(2);
                JsonNode older = json(TestPlatform.get(app, conversationPath + "?before=2"), 200);
                assertThat(older.get("messages").get(0).get("body").asText()).isEqualTo("Ferry leaves at 7:40 from pier 3");

                JsonNode status = json(TestPlatform.get(app, "/api/messenger/messages/m1-" + group + "/status"), 200);
                assertThat(status.get("status").asText()).isEqualTo("COMPLETE");
                assertThat(status.get("result").get("recipients")).hasSize(2);
                send(producer, topics.receipts(), "ben", new ReadReceipt("ben", group, 2L, ReceiptStatus.READ, System.currentTimeMillis()));
                TestPlatform.awaitGet(app, "/api/messenger/messages/m1-" + group + "/status",
                        body(b -> find(b.get("result").get("recipients"), "user", "ben").get("state").asText().equals("READ")), PATIENCE);
                JsonNode afterReading = json(TestPlatform.awaitGet(app, "/api/messenger/users/ben/inbox",
                        body(b -> find(b, "conversation", group).get("unread").asLong() == 0), PATIENCE), 200);
                assertThat(find(afterReading, "conversation", group).get("readUpTo").asLong()).isEqualTo(2);

                send(producer, topics.presence(), "ben", new Presence("ben", PresenceStatus.ONLINE, System.currentTimeMillis()));
                JsonNode presence = json(TestPlatform.awaitGet(app, "/api/messenger/users/ben/presence", ok(), PATIENCE), 200);
                assertThat(presence.get("online").asBoolean()).isTrue();

                JsonNode hits = json(TestPlatform.get(app, "/api/messenger/users/chloe/search?q=ferry%20pier"), 200);
                assertThat(hits).hasSize(1);
                assertThat(hits.get(0).get("messageId").asText()).isEqualTo("m1-" + group);

                assertThat(json(TestPlatform.get(app, "/api/messenger/groups/no-such-group"), 404).get("error").asText())
                        .isEqualTo("not_found");
                assertThat(TestPlatform.get(app, "/api/messenger/messages/no-such-message/status").statusCode()).isEqualTo(404);
                assertThat(TestPlatform.get(app, "/api/messenger/users/never-seen/presence").statusCode()).isEqualTo(404);
                assertThat(TestPlatform.get(app, "/api/messenger/users/ben/inbox?limit=0").statusCode()).isEqualTo(400);
                assertThat(TestPlatform.get(app, "/api/messenger/users/ben/search?q=").statusCode()).isEqualTo(400);
                assertThat(json(postMessage(app, "m3-" + group, "ana", "GROUP", group, "x".repeat(70_000)), 400)
                        .get("detail").asText()).startsWith("BODY_TOO_LARGE");
                assertThat(TestPlatform.post(app, "/api/messenger/messages", "{\"sender\":\"ana\",\"conversationType\":\"SMOKE\"}")
                        .statusCode()).isEqualTo(400);

                producer.send(new ProducerRecord<>(MessengerTopics.MESSAGES, "ana".getBytes(StandardCharsets.UTF_8),
                        "\u0007not avro".getBytes(StandardCharsets.UTF_8))).get();
                assertThat(awaitDeadLetter(app)).as("undecodable bytes reach messenger.dlq under exactly-once").isTrue();
                assertThat(TestPlatform.get(app, "/openapi.json").body()).contains("/api/messenger/users/{user}/inbox");
            }
        }

        try (Platform restarted = TestPlatform.start("messenger")) {
            TestPlatform.awaitRunning(restarted, PATIENCE);
            json(postMessage(restarted, "m4-" + group, "ben", "GROUP", group, "see you on board"), 202);
            JsonNode page = json(TestPlatform.awaitGet(restarted, conversationPath,
                    body(b -> b.get("messages").get(0).get("messageId").asText().equals("m4-" + group)), PATIENCE), 200);
            assertThat(page.get("messages")).extracting(m -> m.get("sequence").asLong()).containsExactly(3L, 2L, 1L);
        }
    }

    private static HttpResponse<String> postMessage(Platform app, String messageId, String sender, String type, String to, String body)
            throws Exception {
        String json = JSON.writeValueAsString(Map.of("messageId", messageId, "sender", sender, "conversationType", type, "to", to,
                "body", body));
        return TestPlatform.post(app, "/api/messenger/messages", json);
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value))).get();
    }

    private static KafkaProducer<byte[], byte[]> producer(Platform app) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static boolean awaitDeadLetter(Platform app) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "messenger-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("messenger.dlq"));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (new String(record.value(), StandardCharsets.UTF_8).equals("\u0007not avro")) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (node.get(field).asText().equals(value)) {
                return node;
            }
        }
        throw new AssertionError("no element with " + field + "=" + value + " in " + array);
    }

    private static Predicate<HttpResponse<String>> ok() {
        return response -> response.statusCode() == 200;
    }

    private static Predicate<HttpResponse<String>> body(Predicate<JsonNode> condition) {
        return response -> {
            if (response.statusCode() != 200) {
                return false;
            }
            try {
                return condition.test(JSON.readTree(response.body()));
            } catch (Exception | AssertionError e) {
                return false;
            }
        };
    }

    private static JsonNode json(HttpResponse<String> response, int expectedStatus) throws Exception {
        assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
