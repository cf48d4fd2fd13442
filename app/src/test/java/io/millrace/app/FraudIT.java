package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
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
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fraud pipeline over HTTP on a real broker: synchronous authorization, queries, the PAN scan of every topic
 * and store after the edge, and the credit ledger's exactly-once guarantee across a SIGKILL of the app.
 */
class FraudIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final FraudConfig CONFIG = FraudConfig.from(Settings.fromProcess());
    private static final CardTokenizer TOKENS = new CardTokenizer(CONFIG.tokenizationKey());

    private static SchemaRegistry registry;
    private static FraudTopics topics;
    private static KafkaProducer<byte[], byte[]> producer;

    @TempDir
    Path workDir;

    @BeforeAll
    static void connect() {
        String bootstrap = TestPlatform.bootstrapServers();
        registry = new SchemaRegistry(new KafkaSchemaLog(bootstrap, KafkaSchemaLog.DEFAULT_TOPIC, Map.of()));
        registry.start();
        topics = new FraudTopics(new AvroSerdes(new LocalRegistryClient(registry)));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void disconnect() {
        producer.close();
        registry.close();
    }

    @Test
    void authorizesOverHttpAnswersQueriesAndKeepsCardNumbersOutOfEveryTopicAndStore() throws Exception {
        String visa = "4000056655665556";
        String mastercard = "5200828282828210";
        String run = UUID.randomUUID().toString().substring(0, 8);
        String token = TOKENS.token(visa);
        try (Platform platform = TestPlatform.start(FraudPipeline.NAME)) {
            TestPlatform.awaitRunning(platform, WAIT);
            send(topics.cardUpdates(), "account-1", CardUpdate.newBuilder().setCardNumber(visa).setCreditLimit(100_000L)
                    .setStatus(CardStatus.ACTIVE).setHomeCountry("US").setTimestamp(System.currentTimeMillis()).build());
            TestPlatform.awaitGet(platform, "/api/fraud/cards/" + token, r -> r.statusCode() == 200, WAIT);

            HttpResponse<String> approved = TestPlatform.post(platform, "/api/fraud/authorize", authorizeJson("a-" + run, visa, 2_500));
            JsonNode decision = json(approved, 200);
            assertThat(decision.get("decision").asText()).isEqualTo("APPROVE");
            assertThat(decision.get("cardToken").asText()).isEqualTo(token);
            assertThat(decision.get("card").asText()).isEqualTo("**** 5556");
            assertThat(decision.get("availableCreditAfter").asLong()).isEqualTo(97_500);
            assertThat(approved.body()).doesNotContain(visa);
            JsonNode retried = json(TestPlatform.post(platform, "/api/fraud/authorize", authorizeJson("a-" + run, visa, 99_000)), 200);
            assertThat(retried).as("a retried transaction id gets the first decision").isEqualTo(decision);
            assertThat(json(TestPlatform.get(platform, "/api/fraud/decisions/a-" + run), 200)).isEqualTo(decision);
            assertThat(json(TestPlatform.get(platform, "/api/fraud/decisions/nothing-" + run), 404).get("error").asText()).isEqualTo("not_found");
            JsonNode unknownCard = json(TestPlatform.post(platform, "/api/fraud/authorize", authorizeJson("u-" + run, mastercard, 1_000)), 200);
            assertThat(unknownCard.get("decision").asText()).isEqualTo("DECLINE");
            assertThat(unknownCard.get("reasons").toString()).contains("CARD_UNKNOWN");

            assertThat(json(TestPlatform.post(platform, "/api/fraud/authorize", authorizeJson("z-" + run, visa, 0)), 400)
                    .get("detail").asText()).startsWith("INVALID_AMOUNT");
            assertThat(TestPlatform.post(platform, "/api/fraud/authorize", "{\"amount\": \"lots\"}").statusCode()).isEqualTo(400);
            assertThat(TestPlatform.get(platform, "/api/fraud/cards/" + visa).statusCode()).as("never by card number").isEqualTo(400);
            assertThat(TestPlatform.get(platform, "/api/fraud/stats?window=forever").statusCode()).isEqualTo(400);

            KafkaStreams streams = platform.pipelines().get(0).streams();
            streams.pause();
            long before = System.nanoTime();
            HttpResponse<String> timedOut = TestPlatform.post(platform, "/api/fraud/authorize", authorizeJson("t-" + run, visa, 1_000));
            assertThat(json(timedOut, 504).get("error").asText()).isEqualTo("timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isBetween(Duration.ofMillis(1_900), Duration.ofSeconds(5));
            CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> get(platform, "/api/fraud/decisions/t-" + run + "?timeout=4s"));
            streams.resume();
            assertThat(json(waiting.get(), 200).get("decision").asText()).as("the long poll gets the late decision").isEqualTo("APPROVE");

            send(topics.settlements(), "a-" + run, new Settlement("a-" + run, 2_500L, System.currentTimeMillis()));
            send(topics.refunds(), "a-" + run, new Refund("rf-" + run, "a-" + run, 500L, System.currentTimeMillis()));
            JsonNode card = json(TestPlatform.awaitGet(platform, "/api/fraud/cards/" + token,
                    r -> r.statusCode() == 200 && r.body().contains("\"posted\":2000"), WAIT), 200);
            assertThat(card.get("held").asLong()).as("only t-%s still holds credit", run).isEqualTo(1_000);
            assertThat(card.get("availableCredit").asLong()).isEqualTo(100_000 - 1_000 - 2_000);
            assertThat(card.get("recentDecisions").get(0).get("transactionId").asText()).isEqualTo("t-" + run);
            assertThat(card.toString()).doesNotContain(visa);

            send(topics.authorizationRequests(), "n-" + run, request("n-" + run, visa, -1).build());
            producer.send(new ProducerRecord<>(FraudTopics.AUTHORIZATION_REQUESTS, ("g-" + run).getBytes(StandardCharsets.UTF_8),
                    ("\u0000{\"cardNumber\":\"" + visa + "\"}").getBytes(StandardCharsets.UTF_8))).get();
            awaitRecord(Pipeline.rejectedOf(FraudPipeline.NAME), r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals("n-" + run));
            awaitRecord(Pipeline.dlqOf(FraudPipeline.NAME), r -> "hmac-sha256".equals(header(r, "millrace.redacted"))
                    && TOKENS.digest(("g-" + run).getBytes(StandardCharsets.UTF_8)).equals(new String(r.key(), StandardCharsets.UTF_8)));

            JsonNode stats = json(TestPlatform.get(platform, "/api/fraud/stats?window=5m"), 200);
            assertThat(stats.get("status").asText()).isEqualTo("COMPLETE");
            assertThat(stats.get("result").get("approvals").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(stats.get("result").get("topReasons").toString()).contains("CARD_UNKNOWN");
            assertThat(TestPlatform.get(platform, "/openapi.json").body()).contains("/api/fraud/authorize");

            List<String> pans = List.of(visa, mastercard);
            PanFindings findings = new PanFindings(pans);
            scanTopics(findings);
            scanStores(streams, findings);
            assertThat(findings.topics).contains(FraudTopics.TOKENIZED_AUTHORIZATIONS, FraudTopics.DECISIONS, Pipeline.rejectedOf(FraudPipeline.NAME),
                    Pipeline.dlqOf(FraudPipeline.NAME), FraudTopics.LEDGER_ADJUSTMENTS, "millrace-fraud-fraud-credit-ledger-changelog",
                    "millrace-fraud-fraud-card-transactions-changelog", "millrace-fraud-fraud-decisions-changelog");
            assertThat(findings.stores).containsAll(List.of(FraudStores.CREDIT_LEDGER, FraudStores.CARD_PROFILES,
                    FraudStores.CARD_TRANSACTIONS, FraudStores.DECISIONS, FraudStores.DECISION_STATS, FraudStores.MERCHANT_RISK));
            assertThat(findings.found).isEmpty();
            PanFindings control = new PanFindings(pans);
            scanTopic(FraudTopics.AUTHORIZATION_REQUESTS, control);
            assertThat(control.found).as("the scan finds card numbers where producers put them").isNotEmpty();
        }
    }

    @Test
    void creditLedgerStaysExactAcrossAKillMidStream() throws Exception {
        String run = "k" + UUID.randomUUID().toString().substring(0, 6);
        int cards = 60;
        int perCard = 40;
        long limit = 60_000;
        Path dataDir = workDir.resolve("data");
        String bootstrap = TestPlatform.bootstrapServers();
        String[] args = {"--bootstrap-servers", bootstrap, "--pipelines", FraudPipeline.NAME, "--replication-factor", "1",
                "--standby-replicas", "0"};

        List<String> pans = new ArrayList<>();
        for (int c = 0; c < cards; c++) {
            pans.add(pan(700_000 + c));
        }
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
                awaitHttp(first, path, r -> r.statusCode() == 200);
            }

            AtomicInteger sent = new AtomicInteger();
            Thread feeder = new Thread(() -> {
                for (int i = 0; i < requests.size(); i++) {
                    AuthorizationRequest request = requests.get(i);
                    send(topics.authorizationRequests(), request.getTransactionId(), request);
                    if (i % 20 == 0) {
                        AuthorizationRequest retry = requests.get(random.nextInt(i + 1));
                        send(topics.authorizationRequests(), retry.getTransactionId(), retry);
                    }
                    sent.incrementAndGet();
                    if (i % 100 == 99) {
                        sleep(Duration.ofMillis(150));
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
            decisions.awaitAtLeast(requests.size(), Duration.ofSeconds(180));
            System.out.printf("kill/restart: %d of %d requests sent and %d decided when killed%n", sentAtKill, requests.size(), decidedAtKill);

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

    // ---- helpers ----

    /** The committed decisions of one test run, read as a downstream consumer would. */
    private static final class DecisionLog {
        private final String run;
        private final KafkaConsumer<byte[], byte[]> consumer = consumer("read_committed");
        private final Map<String, List<AuthorizationDecision>> decisions = new HashMap<>();

        DecisionLog(String run) {
            this.run = run;
            List<TopicPartition> partitions = partitions(consumer, FraudTopics.DECISIONS);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void awaitAtLeast(int distinct, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (decisions.size() < distinct) {
                assertThat(System.nanoTime()).as("%d decisions within %s, have %d", distinct, timeout, decisions.size()).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    AuthorizationDecision decision = topics.decisions().valueSerde().deserializer().deserialize(record.topic(), record.value());
                    if (decision.getTransactionId().startsWith(run + "-")) {
                        decisions.computeIfAbsent(decision.getTransactionId(), id -> new ArrayList<>()).add(decision);
                    }
                }
            }
        }

        int distinct() {
            return decisions.size();
        }

        Map<String, List<AuthorizationDecision>> byTransaction() {
            // Whatever arrived after the last poll (retries answered late) counts too.
            long quiet = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < quiet) {
                awaitAtLeast(decisions.size(), WAIT);
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    AuthorizationDecision d = topics.decisions().valueSerde().deserializer().deserialize(record.topic(), record.value());
                    if (d.getTransactionId().startsWith(run + "-")) {
                        decisions.computeIfAbsent(d.getTransactionId(), id -> new ArrayList<>()).add(d);
                    }
                });
            }
            consumer.close();
            return decisions;
        }
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
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("read_uncommitted")) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            findings.topics.add(topic);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    findings.check(topic + " key", record.key());
                    findings.check(topic + " value", record.value());
                    for (Header header : record.headers()) {
                        findings.check(topic + " header " + header.key(), header.value());
                    }
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

    private static void awaitRecord(String topic, java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> match) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("read_committed")) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        return;
                    }
                }
            }
            throw new AssertionError("no matching record on " + topic + " within " + WAIT);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestPlatform.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "fraud-it-" + UUID.randomUUID()), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream().map(p -> new TopicPartition(topic, p.partition()))
                .collect(Collectors.toList());
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

    private static void awaitHttp(ChildProcessApp app, String path, java.util.function.Predicate<HttpResponse<String>> condition)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = app.get(path);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET " + path + " not as expected within " + WAIT + "; last: " + (last == null ? "none" : last.statusCode()));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> response, int expectedStatus) throws Exception {
        assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
