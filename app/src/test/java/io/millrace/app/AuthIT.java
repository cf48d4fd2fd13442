package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Authentication;
import io.millrace.api.auth.Role;
import io.millrace.api.iq.QueryRouter;
import io.millrace.schemas.messenger.CreateGroup;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.schemas.messenger.Presence;
import io.millrace.schemas.messenger.PresenceStatus;
import io.millrace.schemas.pricealerts.FlightOffer;
import io.millrace.schemas.pricealerts.HotelOffer;
import io.millrace.schemas.pricealerts.OfferKind;
import io.millrace.schemas.pricealerts.PriceQuote;
import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.topology.Topic;
import io.millrace.topology.messenger.MessengerTopics;
import io.millrace.topology.pricealerts.OfferKeys;
import io.millrace.topology.pricealerts.PricealertsTopics;
import io.millrace.topology.recommendations.RecommendationsTopics;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Who may call what, tried as users would try it: every operation of the OpenAPI document is called without a token,
 * with another user's token, with the owner's token, and with each role's; a client forging the headers instances send
 * each other is refused; two instances still forward to each other and fan out, checking the caller on the owner.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Path MATRIX = Path.of("target", "auth-matrix.md");

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private static Platform first;
    private static Platform second;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** ana owns the data; ben is in her group; mallory is another user, in nothing of hers. */
    private static final String ANA = "ana-" + RUN;
    private static final String BEN = "ben-" + RUN;
    private static final String MALLORY = "mallory-" + RUN;
    private static final String GROUP = "hike-" + RUN;
    private static final String MESSAGE = "m1-" + RUN;
    private static final String SCRATCH = "scratch-" + RUN;
    /** A flight into Lisbon and a hotel there, priced, so that the price alerts' queries have something to answer. */
    private static final String ARRIVAL = LocalDate.now(ZoneOffset.UTC).plusDays(45).toString();
    private static final String CHECK_OUT = LocalDate.now(ZoneOffset.UTC).plusDays(48).toString();
    private static final FlightOffer FLIGHT = new FlightOffer("OSL", "LIS", ARRIVAL, "TP", "07:00", "11:30", 0);
    private static final HotelOffer HOTEL = new HotelOffer("LIS", "h-auth", ARRIVAL, CHECK_OUT, 4);
    private static final String OFFER = OfferKeys.offerKey(OfferKind.FLIGHT, FLIGHT, null, null);
    /**
     * Removing a member names no one acting: any user may ask, as themselves (to leave, or as the owner), and the pipeline
     * decides (a stranger's removal is rejected NOT_OWNER in messenger.rejected).
     */
    private static final Set<String> PIPELINE_DECIDES = Set.of("DELETE /api/messenger/groups/{groupId}/members/{user}",
            // a watch is cancelled as the caller: one the caller does not have is rejected UNKNOWN_WATCH in pricealerts.rejected
            "DELETE /api/pricealerts/watches/{id}",
            // A click names no one: any user records their own.
            "POST /api/search/clicks");
    /** What a travel site shows everyone: prices, searches, history and packages, to any signed-in user. */
    private static final Set<String> ANY_USER = Set.of("GET /api/pricealerts/search", "GET /api/pricealerts/offers/{key}/best",
            "GET /api/pricealerts/offers/{key}/history", "GET /api/pricealerts/packages",
            // what a content site shows everyone: items trending, and items seen with an item
            "GET /api/recommendations/trending", "GET /api/recommendations/items/{item}/similar");

    @BeforeAll
    static void start() throws Exception {
        first = TestPlatform.start("messenger", "latency", "fraud", "pricealerts", "search", "recommendations");
        second = TestPlatform.start("messenger");
        TestPlatform.awaitRunning(first, PATIENCE);
        TestPlatform.awaitRunning(second, PATIENCE);
        MessengerTopics topics = new MessengerTopics(first.pipelineContext().serdes());
        try (KafkaProducer<byte[], byte[]> producer = Topics.producer()) {
            send(producer, topics.groupCommands(), GROUP, new GroupCommand(GROUP, ANA, new CreateGroup(List.of(BEN)), System.currentTimeMillis()));
            send(producer, topics.presence(), ANA, new Presence(ANA, PresenceStatus.ONLINE, System.currentTimeMillis()));
        }
        TestPlatform.as(first, ANA).awaitGet("/api/messenger/groups/" + GROUP, r -> r.statusCode() == 200, PATIENCE);
        HttpResponse<String> sent = TestPlatform.as(first, ANA).post("/api/messenger/messages", JSON.writeValueAsString(Map.of(
                "messageId", MESSAGE, "conversationType", "GROUP", "to", GROUP, "body", "Trailhead at nine")));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        TestPlatform.as(first, ANA).awaitGet("/api/messenger/users/" + ANA + "/search?q=trailhead",
                r -> r.statusCode() == 200 && r.body().contains(MESSAGE), PATIENCE);
        TestPlatform.as(first, ANA).awaitGet("/api/messenger/users/" + ANA + "/presence", r -> r.statusCode() == 200, PATIENCE);
        PricealertsTopics prices = new PricealertsTopics(first.pipelineContext().serdes());
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = Topics.producer()) {
            send(producer, prices.quotes(), OfferKeys.searchKeyOf(OFFER),
                    new PriceQuote(OfferKind.FLIGHT, "tap", FLIGHT, null, null, 21_000L, "USD", now, now + Duration.ofHours(1).toMillis()));
            send(producer, prices.quotes(), OfferKeys.searchKeyOf(OfferKeys.offerKey(OfferKind.HOTEL, null, HOTEL, null)),
                    new PriceQuote(OfferKind.HOTEL, "booking", null, HOTEL, null, 45_000L, "USD", now, now + Duration.ofHours(1).toMillis()));
        }
        TestPlatform.as(first, ANA).awaitGet(packages(), r -> r.statusCode() == 200, PATIENCE);
        // The item the recommendations' documented examples name, so that its similar items are there to answer
        try (KafkaProducer<byte[], byte[]> producer = Topics.producer()) {
            send(producer, new RecommendationsTopics(first.pipelineContext().serdes()).items(), "item-1", new ContentItem("item-1",
                    "Auth", "https://content.example/item-1", "auth", "ana", List.of(), now, now));
        }
        TestPlatform.as(first, ANA).awaitGet("/api/recommendations/items/item-1/similar", r -> r.statusCode() == 200, PATIENCE);
    }

    @AfterAll
    static void stop() {
        for (Platform platform : new Platform[] {second, first}) {
            if (platform != null) {
                platform.close();
            }
        }
    }

    @Test
    @Order(1)
    void everyOperationRefusesTheCallersItShouldAndAdmitsTheOnesItShould() throws Exception {
        List<Operation> operations = operations(JSON.readTree(TestPlatform.anonymous(first).get("/openapi.json").body()));
        assertThat(operations).hasSizeGreaterThan(30);
        List<String> rows = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Operation operation : operations) {
            Map<String, Integer> answers = new LinkedHashMap<>();
            for (Map.Entry<String, Optional<String>> caller : callers().entrySet()) {
                answers.put(caller.getKey(), call(operation, caller.getValue()));
            }
            rows.add("| `" + operation.method + " " + operation.path + "` | " + String.join(", ", operation.roles.isEmpty() ? List.of("anyone")
                    : operation.roles) + " | " + String.join(" | ", answers.values().stream().map(String::valueOf).toList()) + " |");
            wrong.addAll(judge(operation, answers));
        }
        String table = "| Operation | Who may | " + String.join(" | ", callers().keySet()) + " |\n|---|---|"
                + "---|".repeat(callers().size()) + "\n" + String.join("\n", rows) + "\n";
        Files.createDirectories(MATRIX.getParent());
        Files.writeString(MATRIX, table, StandardCharsets.UTF_8);
        System.out.println("Who may call what (status per caller):\n" + table);
        assertThat(wrong).as("answers that let in or keep out the wrong caller:\n" + String.join("\n", wrong)).isEmpty();
    }

    @Test
    @Order(2)
    void aClientForgingTheInstancesHeadersIsRefused() throws Exception {
        String inbox = "/api/messenger/users/" + ANA + "/inbox";
        TestPlatform.Client ana = TestPlatform.as(first, ANA);
        String userToken = TestPlatform.token(ANA, Role.USER);
        String serviceToken = TestPlatform.token("payments", Role.SERVICE);
        String peerOfAnotherKey = new io.millrace.api.auth.Tokens(PlatformConfig.AuthConfig.ephemeral().keys())
                .issue("peer:localhost:1", Role.SERVICE, Duration.ofMinutes(5));
        List<Map<String, String>> forgeries = List.of(
                Map.of(QueryRouter.FORWARDED_HEADER, "true"),
                Map.of(QueryRouter.SCOPE_HEADER, "local"),
                Map.of(QueryRouter.FORWARDED_HEADER, "true", Authentication.PEER_HEADER, userToken),
                Map.of(QueryRouter.SCOPE_HEADER, "local", Authentication.PEER_HEADER, serviceToken),
                Map.of(QueryRouter.FORWARDED_HEADER, "true", Authentication.PEER_HEADER, peerOfAnotherKey),
                Map.of(QueryRouter.FORWARDED_HEADER, "true", Authentication.PEER_HEADER, "junk"));
        for (Map<String, String> headers : forgeries) {
            HttpRequest.Builder request = ana.request(inbox).GET();
            headers.forEach(request::header);
            HttpResponse<String> answer = ana.send(request);
            assertThat(answer.statusCode()).as("%s", headers.keySet()).isEqualTo(403);
            assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("forbidden");
        }
        // The same without the forged headers is answered
        assertThat(ana.get(inbox).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void twoInstancesForwardAndFanOutAndTheOwnerChecksTheCaller() throws Exception {
        String inbox = "/api/messenger/users/" + ANA + "/inbox";
        String status = "/api/messenger/messages/" + MESSAGE + "/status";
        List<String> servedBy = new ArrayList<>();
        for (Platform instance : List.of(first, second)) {
            // A rebalance as the second instance joined may still be moving partitions: 503 then, asked again
            HttpResponse<String> answer = TestPlatform.as(instance, ANA).awaitGet(inbox, r -> r.statusCode() != 503, PATIENCE);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains(GROUP);
            servedBy.add(answer.headers().firstValue("X-Millrace-Served-By").orElseThrow());
            HttpResponse<String> fanOut = TestPlatform.as(instance, ANA).awaitGet(status, r -> r.statusCode() != 503, PATIENCE);
            assertThat(JSON.readTree(fanOut.body()).get("status").asText()).as(fanOut.body()).isEqualTo("COMPLETE");
            assertThat(JSON.readTree(fanOut.body()).get("failedHosts")).as(fanOut.body()).isEmpty();
            // Another user asking either instance is refused, wherever ana's inbox lives
            assertThat(TestPlatform.as(instance, MALLORY).get(inbox).statusCode()).isEqualTo(403);
            assertThat(TestPlatform.as(instance, MALLORY).get(status).statusCode()).isEqualTo(403);
            assertThat(TestPlatform.anonymous(instance).get(status).statusCode()).isEqualTo(401);
        }
        assertThat(servedBy).as("the same instance, the owner of ana's inbox, answered both").containsOnly(servedBy.get(0));
        // The conversation lives on one instance: a member is answered by both, a stranger by neither
        String conversation = "/api/messenger/conversations/" + GROUP + "/messages";
        for (Platform instance : List.of(first, second)) {
            assertThat(TestPlatform.as(instance, BEN).awaitGet(conversation, r -> r.statusCode() != 503, PATIENCE).statusCode()).isEqualTo(200);
            assertThat(TestPlatform.as(instance, MALLORY).get(conversation).statusCode()).isEqualTo(403);
        }
    }

    @Test
    @Order(4)
    void aBodyNamingAnotherSenderIsRefusedAndTheSenderComesFromTheToken() throws Exception {
        HttpResponse<String> asAna = TestPlatform.as(first, MALLORY).post("/api/messenger/messages", JSON.writeValueAsString(Map.of(
                "sender", ANA, "conversationType", "DIRECT", "to", BEN, "body", "send me your password")));
        assertThat(asAna.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(asAna.body()).get("detail").asText()).contains("sender");
        HttpResponse<String> intoHerGroup = TestPlatform.as(first, MALLORY).post("/api/messenger/messages", JSON.writeValueAsString(Map.of(
                "conversationType", "GROUP", "to", GROUP, "body", "hello?")));
        assertThat(intoHerGroup.statusCode()).as("accepted into Kafka; the pipeline rejects a non-member").isEqualTo(202);
        assertThat(TestPlatform.as(first, BEN).awaitGet("/api/messenger/conversations/" + GROUP + "/messages",
                r -> r.statusCode() == 200, PATIENCE).body()).doesNotContain("hello?");
    }

    @Test
    @Order(5)
    void anExpiredTokenOrOneSignedWithAnotherKeyIsA401WithABearerChallenge() throws Exception {
        String inbox = "/api/messenger/users/" + ANA + "/inbox";
        io.millrace.api.auth.Tokens pastClock = new io.millrace.api.auth.Tokens(TestPlatform.AUTH.keys(),
                java.time.Clock.fixed(java.time.Instant.now().minus(Duration.ofHours(3)), java.time.ZoneOffset.UTC));
        String expired = pastClock.issue(ANA, Role.USER, Duration.ofHours(1));
        String otherKey = new io.millrace.api.auth.Tokens(PlatformConfig.AuthConfig.ephemeral().keys()).issue(ANA, Role.USER, Duration.ofHours(1));
        for (String token : List.of(expired, otherKey, "not.a.token")) {
            HttpResponse<String> answer = TestPlatform.anonymous(first).send(TestPlatform.anonymous(first).request(inbox)
                    .header("Authorization", "Bearer " + token).GET());
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                    assertThat(challenge).startsWith("Bearer realm=\"millrace\"").contains("error=\"invalid_token\""));
            assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("unauthorized");
        }
        HttpResponse<String> none = TestPlatform.anonymous(first).get(inbox);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"millrace\"");
    }

    // ---- the matrix

    /** The callers tried on every operation, by column. */
    private static Map<String, Optional<String>> callers() {
        Map<String, Optional<String>> callers = new LinkedHashMap<>();
        callers.put("no token", Optional.empty());
        callers.put("other user", Optional.of(TestPlatform.token(MALLORY, Role.USER)));
        callers.put("owner (user)", Optional.of(TestPlatform.token(ANA, Role.USER)));
        callers.put("service", Optional.of(TestPlatform.token("payments", Role.SERVICE)));
        callers.put("operator", Optional.of(TestPlatform.token("ops", Role.OPERATOR)));
        return callers;
    }

    /** What each caller must get: refused (401 without a token, 403 with the wrong one) or let through. */
    private static List<String> judge(Operation operation, Map<String, Integer> answers) {
        List<String> wrong = new ArrayList<>();
        boolean open = operation.roles.isEmpty();
        boolean userScoped = operation.roles.contains("user");
        expect(wrong, operation, "no token", answers, open ? Expect.ADMITTED : Expect.UNAUTHORIZED);
        boolean anyUser = PIPELINE_DECIDES.contains(operation.method + " " + operation.path)
                || ANY_USER.contains(operation.method + " " + operation.path);
        expect(wrong, operation, "other user", answers, open || anyUser ? Expect.ADMITTED : Expect.FORBIDDEN);
        expect(wrong, operation, "owner (user)", answers, open || userScoped ? Expect.ADMITTED : Expect.FORBIDDEN);
        expect(wrong, operation, "service", answers, open || operation.roles.contains("service") ? Expect.ADMITTED : Expect.FORBIDDEN);
        expect(wrong, operation, "operator", answers, open || operation.roles.contains("operator") ? Expect.ADMITTED : Expect.FORBIDDEN);
        return wrong;
    }

    private enum Expect { ADMITTED, UNAUTHORIZED, FORBIDDEN }

    private static void expect(List<String> wrong, Operation operation, String caller, Map<String, Integer> answers, Expect expected) {
        int status = answers.get(caller);
        boolean ok = switch (expected) {
            // Let through: the operation's own answer (200, 202, 404 for an id never seen, 400 for the sample input), never 401/403/5xx
            // (503/504: a pipeline still starting, or a decision not made within the wait: past the door all the same)
            case ADMITTED -> status != 401 && status != 403 && status != 500 && status != 502 && !(operation.roles.contains("user")
                    && caller.equals("owner (user)") && status != 200 && status != 202 && status != 101);
            case UNAUTHORIZED -> status == 401;
            case FORBIDDEN -> status == 403;
        };
        if (!ok) {
            wrong.add(operation.method + " " + operation.path + ": " + caller + " got " + status + ", expected " + expected);
        }
    }

    /** An operation of the document; a stream's WebSocket is an operation of its own, with the method WS. */
    /** An operation of the OpenAPI document, with its required query parameters filled from their documented examples. */
    private record Operation(String method, String path, List<String> roles, boolean eventStream, String requiredQuery) {
    }

    private static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            List<String> roles = new ArrayList<>();
            method.getValue().path("x-millrace-roles").forEach(role -> roles.add(role.asText()));
            JsonNode socket = method.getValue().path("x-millrace-websocket");
            List<String> query = new ArrayList<>();
            method.getValue().path("parameters").forEach(parameter -> {
                if (parameter.path("in").asText().equals("query") && parameter.path("required").asBoolean()) {
                    query.add(parameter.get("name").asText() + "=" + parameter.path("example").asText());
                }
            });
            String required = query.isEmpty() ? "" : "?" + String.join("&", query);
            operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), roles, !socket.isMissingNode(), required));
            if (!socket.isMissingNode()) {
                operations.add(new Operation("WS", socket.asText(), roles, false, required));
            }
        }));
        return operations;
    }

    /** The operation on ana's data (her inbox, her group, her message), with a body a legitimate caller would send. */
    private static int call(Operation operation, Optional<String> token) throws IOException, InterruptedException {
        // Group changes go to a group of ana's own making, so that the group the other tests read stays as it is; an item is
        // deleted under a name of its own, so that the one the queries read stays
        String path = operation.method.equals("GET") ? operation.path : operation.path.replace("{groupId}", SCRATCH)
                .replace("/members/{user}", "/members/" + BEN).replace("{item}", "retired-" + RUN);
        String target = path
                .replace("{user}", ANA).replace("{conversation}", GROUP).replace("{groupId}", GROUP).replace("{messageId}", MESSAGE)
                .replace("{transactionId}", "t-" + RUN).replace("{cardToken}", "A".repeat(io.millrace.topology.fraud.CardTokenizer.TOKEN_LENGTH)).replace("{service}", "checkout-" + RUN)
                .replace("{endpoint}", "pay").replace("{subject}", "auth-" + RUN + "-value").replace("{version}", "1")
                .replace("{id}", "1").replace("{key}", OFFER).replace("{item}", "item-1");
        assertThat(target).as("every path parameter of %s has a value here", operation.path).doesNotContain("{");
        target += switch (operation.path) {
            case "/api/messenger/users/{user}/search" -> "?q=trailhead";
            case "/api/pricealerts/search" -> "?kind=FLIGHT&origin=OSL&destination=LIS&date=" + ARRIVAL;
            case "/api/pricealerts/packages" -> packages().substring("/api/pricealerts/packages".length());
            case "/api/search" -> "?q=trailhead";
            case "/api/search/suggest" -> "?prefix=trail";
            case "/login" -> "?token=" + TestPlatform.token("ops", Role.OPERATOR);
            default -> operation.requiredQuery;
        };
        if (operation.method.equals("WS")) {
            return handshake(target, token);
        }
        TestPlatform.Client client = TestPlatform.anonymous(first);
        HttpRequest.Builder request = client.request(target);
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        if (operation.eventStream) {
            // A stream answers with its status and then goes on: the status is all that is read
            HttpResponse<java.io.InputStream> stream = HTTP.send(request.header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            stream.body().close();
            return stream.statusCode();
        }
        String body = body(operation);
        switch (operation.method) {
            case "GET" -> request.GET();
            case "DELETE" -> request.DELETE();
            default -> request.header("Content-Type", operation.path.startsWith("/registry") ? "application/vnd.schemaregistry.v1+json"
                    : "application/json").method(operation.method, HttpRequest.BodyPublishers.ofString(body));
        }
        return client.send(request).statusCode();
    }

    /** The status of a WebSocket handshake: 101 when the socket opened (then closed at once). */
    private static int handshake(String path, Optional<String> token) throws IOException, InterruptedException {
        java.net.http.WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        try {
            builder.buildAsync(java.net.URI.create("ws://localhost:" + first.httpPort() + path), new java.net.http.WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS).abort();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw new IOException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    private static String body(Operation operation) {
        return switch (operation.method + " " + operation.path) {
            // as ana: her own token sends it, anyone else's is refused
            case "POST /api/messenger/messages" -> "{\"sender\":\"" + ANA + "\",\"conversationType\":\"DIRECT\",\"to\":\"" + BEN
                    + "\",\"body\":\"hi\"}";
            case "POST /api/fraud/authorize" -> "{\"transactionId\":\"t-" + RUN + "\",\"cardNumber\":\"4111111111111111\","
                    + "\"merchantId\":\"m-1\",\"amount\":1200,\"currency\":\"EUR\",\"country\":\"DE\"}";
            case "POST /api/dashboard/dead-letters/replays" -> "{\"pipeline\":\"latency\",\"letters\":[\"0:0\"]}";
            case "PUT /api/latency/slos/{service}" -> "{\"p99ThresholdMicros\":200000,\"errorRateThreshold\":0.05,\"window\":\"1m\"}";
            case "POST /api/search/clicks" -> "{\"url\":\"http://docs.example.org/\",\"query\":\"docs\"}";
            case "POST /api/search/seeds" -> "{\"urls\":[\"http://127.0.0.1:9/\"],\"maxDepth\":0}"; // a closed local port: nothing is crawled
            case "POST /registry/subjects/{subject}/versions", "POST /registry/subjects/{subject}",
                 "POST /registry/compatibility/subjects/{subject}/versions/{version}" ->
                    "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Auth\\\",\\\"fields\\\":[]}\"}";
            case "PUT /registry/config", "PUT /registry/config/{subject}" -> "{\"compatibility\":\"BACKWARD\"}";
            // each names ana as the one acting: her token is let in, another user's is refused
            case "POST /api/messenger/groups" -> "{\"groupId\":\"" + SCRATCH + "\",\"members\":[\"" + BEN + "\"],\"owner\":\"" + ANA + "\"}";
            case "POST /api/messenger/groups/{groupId}/members" -> "{\"user\":\"" + BEN + "\",\"actor\":\"" + ANA + "\"}";
            case "PUT /api/messenger/groups/{groupId}/owner" -> "{\"owner\":\"" + BEN + "\",\"actor\":\"" + ANA + "\"}";
            case "POST /api/messenger/receipts" -> "{\"conversation\":\"" + GROUP + "\",\"upTo\":1,\"status\":\"READ\",\"user\":\"" + ANA + "\"}";
            case "POST /api/messenger/presence" -> "{\"user\":\"" + ANA + "\"}";
            case "POST /api/messenger/typing" -> "{\"conversation\":\"" + GROUP + "\",\"typing\":true,\"user\":\"" + ANA + "\"}";
            case "POST /api/pricealerts/watches" -> "{\"watchId\":\"w-" + RUN + "\",\"user\":\"" + ANA + "\",\"target\":\"" + OFFER
                    + "\",\"thresholdMinor\":15000,\"currency\":\"USD\"}";
            case "POST /api/recommendations/interactions" -> "{\"item\":\"item-1\",\"kind\":\"VIEW\",\"user\":\"" + ANA + "\"}";
            default -> "{}";
        };
    }

    private static String packages() {
        return "/api/pricealerts/packages?destination=LIS&from=" + ARRIVAL + "&to=" + CHECK_OUT;
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value))).get();
    }
}
