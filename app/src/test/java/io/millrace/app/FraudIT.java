package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Role;
import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.AuthorizationRequest;
import io.millrace.schemas.fraud.CardStatus;
import io.millrace.schemas.fraud.CardUpdate;
import io.millrace.schemas.fraud.Decision;
import io.millrace.schemas.fraud.Refund;
import io.millrace.schemas.fraud.Settlement;
import io.millrace.schemas.registry.KafkaSchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Pipeline;
import io.millrace.topology.Settings;
import io.millrace.topology.Topic;
import io.millrace.topology.fraud.CardTokenizer;
import io.millrace.topology.fraud.EventRules;
import io.millrace.topology.fraud.FraudConfig;
import io.millrace.topology.fraud.FraudPipeline;
import io.millrace.topology.fraud.FraudStores;
import io.millrace.topology.fraud.FraudTopics;
import io.millrace.topology.runtime.LocalStores;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fraud pipeline over HTTP on a real broker: synchronous authorization, queries, the PAN scan of every topic
 * and store after the edge, and the credit ledger's exactly-once guarantee across a SIGKILL of the app.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FraudIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final FraudConfig CONFIG = FraudConfig.from(Settings.fromProcess());
    private static final CardTokenizer TOKENS = new CardTokenizer(CONFIG.tokenizationKey());
    private static final long LIMIT = 100_000;
    private static final String VISA = "4000056655665556";
    private static final String MASTERCARD = "5200828282828210";
    private static final String RETRIED_CARD = pan(810_001);
    private static final String QUERIED_CARD = pan(810_002);
    private static final String LIVE_CARD = pan(810_090);
    private static final String LOOKED_UP_CARD = pan(810_003);
    private static final String LATE_CARD = pan(810_004);
    private static final String SETTLED_CARD = pan(810_005);
    private static final String TALLIED_CARD = pan(810_006);
    private static final String SCANNED_CARD = pan(810_007);
    private static final String HTTP_ONLY_CARD = pan(810_008);
    private static final String LISTENED_CARD = pan(810_009);
    private static final List<String> KILL_TEST_PANS = IntStream.range(700_000, 700_060).mapToObj(FraudIT::pan).toList();
    private static final List<String> ANSWER_TEST_PANS = IntStream.range(720_000, 720_030).mapToObj(FraudIT::pan).toList();
    /** Every card number this class sends: none may show up after the edge. */
    private static final List<String> EVERY_PAN = Stream.of(Stream.of(VISA, MASTERCARD, RETRIED_CARD, QUERIED_CARD,
            LOOKED_UP_CARD, LATE_CARD, SETTLED_CARD, TALLIED_CARD, SCANNED_CARD, HTTP_ONLY_CARD, LISTENED_CARD), KILL_TEST_PANS.stream(),
            ANSWER_TEST_PANS.stream()).flatMap(pans -> pans).toList();

    private static SchemaRegistry registry;
    private static AvroSerdes serdes;
    private static FraudTopics topics;
    private static KafkaProducer<byte[], byte[]> producer;

    @TempDir
    Path workDir;

    @BeforeAll
    static void connect() {
        String bootstrap = TestPlatform.bootstrapServers();
        registry = new SchemaRegistry(new KafkaSchemaLog(bootstrap, KafkaSchemaLog.DEFAULT_TOPIC, Map.of()));
        registry.start();
        serdes = new AvroSerdes(new LocalRegistryClient(registry));
        topics = new FraudTopics(serdes);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void disconnect() {
        producer.close();
        registry.close();
    }

    @Test
    void creditLedgerStaysExactAcrossAKillMidStream() throws Exception {
        String run = "k" + UUID.randomUUID().toString().substring(0, 6);
        List<String> pans = KILL_TEST_PANS;
        int cards = pans.size();
        int perCard = 40;
        long limit = 60_000;
        Path dataDir = workDir.resolve("data");
        String bootstrap = TestPlatform.bootstrapServers();
        String[] args = {"--bootstrap-servers", bootstrap, "--pipelines", FraudPipeline.NAME, "--replication-factor", "1",
                "--standby-replicas", "0"};

        SplittableRandom random = new SplittableRandom(7);
        List<AuthorizationRequest> requests = new ArrayList<>();
        long base = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
        for (int i = 0; i < perCard; i++) {
            for (int c = 0; c < cards; c++) {
                // Four minutes apart per card, at one merchant, with usual amounts: the scorer approves until credit runs out.
                requests.add(request(run + "-" + c + "-" + i, pans.get(c), 1_000 + random.nextInt(2_001))
                        .setMerchantId("m-" + c).setLatitude(null).setLongitude(null)
                        .setTimestamp(base + i * Duration.ofMinutes(4).toMillis()).build());
            }
        }

        ChildProcessApp first = ChildProcessApp.start(dataDir, EmbeddedRunIT.freePort(), 0, args);
        ChildProcessApp second = null;
        try {
            first.awaitReady(Duration.ofSeconds(120));
            for (int c = 0; c < cards; c++) {
                send(topics.cardUpdates(), "account-" + c, CardUpdate.newBuilder().setCardNumber(pans.get(c)).setCreditLimit(limit)
                        .setStatus(CardStatus.ACTIVE).setHomeCountry("US").setTimestamp(System.currentTimeMillis()).build());
            }
            for (int c = 0; c < cards; c++) {
                String path = "/api/fraud/cards/" + TOKENS.token(pans.get(c));
                await(path).atMost(WAIT).pollDelay(Duration.ZERO).until(() -> first.get(path).statusCode() == 200);
            }

            AtomicInteger sent = new AtomicInteger();
            AtomicInteger sentWithRetries = new AtomicInteger();
            Thread feeder = new Thread(() -> {
                for (int i = 0; i < requests.size(); i++) {
                    AuthorizationRequest request = requests.get(i);
                    send(topics.authorizationRequests(), request.getTransactionId(), request);
                    sentWithRetries.incrementAndGet();
                    if (i % 20 == 0) {
                        AuthorizationRequest retry = requests.get(random.nextInt(i + 1));
                        send(topics.authorizationRequests(), retry.getTransactionId(), retry);
                        sentWithRetries.incrementAndGet();
                    }
                    sent.incrementAndGet();
                    if (i % 100 == 99) {
                        pace(Duration.ofMillis(150));
                    }
                }
            }, "fraud-it-feeder");
            feeder.start();

            DecisionLog decisions = new DecisionLog(run);
            decisions.awaitAtLeast(requests.size() / 4, WAIT);
            first.kill();
            int decidedAtKill = decisions.distinct();
            int sentAtKill = sent.get();
            String firstOutput = first.output();
            assertThat(decidedAtKill).as("killed mid-stream").isLessThan(requests.size());

            // Same port, so the same state directory: the restart finds the crashed instance's local state as it was left.
            second = ChildProcessApp.start(dataDir, first.httpPort, 0, args);
            second.awaitReady(Duration.ofSeconds(180));
            feeder.join(Duration.ofSeconds(60).toMillis());
            assertThat(feeder.isAlive()).as("the feeder has sent every request").isFalse();
            decisions.awaitAtLeast(requests.size(), Duration.ofSeconds(180));
            System.out.printf("kill/restart: %d of %d requests sent and %d decided when killed%n", sentAtKill, requests.size(), decidedAtKill);
            // Every record sent, retries included, is answered exactly once: wait for all the answers, so that a retry
            // answered differently from its first decision would be seen.
            decisions.awaitAnswers(sentWithRetries.get(), WAIT);

            Map<String, List<AuthorizationDecision>> byTransaction = decisions.byTransaction();
            assertThat(byTransaction).hasSize(requests.size());
            byTransaction.forEach((id, made) -> assertThat(Set.copyOf(made)).as("every decision committed for %s is the same one", id).hasSize(1));
            long approvals = 0;
            long insufficient = 0;
            for (int c = 0; c < cards; c++) {
                String token = TOKENS.token(pans.get(c));
                long approvedSum = 0;
                for (AuthorizationDecision d : byTransaction.values().stream().map(l -> l.get(0))
                        .filter(d -> d.getCardToken().equals(token)).toList()) {
                    if (d.getDecision() == Decision.APPROVE) {
                        approvedSum += d.getAmount();
                        approvals++;
                    } else if (d.getReasons().contains("INSUFFICIENT_CREDIT")) {
                        insufficient++;
                    }
                }
                JsonNode card = json(second.get("/api/fraud/cards/" + token), 200);
                assertThat(card.get("availableCredit").asLong()).as("card %d never goes below zero", c).isNotNegative();
                assertThat(limit - card.get("availableCredit").asLong()).as("card %d: limit - available = sum of its approvals", c)
                        .isEqualTo(approvedSum);
                assertThat(card.get("held").asLong()).isEqualTo(approvedSum);
            }
            assertThat(approvals).isGreaterThan(cards * 10L);
            assertThat(insufficient).as("the limits were reached, so 'never over the limit' was tested").isGreaterThan(cards);
            for (String pan : pans) {
                assertThat(firstOutput).doesNotContain(pan);
                assertThat(second.output()).doesNotContain(pan);
            }
        } finally {
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }

    /**
     * A decision answered over HTTP is one that is committed: after a SIGKILL with answers flowing and a restart, every
     * answered transaction has exactly the answered decision in fraud.decisions (read_committed) and at the decisions
     * endpoint, and a retry gets it again. The child commits every 500 ms, so that many decisions are made but not yet
     * committed when it dies: a design that answered from the deciding thread, before the commit, would have answered
     * some of them, and their transactions, aborted by the kill, are decided again after the restart at another time
     * (decidedAt) and, with other approvals reordered around them, with other credit left or another outcome.
     */
    @Test
    void anAnsweredDecisionIsNeverContradictedAfterAKillBetweenAnswerAndCommit() throws Exception {
        String run = "ak" + UUID.randomUUID().toString().substring(0, 6);
        List<String> pans = ANSWER_TEST_PANS;
        long limit = 40_000;
        Path dataDir = workDir.resolve("answered");
        Map<String, String> environment = Map.of("MILLRACE_FRAUD_COMMIT_INTERVAL_MS", "500");
        String[] args = {"--bootstrap-servers", TestPlatform.bootstrapServers(), "--pipelines", FraudPipeline.NAME,
                "--replication-factor", "1", "--standby-replicas", "0"};

        ChildProcessApp first = ChildProcessApp.start(dataDir, EmbeddedRunIT.freePort(), 0, environment, args);
        ChildProcessApp second = null;
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            first.awaitReady(Duration.ofSeconds(120));
            for (int c = 0; c < pans.size(); c++) {
                send(topics.cardUpdates(), "answered-" + c, CardUpdate.newBuilder().setCardNumber(pans.get(c)).setCreditLimit(limit)
                        .setStatus(CardStatus.ACTIVE).setHomeCountry("US").setTimestamp(System.currentTimeMillis()).build());
            }
            for (String pan : pans) {
                String path = "/api/fraud/cards/" + TOKENS.token(pan);
                await(path).atMost(WAIT).pollDelay(Duration.ZERO).until(() -> first.get(path).statusCode() == 200);
            }

            // Given answers flowing from six clients, each recorded as the client received it
            Map<String, JsonNode> answered = new java.util.concurrent.ConcurrentHashMap<>();
            Map<String, String> bodies = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            for (int t = 0; t < 6; t++) {
                senders.submit(() -> {
                    while (!stop.get()) {
                        int i = next.getAndIncrement();
                        String id = run + "-" + i;
                        String body = authorizeJson(id, pans.get(i % pans.size()), 1_000 + (i * 7_919L) % 2_001);
                        bodies.put(id, body);
                        try {
                            HttpResponse<String> response = first.post("/api/fraud/authorize", "application/json", body);
                            if (response.statusCode() == 200) {
                                answered.put(id, JSON.readTree(response.body()));
                            }
                        } catch (java.io.IOException gone) {
                            return null;
                        }
                    }
                    return null;
                });
            }
            await("answers before the kill").atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> answered.size() >= 300);

            // When the app is killed mid-stream and restarted on its state
            first.kill();
            stop.set(true);
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).as("the clients have stopped").isTrue();
            Map<String, JsonNode> answers = Map.copyOf(answered);
            int sent = next.get();
            second = ChildProcessApp.start(dataDir, first.httpPort, 0, environment, args);
            second.awaitReady(Duration.ofSeconds(180));
            System.out.printf("answer/kill: %d answered of %d sent when killed%n", answers.size(), sent);

            // Then every answered transaction has exactly its answered decision, committed, and nothing else
            DecisionLog decisions = new DecisionLog(run);
            decisions.awaitTransactions(answers.keySet(), WAIT);
            Map<String, List<AuthorizationDecision>> byTransaction = decisions.byTransaction();
            long declined = 0;
            for (Map.Entry<String, JsonNode> answer : answers.entrySet()) {
                List<AuthorizationDecision> committed = byTransaction.get(answer.getKey());
                assertThat(Set.copyOf(committed)).as("decisions committed for %s", answer.getKey()).hasSize(1);
                assertSameDecision(answer.getValue(), committed.get(0));
                declined += committed.get(0).getDecision() == Decision.APPROVE ? 0 : 1;
            }
            assertThat(declined).as("credit ran out, so an outcome could have differed on a second decision").isPositive();
            for (String id : answers.keySet()) {
                assertSameDecision(answers.get(id), json(second.get("/api/fraud/decisions/" + id + "?timeout=2s"), 200));
            }
            List<String> retried = answers.keySet().stream().sorted().limit(20).toList();
            for (String id : retried) {
                JsonNode again = json(second.post("/api/fraud/authorize", "application/json", bodies.get(id)), 200);
                assertThat(again).as("a retry of %s after the restart", id).isEqualTo(answers.get(id));
            }
        } finally {
            senders.shutdownNow();
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }

    private static void assertSameDecision(JsonNode answered, AuthorizationDecision committed) {
        String id = committed.getTransactionId();
        assertThat(committed.getDecision().name()).as("outcome committed for %s", id).isEqualTo(answered.get("decision").asText());
        assertThat(committed.getDecidedAt()).as("decidedAt committed for %s", id).isEqualTo(answered.get("decidedAt").asLong());
        assertThat(committed.getAvailableCreditAfter()).as("credit after, committed for %s", id)
                .isEqualTo(answered.get("availableCreditAfter").asLong());
        assertThat(committed.getScore()).as("score committed for %s", id).isEqualTo(answered.get("score").asDouble());
    }

    private static void assertSameDecision(JsonNode answered, JsonNode queried) {
        for (String field : List.of("transactionId", "decision", "reasons", "score", "availableCreditAfter", "decidedAt")) {
            assertThat(queried.get(field)).as("%s of %s", field, answered.get("transactionId")).isEqualTo(answered.get(field));
        }
    }

    /**
     * Authorization and queries over HTTP, against one in-process instance that these tests share. It starts after the
     * kill test above (JUnit runs a class's own tests before its nested ones), whose child processes are the same
     * fraud application and would otherwise share its partitions. Each test has its own cards and transaction ids.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OverHttp {

        private final String run = UUID.randomUUID().toString().substring(0, 8);
        private Platform platform;

        @BeforeAll
        void startPlatform() {
            platform = TestPlatform.start(FraudPipeline.NAME);
            TestPlatform.awaitRunning(platform, WAIT);
        }

        @AfterAll
        void stopPlatform() {
            if (platform != null) {
                platform.close();
            }
        }

        @Test
        void approvesAKnownCardAndAnswersWithItsTokenAndMaskedNumberOnly() throws Exception {
            String token = activeCard(VISA);

            HttpResponse<String> approved = authorize("a-" + run, VISA, 2_500);

            JsonNode decision = json(approved, 200);
            assertThat(decision.get("decision").asText()).isEqualTo("APPROVE");
            assertThat(decision.get("cardToken").asText()).isEqualTo(token);
            assertThat(decision.get("card").asText()).isEqualTo("**** 5556");
            assertThat(decision.get("availableCreditAfter").asLong()).isEqualTo(97_500);
            assertThat(approved.body()).doesNotContain(VISA);
        }

        @Test
        void answersARetriedTransactionIdWithItsFirstDecision() throws Exception {
            activeCard(RETRIED_CARD);
            JsonNode decision = json(authorize("r-" + run, RETRIED_CARD, 2_500), 200);

            JsonNode retried = json(authorize("r-" + run, RETRIED_CARD, 99_000), 200);

            assertThat(retried).as("a retried transaction id gets the first decision").isEqualTo(decision);
        }

        @Test
        void answersADecisionByItsTransactionId() throws Exception {
            activeCard(QUERIED_CARD);
            JsonNode decision = json(authorize("q-" + run, QUERIED_CARD, 2_500), 200);

            assertThat(json(TestPlatform.get(platform, "/api/fraud/decisions/q-" + run), 200)).isEqualTo(decision);
        }

        @Test
        void answers404ForATransactionNeverSeen() throws Exception {
            HttpResponse<String> response = TestPlatform.get(platform, "/api/fraud/decisions/nothing-" + run);

            assertThat(json(response, 404).get("error").asText()).isEqualTo("not_found");
        }

        @Test
        void theReviewDeskIsPushedTheDecisionsItFollowsAsTheyAreMade() throws Exception {
            HttpResponse<java.io.InputStream> stream = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + platform.httpPort() + "/api/fraud/decisions/events?outcome=DECLINE"))
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + TestPlatform.token("desk", Role.OPERATOR))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            List<String> decisions = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                    String event = "";
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("event:")) {
                            event = line.substring(6).trim();
                        } else if (line.startsWith("data:") && event.equals("decision")) {
                            decisions.add(line.substring(5).trim());
                        }
                    }
                } catch (java.io.IOException closed) {
                    // the test closed the stream
                }
            });
            reader.setDaemon(true);
            reader.start();
            try {
                activeCard(LIVE_CARD);
                json(authorize("live-ok-" + run, LIVE_CARD, 1_000), 200);
                json(authorize("live-no-" + run, MASTERCARD, 1_000), 200);

                String declined = await("the decline pushed").atMost(WAIT).until(
                        () -> decisions.stream().filter(d -> d.contains("live-no-" + run)).findFirst(), java.util.Optional::isPresent).get();
                assertThat(JSON.readTree(declined).get("decision").asText()).isEqualTo("DECLINE");
                assertThat(JSON.readTree(declined).get("card").asText()).startsWith("**** ");
                assertThat(declined).doesNotContain(MASTERCARD);
                assertThat(decisions).as("an approval is not what the desk follows here").noneMatch(d -> d.contains("live-ok-" + run));
            } finally {
                stream.body().close();
            }
        }

        @Test
        void declinesAnUnknownCardForCardUnknown() throws Exception {
            JsonNode unknownCard = json(authorize("u-" + run, MASTERCARD, 1_000), 200);

            assertThat(unknownCard.get("decision").asText()).isEqualTo("DECLINE");
            assertThat(unknownCard.get("reasons").toString()).contains("CARD_UNKNOWN");
        }

        @Test
        void refusesAZeroAmountWith400InvalidAmount() throws Exception {
            HttpResponse<String> response = authorize("z-" + run, VISA, 0);

            assertThat(json(response, 400).get("detail").asText()).startsWith("INVALID_AMOUNT");
        }

        @Test
        void answersMalformedParametersWith400() throws Exception {
            assertThat(TestPlatform.post(platform, "/api/fraud/authorize", "{\"amount\": \"lots\"}").statusCode()).isEqualTo(400);
            assertThat(TestPlatform.get(platform, "/api/fraud/stats?window=forever").statusCode()).isEqualTo(400);
        }

        @Test
        void findsACardByItsTokenButNeverByItsNumber() throws Exception {
            String token = activeCard(LOOKED_UP_CARD);

            assertThat(TestPlatform.get(platform, "/api/fraud/cards/" + token).statusCode()).isEqualTo(200);
            assertThat(TestPlatform.get(platform, "/api/fraud/cards/" + LOOKED_UP_CARD).statusCode()).as("never by card number")
                    .isEqualTo(400);
        }

        @Test
        void answers504WhenNoDecisionComesInTimeAndALongPollGetsTheLateDecision() throws Exception {
            activeCard(LATE_CARD);
            KafkaStreams streams = platform.pipelines().get(0).streams();
            CompletableFuture<HttpResponse<String>> waiting;
            streams.pause();
            try {
                long before = System.nanoTime();
                HttpResponse<String> timedOut = authorize("t-" + run, LATE_CARD, 1_000);

                assertThat(json(timedOut, 504).get("error").asText()).isEqualTo("timeout");
                // Measured on purpose: the call waits its full two seconds for a decision, and not much longer.
                assertThat(Duration.ofNanos(System.nanoTime() - before)).isBetween(Duration.ofMillis(1_900), Duration.ofSeconds(5));
                waiting = CompletableFuture.supplyAsync(() -> get(platform, "/api/fraud/decisions/t-" + run + "?timeout=4s"));
            } finally {
                streams.resume();
            }
            assertThat(json(waiting.get(), 200).get("decision").asText()).as("the long poll gets the late decision").isEqualTo("APPROVE");
        }

        @Test
        void settlementsAndRefundsMoveCreditFromHeldToPosted() throws Exception {
            String token = activeCard(SETTLED_CARD);
            String settled = "s-" + run;
            String stillHeld = "h-" + run;
            assertThat(json(authorize(settled, SETTLED_CARD, 2_500), 200).get("decision").asText()).isEqualTo("APPROVE");
            assertThat(json(authorize(stillHeld, SETTLED_CARD, 1_000), 200).get("decision").asText()).isEqualTo("APPROVE");

            send(topics.settlements(), settled, new Settlement(settled, 2_500L, System.currentTimeMillis()));
            send(topics.refunds(), settled, new Refund("rf-" + run, settled, 500L, System.currentTimeMillis()));

            JsonNode card = json(TestPlatform.awaitGet(platform, "/api/fraud/cards/" + token,
                    r -> r.statusCode() == 200 && r.body().contains("\"posted\":2000"), WAIT), 200);
            assertThat(card.get("held").asLong()).as("only %s still holds credit", stillHeld).isEqualTo(1_000);
            assertThat(card.get("availableCredit").asLong()).isEqualTo(LIMIT - 1_000 - 2_000);
            assertThat(card.get("recentDecisions").get(0).get("transactionId").asText()).isEqualTo(stillHeld);
            assertThat(card.toString()).doesNotContain(SETTLED_CARD);
        }

        @Test
        void rejectsAnAuthorizationThatBreaksARuleToTheRejectedTopic() {
            send(topics.authorizationRequests(), "n-" + run, request("n-" + run, VISA, -1).build());

            ConsumerRecord<byte[], byte[]> rejection = Topics.awaitCommitted(Pipeline.rejectedOf(FraudPipeline.NAME),
                    r -> ("n-" + run).equals(Topics.text(r.key())), WAIT);
            Rejected rejected = serdes.value(Rejected.class).deserializer().deserialize(rejection.topic(), rejection.value());
            assertThat(rejected.getCode()).isEqualTo(EventRules.INVALID_AMOUNT);
        }

        @Test
        void deadLettersUndecodableBytesWithTheKeyDigestedAndTheRecordRedacted() throws Exception {
            String key = "g-" + run;
            producer.send(new ProducerRecord<>(FraudTopics.AUTHORIZATION_REQUESTS, Topics.utf8(key),
                    Topics.utf8("\u0000{\"cardNumber\":\"" + VISA + "\"}"))).get();

            ConsumerRecord<byte[], byte[]> letter = Topics.awaitCommitted(Pipeline.dlqOf(FraudPipeline.NAME),
                    r -> TOKENS.digest(Topics.utf8(key)).equals(Topics.text(r.key())), WAIT);
            assertThat(Topics.header(letter, "millrace.redacted")).isEqualTo("hmac-sha256");
            assertThat(Topics.text(letter.value())).doesNotContain(VISA);
        }

        @Test
        void statsCountApprovalsAndTopReasonsOverTheWindow() throws Exception {
            activeCard(TALLIED_CARD);
            assertThat(json(authorize("st1-" + run, TALLIED_CARD, 2_500), 200).get("decision").asText()).isEqualTo("APPROVE");
            assertThat(json(authorize("st2-" + run, TALLIED_CARD, 1_200), 200).get("decision").asText()).isEqualTo("APPROVE");
            json(authorize("stu-" + run, MASTERCARD, 1_000), 200);

            await("stats over 5m").atMost(WAIT).pollDelay(Duration.ZERO).untilAsserted(() -> {
                JsonNode stats = json(TestPlatform.get(platform, "/api/fraud/stats?window=5m"), 200);
                assertThat(stats.get("status").asText()).isEqualTo("COMPLETE");
                assertThat(stats.get("result").get("approvals").asLong()).isGreaterThanOrEqualTo(2);
                assertThat(stats.get("result").get("topReasons").toString()).contains("CARD_UNKNOWN");
            });
        }

        @Test
        void openApiDocumentListsTheAuthorizeEndpoint() throws Exception {
            assertThat(TestPlatform.get(platform, "/openapi.json").body()).contains("/api/fraud/authorize");
        }

        @Test
        void keepsCardNumbersOutOfEveryTopicAndStoreAfterTheEdge() throws Exception {
            // Given card numbers down every path: approval, settlement and refund, unknown card, broken rule, undecodable bytes
            String token = activeCard(SCANNED_CARD);
            String approved = "p-" + run;
            json(authorize(approved, SCANNED_CARD, 2_500), 200);
            json(authorize("pu-" + run, MASTERCARD, 1_000), 200);
            send(topics.settlements(), approved, new Settlement(approved, 2_500L, System.currentTimeMillis()));
            send(topics.refunds(), approved, new Refund("prf-" + run, approved, 500L, System.currentTimeMillis()));
            send(topics.authorizationRequests(), "pn-" + run, request("pn-" + run, SCANNED_CARD, -1).build());
            String garbage = "pg-" + run;
            producer.send(new ProducerRecord<>(FraudTopics.AUTHORIZATION_REQUESTS, Topics.utf8(garbage),
                    Topics.utf8("\u0000{\"cardNumber\":\"" + SCANNED_CARD + "\"}"))).get();
            Topics.awaitCommitted(Pipeline.rejectedOf(FraudPipeline.NAME), r -> ("pn-" + run).equals(Topics.text(r.key())), WAIT);
            Topics.awaitCommitted(Pipeline.dlqOf(FraudPipeline.NAME), r -> TOKENS.digest(Topics.utf8(garbage)).equals(Topics.text(r.key())), WAIT);
            TestPlatform.awaitGet(platform, "/api/fraud/cards/" + token, r -> r.statusCode() == 200 && r.body().contains("\"posted\":2000"), WAIT);

            // When every fraud topic after the edge and every store is scanned for every card number this class used
            PanFindings findings = new PanFindings(EVERY_PAN);
            scanTopics(findings);
            scanStores(platform.pipelines().get(0).streams(), findings);

            // Then there is none, and the scan does find them where producers put them
            assertThat(findings.topics).contains(FraudTopics.TOKENIZED_AUTHORIZATIONS, FraudTopics.DECISIONS, Pipeline.rejectedOf(FraudPipeline.NAME),
                    Pipeline.dlqOf(FraudPipeline.NAME), FraudTopics.LEDGER_ADJUSTMENTS, "millrace-fraud-fraud-credit-ledger-changelog",
                    "millrace-fraud-fraud-card-transactions-changelog", "millrace-fraud-fraud-decisions-changelog");
            assertThat(findings.stores).containsAll(List.of(FraudStores.CREDIT_LEDGER, FraudStores.CARD_PROFILES,
                    FraudStores.CARD_TRANSACTIONS, FraudStores.DECISIONS, FraudStores.DECISION_STATS, FraudStores.MERCHANT_RISK));
            assertThat(findings.found).isEmpty();
            PanFindings control = new PanFindings(List.of(SCANNED_CARD, MASTERCARD));
            scanTopic(FraudTopics.AUTHORIZATION_REQUESTS, control);
            assertThat(control.found).as("the scan finds card numbers where producers put them").isNotEmpty();
        }

        @Test
        void theCardNumberOfAnHttpAuthorizationReachesNoKafkaTopic() throws Exception {
            JsonNode decision = json(authorize("hp-" + run, HTTP_ONLY_CARD, 1_000), 200);

            PanFindings findings = new PanFindings(List.of(HTTP_ONLY_CARD));
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", TestPlatform.bootstrapServers()))) {
                for (String topic : admin.listTopics().names().get()) {
                    scanTopic(topic, findings);
                }
            }
            assertThat(findings.topics).as("the raw topics are scanned too").contains(FraudTopics.AUTHORIZATION_REQUESTS, FraudTopics.CARD_UPDATES);
            assertThat(findings.found).isEmpty();
            PanFindings tokenized = new PanFindings(List.of(decision.get("cardToken").asText()));
            scanTopic(FraudTopics.TOKENIZED_AUTHORIZATIONS, tokenized);
            assertThat(tokenized.found).as("the request went to the card desk by its token").isNotEmpty();
        }

        @Test
        void aBrokenDecisionRecordIsCountedAndTheListenerKeepsAnswering() throws Exception {
            activeCard(LISTENED_CARD);
            producer.send(new ProducerRecord<>(FraudTopics.DECISIONS, Topics.utf8("broken-" + run), Topics.utf8("\u0007not avro"))).get();

            TestPlatform.awaitGet(platform, "/metrics", r -> listenerFailures(r.body()) >= 1, WAIT);
            assertThat(json(authorize("lk-" + run, LISTENED_CARD, 1_000), 200).get("decision").asText()).isEqualTo("APPROVE");
            assertThat(TestPlatform.get(platform, "/metrics").body()).contains("millrace_fraud_decision_listener_up{pipeline=\"fraud\"} 1.0");
        }

        /** Registers {@code pan} as an active card with {@link #LIMIT} of credit and waits until it can be queried; returns its token. */
        private String activeCard(String pan) {
            send(topics.cardUpdates(), "account-" + pan.substring(12), CardUpdate.newBuilder().setCardNumber(pan).setCreditLimit(LIMIT)
                    .setStatus(CardStatus.ACTIVE).setHomeCountry("US").setTimestamp(System.currentTimeMillis()).build());
            String token = TOKENS.token(pan);
            TestPlatform.awaitGet(platform, "/api/fraud/cards/" + token, r -> r.statusCode() == 200, WAIT);
            return token;
        }

        private HttpResponse<String> authorize(String transactionId, String pan, long amount) throws Exception {
            return TestPlatform.post(platform, "/api/fraud/authorize", authorizeJson(transactionId, pan, amount));
        }
    }

    // ---- helpers ----

    /** The committed decisions of one test run, read as a downstream consumer would. */
    private static final class DecisionLog {
        private final String run;
        private final KafkaConsumer<byte[], byte[]> consumer = Topics.consumer(TestPlatform.bootstrapServers(), "read_committed");
        private final Map<String, List<AuthorizationDecision>> decisions = new HashMap<>();
        private int answers;

        DecisionLog(String run) {
            this.run = run;
            Topics.fromTheBeginning(consumer, FraudTopics.DECISIONS);
        }

        void awaitAtLeast(int distinct, Duration timeout) {
            await("decisions of run " + run).atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> {
                        readAvailable();
                        assertThat(decisions.size()).as("transactions decided").isGreaterThanOrEqualTo(distinct);
                    });
        }

        void awaitAnswers(int records, Duration timeout) {
            await("answers of run " + run).atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> {
                        readAvailable();
                        assertThat(answers).as("decisions committed, answers to retries included").isGreaterThanOrEqualTo(records);
                    });
        }

        void awaitTransactions(Set<String> transactionIds, Duration timeout) {
            await("decisions of " + transactionIds.size() + " transactions").atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                        readAvailable();
                        assertThat(decisions.keySet()).containsAll(transactionIds);
                    });
        }

        int distinct() {
            return decisions.size();
        }

        Map<String, List<AuthorizationDecision>> byTransaction() {
            consumer.close();
            return decisions;
        }

        private void readAvailable() {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                AuthorizationDecision decision = topics.decisions().valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (decision.getTransactionId().startsWith(run + "-")) {
                    decisions.computeIfAbsent(decision.getTransactionId(), id -> new ArrayList<>()).add(decision);
                    answers++;
                }
            }
        }
    }

    private static double listenerFailures(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("millrace_fraud_decision_listener_failures_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Where card numbers were found, and what was scanned. */
    private static final class PanFindings {
        final List<String> pans;
        final List<String> found = new ArrayList<>();
        final Set<String> topics = new java.util.TreeSet<>();
        final Set<String> stores = new java.util.TreeSet<>();

        PanFindings(List<String> pans) {
            this.pans = pans;
        }

        void check(String where, byte[] bytes) {
            if (bytes != null) {
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                pans.stream().filter(text::contains).forEach(pan -> found.add("..." + pan.substring(12) + " in " + where));
            }
        }
    }

    private static void scanTopics(PanFindings findings) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", TestPlatform.bootstrapServers()))) {
            for (String topic : admin.listTopics().names().get()) {
                boolean fraudTopic = topic.startsWith("fraud.") || topic.startsWith("millrace-fraud-");
                boolean raw = topic.equals(FraudTopics.AUTHORIZATION_REQUESTS) || topic.equals(FraudTopics.CARD_UPDATES);
                if (fraudTopic && !raw) {
                    scanTopic(topic, findings);
                }
            }
        }
    }

    // read_uncommitted: records of aborted transactions are scanned too.
    private static void scanTopic(String topic, PanFindings findings) {
        try (KafkaConsumer<byte[], byte[]> consumer = Topics.consumer(TestPlatform.bootstrapServers(), "read_uncommitted")) {
            findings.topics.add(topic);
            for (ConsumerRecord<byte[], byte[]> record : Topics.readToEnd(consumer, topic, WAIT)) {
                findings.check(topic + " key", record.key());
                findings.check(topic + " value", record.value());
                for (Header header : record.headers()) {
                    findings.check(topic + " header " + header.key(), header.value());
                }
            }
        }
    }

    private static void scanStores(KafkaStreams streams, PanFindings findings) {
        for (String store : List.of(FraudStores.CREDIT_LEDGER, FraudStores.CARD_PROFILES, FraudStores.MERCHANT_RISK)) {
            try (KeyValueIterator<Object, Object> all = LocalStores.keyValue(streams, store).all()) {
                all.forEachRemaining(kv -> scanEntry(findings, store, kv));
            }
            findings.stores.add(store);
        }
        for (String store : List.of(FraudStores.CARD_TRANSACTIONS, FraudStores.DECISIONS, FraudStores.DECISION_STATS)) {
            try (var all = LocalStores.window(streams, store).all()) {
                all.forEachRemaining(kv -> scanEntry(findings, store, new KeyValue<>(kv.key, kv.value)));
            }
            findings.stores.add(store);
        }
    }

    private static void scanEntry(PanFindings findings, String store, KeyValue<?, ?> entry) {
        findings.check(store + " key", String.valueOf(entry.key).getBytes(StandardCharsets.UTF_8));
        findings.check(store + " value", String.valueOf(entry.value).getBytes(StandardCharsets.UTF_8));
    }

    private static <V> void send(Topic<String, V> topic, String key, V value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8),
                    topic.valueSerde().serializer().serialize(topic.name(), value))).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic.name(), e);
        }
    }

    private static AuthorizationRequest.Builder request(String transactionId, String pan, long amount) {
        return AuthorizationRequest.newBuilder().setTransactionId(transactionId).setCardNumber(pan).setMerchantId("m-ny-grocer")
                .setMerchantCategory("5411").setAmount(amount).setCurrency("USD").setCountry("US").setLatitude(40.7128)
                .setLongitude(-74.0060).setTimestamp(System.currentTimeMillis());
    }

    private static String authorizeJson(String transactionId, String pan, long amount) throws Exception {
        Map<String, Object> body = new HashMap<>();
        body.put("transactionId", transactionId);
        body.put("cardNumber", pan);
        body.put("merchantId", "m-ny-grocer");
        body.put("merchantCategory", "5411");
        body.put("amount", amount);
        body.put("currency", "USD");
        body.put("country", "US");
        body.put("latitude", 40.7128);
        body.put("longitude", -74.0060);
        return JSON.writeValueAsString(body);
    }

    /** A 16-digit Luhn-valid card number of the test range. */
    private static String pan(int n) {
        String body = "4" + String.format("%014d", n);
        for (int check = 0; check < 10; check++) {
            if (CardTokenizer.normalize(body + check).isPresent()) {
                return body + check;
            }
        }
        throw new IllegalStateException();
    }

    private static HttpResponse<String> get(Platform platform, String path) {
        try {
            return TestPlatform.get(platform, path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deliberate pacing, not a wait for a condition: it spreads the feed over time so that the kill lands mid-stream. */
    private static void pace(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode json(HttpResponse<String> response, int expectedStatus) throws Exception {
        assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
