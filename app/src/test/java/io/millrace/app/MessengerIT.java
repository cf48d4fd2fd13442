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
import io.millrace.schemas.messenger.UserEvent;
import io.millrace.schemas.messenger.UserEventKind;
import io.millrace.topology.Topic;
import io.millrace.topology.messenger.MessengerTopics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The messenger in the running app: messages sent over HTTP are fanned out, and every query answers from the stores.
 * The tests share one app; each has its own group and users, so that none sees another's messages.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MessengerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String FERRY = "Ferry leaves at 7:40 from pier 3";
    private static final String TICKETS = "I'll bring the ferry tickets";

    private static Platform app;
    private static MessengerTopics topics;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void start() {
        app = startMessenger();
        producer = Topics.producer();
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void createsAGroupFromACommandWithItsOwnerAndMembers() throws Exception {
        Trip trip = Trip.planned();

        send(topics.groupCommands(), trip.group, new GroupCommand(trip.group, trip.ana, new CreateGroup(List.of(trip.ben, trip.chloe)),
                System.currentTimeMillis()));

        JsonNode group = json(TestPlatform.as(app, trip.ana).awaitGet("/api/messenger/groups/" + trip.group, ok(), PATIENCE), 200);
        assertThat(group.get("owner").asText()).isEqualTo(trip.ana);
        assertThat(group.get("members")).hasSize(3);
    }

    @Test
    void acceptsAMessageWith202AndWhereItWasWritten() throws Exception {
        Trip trip = Trip.created();

        HttpResponse<String> response = postMessage(trip.message(1), trip.ana, trip.group, FERRY);

        JsonNode accepted = json(response, 202);
        assertThat(accepted.get("conversation").asText()).isEqualTo(trip.group);
        assertThat(accepted.get("topic").asText()).isEqualTo(MessengerTopics.MESSAGES);
        assertThat(accepted.get("offset").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void fansAGroupMessageOutToTheInboxOfEveryOtherMember() throws Exception {
        Trip trip = Trip.withTwoMessages();

        for (String member : List.of(trip.ben, trip.chloe)) {
            JsonNode inbox = json(TestPlatform.as(app, member).awaitGet("/api/messenger/users/" + member + "/inbox",
                    body(b -> b.toString().contains(trip.message(2))), PATIENCE), 200);
            JsonNode entry = find(inbox, "conversation", trip.group);
            assertThat(entry.get("unread").asLong()).as("unread of %s", member).isEqualTo(2);
            assertThat(entry.get("lastMessage").get("body").asText()).isEqualTo(TICKETS);
        }
    }

    @Test
    void pagesAConversationNewestFirst() throws Exception {
        Trip trip = Trip.withTwoMessages();
        TestPlatform.as(app, trip.ben).awaitGet(trip.conversation(), body(b -> b.get("messages").size() == 2), PATIENCE);

        JsonNode page = json(TestPlatform.as(app, trip.ben).get(trip.conversation() + "?limit=1"), 200);
        JsonNode older = json(TestPlatform.as(app, trip.ben).get(trip.conversation() + "?before=2"), 200);

        assertThat(page.get("messages").get(0).get("sequence").asLong()).isEqualTo(2);
        assertThat(page.get("nextBefore").asLong()).isEqualTo(2);
        assertThat(older.get("messages").get(0).get("body").asText()).isEqualTo(FERRY);
    }

    @Test
    void reportsTheDeliveryOfAMessageToEachRecipient() throws Exception {
        Trip trip = Trip.withTwoMessages();
        TestPlatform.as(app, trip.ben).awaitGet("/api/messenger/users/" + trip.ben + "/inbox", body(b -> b.toString().contains(trip.message(2))), PATIENCE);

        JsonNode status = json(TestPlatform.as(app, trip.ana).get("/api/messenger/messages/" + trip.message(1) + "/status"), 200);

        assertThat(status.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(status.get("result").get("recipients")).hasSize(2);
    }

    @Test
    void aReadReceiptMarksTheMessageReadAndClearsTheReadersUnreadCount() throws Exception {
        Trip trip = Trip.withTwoMessages();
        TestPlatform.as(app, trip.ben).awaitGet("/api/messenger/users/" + trip.ben + "/inbox", body(b -> b.toString().contains(trip.message(2))), PATIENCE);

        send(topics.receipts(), trip.ben, new ReadReceipt(trip.ben, trip.group, 2L, ReceiptStatus.READ, System.currentTimeMillis()));

        TestPlatform.as(app, trip.ana).awaitGet("/api/messenger/messages/" + trip.message(1) + "/status",
                body(b -> find(b.get("result").get("recipients"), "user", trip.ben).get("state").asText().equals("READ")), PATIENCE);
        JsonNode afterReading = json(TestPlatform.as(app, trip.ben).awaitGet("/api/messenger/users/" + trip.ben + "/inbox",
                body(b -> find(b, "conversation", trip.group).get("unread").asLong() == 0), PATIENCE), 200);
        assertThat(find(afterReading, "conversation", trip.group).get("readUpTo").asLong()).isEqualTo(2);
    }

    @Test
    void showsAUserOnlineOnceTheyReportPresence() throws Exception {
        String ben = Trip.planned().ben;

        send(topics.presence(), ben, new Presence(ben, PresenceStatus.ONLINE, System.currentTimeMillis()));

        JsonNode presence = json(TestPlatform.as(app, ben).awaitGet("/api/messenger/users/" + ben + "/presence", ok(), PATIENCE), 200);
        assertThat(presence.get("online").asBoolean()).isTrue();
    }

    @Test
    void findsOnlyTheMessagesThatContainEverySearchTerm() throws Exception {
        Trip trip = Trip.withTwoMessages();
        String search = "/api/messenger/users/" + trip.chloe + "/search?q=";
        TestPlatform.as(app, trip.chloe).awaitGet(search + "ferry", body(b -> b.size() == 2), PATIENCE);

        JsonNode hits = json(TestPlatform.as(app, trip.chloe).get(search + "ferry%20pier"), 200);

        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).get("messageId").asText()).isEqualTo(trip.message(1));
    }

    @Test
    void answers404ForAGroupAMessageOrAUserNeverSeen() throws Exception {
        assertThat(json(TestPlatform.as(app, "ana").get("/api/messenger/groups/no-such-group"), 404).get("error").asText()).isEqualTo("not_found");
        assertThat(TestPlatform.as(app, "ana").get("/api/messenger/messages/no-such-message/status").statusCode()).isEqualTo(404);
        assertThat(TestPlatform.as(app, "never-seen").get("/api/messenger/users/never-seen/presence").statusCode()).isEqualTo(404);
    }

    @Test
    void answersMalformedRequestsWith400() throws Exception {
        String ben = Trip.planned().ben;

        assertThat(TestPlatform.as(app, ben).get("/api/messenger/users/" + ben + "/inbox?limit=0").statusCode()).isEqualTo(400);
        assertThat(TestPlatform.as(app, ben).get("/api/messenger/users/" + ben + "/search?q=").statusCode()).isEqualTo(400);
        assertThat(TestPlatform.as(app, "ana").post("/api/messenger/messages", "{\"sender\":\"ana\",\"conversationType\":\"SMOKE\"}")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void refusesABodyOverTheLimitWithBodyTooLarge() throws Exception {
        Trip trip = Trip.created();

        HttpResponse<String> response = postMessage(trip.message(1), trip.ana, trip.group, "x".repeat(70_000));

        assertThat(json(response, 400).get("detail").asText()).startsWith("BODY_TOO_LARGE");
    }

    @Test
    void deadLettersUndecodableBytesUnderExactlyOnce() throws Exception {
        String ana = Trip.planned().ana;
        String junk = "\u0007not avro, from " + ana;

        producer.send(new ProducerRecord<>(MessengerTopics.MESSAGES, Topics.utf8(ana), Topics.utf8(junk))).get();

        ConsumerRecord<byte[], byte[]> letter = Topics.awaitCommitted("messenger.dlq", r -> junk.equals(Topics.text(r.value())), PATIENCE);
        assertThat(Topics.text(letter.key())).as("undecodable bytes reach messenger.dlq under exactly-once, key and all").isEqualTo(ana);
    }

    @Test
    void openApiDocumentListsTheInbox() throws Exception {
        assertThat(TestPlatform.get(app, "/openapi.json").body()).contains("/api/messenger/users/{user}/inbox");
    }

    @Test
    void keepsConversationSequencesAcrossARestart() throws Exception {
        Trip trip = Trip.withTwoMessages();
        TestPlatform.as(app, trip.ben).awaitGet(trip.conversation(), body(b -> b.get("messages").size() == 2), PATIENCE);

        app.close();
        app = startMessenger();
        json(postMessage(trip.message(3), trip.ben, trip.group, "see you on board"), 202);

        JsonNode page = json(TestPlatform.as(app, trip.ben).awaitGet(trip.conversation(),
                body(b -> b.get("messages").get(0).get("messageId").asText().equals(trip.message(3))), PATIENCE), 200);
        assertThat(page.get("messages")).extracting(m -> m.get("sequence").asLong()).containsExactly(3L, 2L, 1L);
    }

    @Test
    void createsAGroupOverHttpOwnedByTheCallerWithItsNameAndMembers() throws Exception {
        Trip trip = Trip.planned();

        JsonNode accepted = json(call(trip.ana, "POST", "/api/messenger/groups", Map.of("groupId", trip.group, "name", "Ferry trip",
                "members", List.of(trip.ben, trip.chloe))), 202);

        assertThat(accepted.get("groupId").asText()).isEqualTo(trip.group);
        assertThat(accepted.get("topic").asText()).isEqualTo(MessengerTopics.GROUP_COMMANDS);
        JsonNode group = json(TestPlatform.as(app, trip.ben).awaitGet(trip.groupPath(), body(g -> g.has("name")), PATIENCE), 200);
        assertThat(group.get("owner").asText()).isEqualTo(trip.ana);
        assertThat(group.get("name").asText()).isEqualTo("Ferry trip");
        assertThat(group.get("members")).extracting(m -> m.get("user").asText()).containsExactly(trip.ana, trip.ben, trip.chloe);
    }

    @Test
    void addsRemovesAndHandsOverMembersOverHttpAsTheGroupsRulesAllow() throws Exception {
        Trip trip = Trip.createdOverHttp();
        String dev = "dev-" + trip.group;

        json(call(trip.ana, "POST", trip.groupPath() + "/members", Map.of("user", dev)), 202);
        TestPlatform.as(app, dev).awaitGet(trip.groupPath(), body(g -> g.toString().contains(dev)), PATIENCE);
        json(call(trip.ana, "DELETE", trip.groupPath() + "/members/" + trip.ben, null), 202);
        json(call(trip.ana, "PUT", trip.groupPath() + "/owner", Map.of("owner", trip.chloe)), 202);

        JsonNode group = json(TestPlatform.as(app, trip.chloe).awaitGet(trip.groupPath(),
                body(g -> g.get("owner").asText().equals(trip.chloe)), PATIENCE), 200);
        assertThat(group.get("members")).extracting(m -> m.get("user").asText()).containsExactly(trip.ana, trip.chloe, dev);

        String eve = "eve-" + trip.group;
        json(call(trip.ana, "POST", trip.groupPath() + "/members", Map.of("user", eve)), 202);
        ConsumerRecord<byte[], byte[]> refused = Topics.awaitCommitted("messenger.rejected", r -> Topics.text(r.value()).contains(eve),
                PATIENCE);
        assertThat(Topics.text(refused.value())).as("ana handed the group over: the pipeline refuses her").contains("NOT_OWNER");
    }

    @Test
    void refusesMalformedGroupChangesWith400AndActingAsSomeoneElseWith403() throws Exception {
        Trip trip = Trip.createdOverHttp();
        List<String> crowd = java.util.stream.IntStream.rangeClosed(1, 150).mapToObj(i -> "u" + i).toList();

        assertThat(detail(call(trip.ana, "POST", "/api/messenger/groups", Map.of("members", List.of("not an id"))), 400))
                .startsWith("MALFORMED_ID");
        assertThat(detail(call(trip.ana, "POST", "/api/messenger/groups", Map.of("members", crowd)), 400)).startsWith("GROUP_FULL");
        assertThat(detail(call(trip.ana, "POST", "/api/messenger/groups", Map.of("name", "a|b", "members", List.of())), 400))
                .startsWith("INVALID_NAME");
        assertThat(detail(call(trip.ana, "POST", trip.groupPath() + "/members", Map.of("user", "not an id")), 400))
                .startsWith("MALFORMED_ID");
        assertThat(call(trip.ana, "DELETE", "/api/messenger/groups/not%20an%20id/members/" + trip.ben, null).statusCode()).isEqualTo(400);
        assertThat(call(trip.ana, "PUT", trip.groupPath() + "/owner", Map.of()).statusCode()).isEqualTo(400);

        assertThat(call(trip.ben, "POST", "/api/messenger/groups", Map.of("owner", trip.ana, "members", List.of())).statusCode())
                .isEqualTo(403);
        assertThat(call(trip.ben, "POST", trip.groupPath() + "/members", Map.of("user", "x1", "actor", trip.ana)).statusCode())
                .isEqualTo(403);
        assertThat(call(trip.ben, "PUT", trip.groupPath() + "/owner", Map.of("owner", trip.ben, "actor", trip.ana)).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aReadReceiptOverHttpMarksTheMessageReadForItsSender() throws Exception {
        Trip trip = Trip.withTwoMessages();
        TestPlatform.as(app, trip.ben).awaitGet(trip.inbox(trip.ben), body(b -> b.toString().contains(trip.message(2))), PATIENCE);

        JsonNode accepted = json(call(trip.ben, "POST", "/api/messenger/receipts", Map.of("conversation", trip.group, "upTo", 2,
                "status", "READ")), 202);

        assertThat(accepted.get("topic").asText()).isEqualTo(MessengerTopics.RECEIPTS);
        TestPlatform.as(app, trip.ana).awaitGet("/api/messenger/messages/" + trip.message(2) + "/status",
                body(b -> find(b.get("result").get("recipients"), "user", trip.ben).get("state").asText().equals("READ")), PATIENCE);
        TestPlatform.as(app, trip.ben).awaitGet(trip.inbox(trip.ben), body(b -> find(b, "conversation", trip.group).get("unread").asLong() == 0),
                PATIENCE);
    }

    @Test
    void refusesMalformedReceiptsWith400AndReceiptsForSomeoneElseWith403() throws Exception {
        Trip trip = Trip.planned();

        assertThat(detail(call(trip.ben, "POST", "/api/messenger/receipts", Map.of("conversation", trip.group, "upTo", 0,
                "status", "READ")), 400)).startsWith("INVALID_SEQUENCE");
        assertThat(detail(call(trip.ben, "POST", "/api/messenger/receipts", Map.of("conversation", "dm:zed:amy", "upTo", 1,
                "status", "READ")), 400)).startsWith("MALFORMED_ID");
        assertThat(call(trip.ben, "POST", "/api/messenger/receipts", Map.of("conversation", trip.group, "upTo", 1)).statusCode())
                .isEqualTo(400);
        assertThat(call(trip.ben, "POST", "/api/messenger/receipts", Map.of("conversation", trip.group, "upTo", 1, "status", "READ",
                "user", trip.ana)).statusCode()).isEqualTo(403);
    }

    @Test
    void presenceHeartbeatsOverHttpShowTheCallerOnlineAwayAndOffline() throws Exception {
        String ben = Trip.planned().ben;
        String presence = "/api/messenger/users/" + ben + "/presence";

        json(call(ben, "POST", "/api/messenger/presence", Map.of()), 202);
        TestPlatform.as(app, ben).awaitGet(presence, body(p -> p.get("online").asBoolean() && !p.get("away").asBoolean()), PATIENCE);
        json(call(ben, "POST", "/api/messenger/presence", Map.of("status", "AWAY")), 202);
        TestPlatform.as(app, ben).awaitGet(presence, body(p -> p.get("online").asBoolean() && p.get("away").asBoolean()), PATIENCE);
        json(call(ben, "POST", "/api/messenger/presence", Map.of("status", "OFFLINE")), 202);
        TestPlatform.as(app, ben).awaitGet(presence, body(p -> !p.get("online").asBoolean()), PATIENCE);

        assertThat(call(ben, "POST", "/api/messenger/presence", Map.of("status", "BUSY")).statusCode()).isEqualTo(400);
        assertThat(call(ben, "POST", "/api/messenger/presence", Map.of("user", "someone-else")).statusCode()).isEqualTo(403);
    }

    @Test
    void typingOverHttpShowsInPresenceAndReachesTheOtherMembersLiveEvents() throws Exception {
        Trip trip = Trip.withTwoMessages();
        // The group's roster reaches ana's task after the group is created, as her deliveries do: once she has them, it has.
        TestPlatform.as(app, trip.ana).awaitGet(trip.inbox(trip.ana), body(b -> b.toString().contains(trip.message(2))), PATIENCE);
        String presence = "/api/messenger/users/" + trip.ana + "/presence";

        json(call(trip.ana, "POST", "/api/messenger/typing", Map.of("conversation", trip.group, "typing", true)), 202);

        TestPlatform.as(app, trip.ana).awaitGet(presence, body(p -> p.get("typingIn").toString().contains(trip.group)), PATIENCE);
        ConsumerRecord<byte[], byte[]> told = Topics.awaitCommitted(MessengerTopics.USER_EVENTS,
                r -> Topics.text(r.key()).equals(trip.ben) && event(r).getKind() == UserEventKind.TYPING, PATIENCE);
        assertThat(event(told).getActor()).isEqualTo(trip.ana);
        assertThat(event(told).getConversation()).isEqualTo(trip.group);
        json(call(trip.ana, "POST", "/api/messenger/typing", Map.of("conversation", trip.group, "typing", false)), 202);
        TestPlatform.as(app, trip.ana).awaitGet(presence, body(p -> p.get("typingIn").isEmpty()), PATIENCE);

        assertThat(detail(call(trip.ana, "POST", "/api/messenger/typing", Map.of("conversation", "dm:b:a", "typing", true)), 400))
                .startsWith("MALFORMED_ID");
        assertThat(call(trip.ana, "POST", "/api/messenger/typing", Map.of("conversation", trip.group)).statusCode()).isEqualTo(400);
        assertThat(call(trip.ana, "POST", "/api/messenger/typing", Map.of("conversation", trip.group, "typing", true,
                "user", trip.ben)).statusCode()).isEqualTo(403);
    }

    @Test
    void everyMemberGetsALiveEventOfAGroupMessageKeyedByThem() throws Exception {
        Trip trip = Trip.withTwoMessages();

        for (String member : List.of(trip.ana, trip.ben, trip.chloe)) {
            ConsumerRecord<byte[], byte[]> told = Topics.awaitCommitted(MessengerTopics.USER_EVENTS,
                    r -> Topics.text(r.key()).equals(member) && event(r).getKind() == UserEventKind.MESSAGE
                            && event(r).getMessage().getMessageId().equals(trip.message(1)), PATIENCE);
            assertThat(event(told).getActor()).isEqualTo(trip.ana);
            assertThat(Topics.text(told.value())).as("never the body in clear").doesNotContain("pier");
        }
    }

    @Test
    void searchesByTheSenderAndByTheOtherUserOfADirectConversation() throws Exception {
        Trip trip = Trip.withTwoMessages();
        json(call(trip.ben, "POST", "/api/messenger/messages", Map.of("conversationType", "DIRECT", "to", trip.chloe,
                "body", "are you taking the ferry too?")), 202);
        String search = "/api/messenger/users/" + trip.chloe + "/search";

        TestPlatform.as(app, trip.chloe).awaitGet(search + "?with=" + trip.ben, body(b -> b.size() == 1), PATIENCE);
        JsonNode fromAna = json(TestPlatform.as(app, trip.chloe).awaitGet(search + "?from=" + trip.ana, body(b -> b.size() == 2), PATIENCE), 200);
        JsonNode both = json(TestPlatform.as(app, trip.chloe).get(search + "?q=ferry&from=" + trip.ben), 200);

        assertThat(fromAna).extracting(m -> m.get("messageId").asText()).containsExactly(trip.message(2), trip.message(1));
        assertThat(both).extracting(m -> m.get("sender").asText()).containsExactly(trip.ben);
        assertThat(TestPlatform.as(app, trip.chloe).get(search).statusCode()).isEqualTo(400);
        assertThat(TestPlatform.as(app, trip.chloe).get(search + "?from=not%20an%20id").statusCode()).isEqualTo(400);
    }

    /** A group chat of three friends, with ids of its own, so that tests sharing the app never see each other's data. */
    private record Trip(String group, String ana, String ben, String chloe) {

        static Trip planned() {
            String id = UUID.randomUUID().toString().substring(0, 8);
            return new Trip("trip-" + id, "ana-" + id, "ben-" + id, "chloe-" + id);
        }

        /** Created by ana, with ben and chloe as members. */
        static Trip created() throws Exception {
            Trip trip = planned();
            send(topics.groupCommands(), trip.group, new GroupCommand(trip.group, trip.ana, new CreateGroup(List.of(trip.ben, trip.chloe)),
                    System.currentTimeMillis()));
            TestPlatform.as(app, trip.ana).awaitGet("/api/messenger/groups/" + trip.group, ok(), PATIENCE);
            return trip;
        }

        /** Created over HTTP by ana, with ben and chloe as members. */
        static Trip createdOverHttp() throws Exception {
            Trip trip = planned();
            json(call(trip.ana, "POST", "/api/messenger/groups", Map.of("groupId", trip.group, "members", List.of(trip.ben, trip.chloe))),
                    202);
            TestPlatform.as(app, trip.ana).awaitGet(trip.groupPath(), ok(), PATIENCE);
            return trip;
        }

        /** Created, and ana has told the group about the ferry, then about the tickets. */
        static Trip withTwoMessages() throws Exception {
            Trip trip = created();
            json(postMessage(trip.message(1), trip.ana, trip.group, FERRY), 202);
            json(postMessage(trip.message(2), trip.ana, trip.group, TICKETS), 202);
            return trip;
        }

        String message(int n) {
            return "m" + n + "-" + group;
        }

        String conversation() {
            return "/api/messenger/conversations/" + group + "/messages";
        }

        String groupPath() {
            return "/api/messenger/groups/" + group;
        }

        String inbox(String user) {
            return "/api/messenger/users/" + user + "/inbox";
        }
    }

    private static Platform startMessenger() {
        Platform started = TestPlatform.start("messenger");
        TestPlatform.awaitRunning(started, PATIENCE);
        topics = new MessengerTopics(started.pipelineContext().serdes());
        return started;
    }

    private static HttpResponse<String> postMessage(String messageId, String sender, String group, String body) throws Exception {
        String json = JSON.writeValueAsString(Map.of("messageId", messageId, "sender", sender, "conversationType", "GROUP", "to", group,
                "body", body));
        return TestPlatform.as(app, sender).post("/api/messenger/messages", json);
    }

    /** {@code method} on {@code path} as {@code user}, with {@code body} as JSON (none when null). */
    private static HttpResponse<String> call(String user, String method, String path, Object body) throws Exception {
        TestPlatform.Client client = TestPlatform.as(app, user);
        return switch (method) {
            case "POST" -> client.post(path, JSON.writeValueAsString(body));
            case "PUT" -> client.put(path, JSON.writeValueAsString(body));
            case "DELETE" -> client.delete(path);
            default -> throw new IllegalArgumentException(method);
        };
    }

    private static String detail(HttpResponse<String> response, int expectedStatus) throws Exception {
        return json(response, expectedStatus).get("detail").asText();
    }

    private static UserEvent event(ConsumerRecord<byte[], byte[]> record) {
        return topics.userEvents().valueSerde().deserializer().deserialize(MessengerTopics.USER_EVENTS, record.value());
    }

    private static <V> void send(Topic<String, V> topic, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value))).get();
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
