package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Role;
import io.millrace.app.broker.EmbeddedKafka;
import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.fraud.AuthorizationRequest;
import io.millrace.schemas.fraud.CardStatus;
import io.millrace.schemas.fraud.CardUpdate;
import io.millrace.schemas.latency.LatencySample;
import io.millrace.schemas.messenger.ConversationType;
import io.millrace.schemas.messenger.CreateGroup;
import io.millrace.schemas.messenger.Delivery;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.schemas.messenger.SendMessage;
import io.millrace.schemas.messenger.StoredMessage;
import io.millrace.schemas.registry.HttpRegistryClient;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Pipeline;
import io.millrace.topology.Settings;
import io.millrace.topology.Topic;
import io.millrace.topology.fraud.CardTokenizer;
import io.millrace.topology.fraud.FraudConfig;
import io.millrace.topology.fraud.FraudPipeline;
import io.millrace.topology.fraud.FraudTopics;
import io.millrace.topology.latency.LatencyPipeline;
import io.millrace.topology.latency.LatencyTopics;
import io.millrace.topology.messenger.ConversationIds;
import io.millrace.topology.messenger.MessengerPipeline;
import io.millrace.topology.messenger.MessengerTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults that must lose nothing: the app killed with SIGKILL mid-stream, the broker stopped and started under load, and
 * the state directory deleted while the app is stopped. Each test runs on a broker of its own (the first inside the
 * killed app, as a user runs it), so the faults never touch the broker the other integration tests share.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** A sailing trip's crew: the owner first. */
    private static final List<String> CREW = List.of("ana", "ben", "chloe", "dmitri", "eun-ji");
    private static final List<String> LINES = List.of("Ferry leaves at 7:40 from pier 3", "Who has the cabin keys?",
            "I'll bring the ferry tickets", "Rain on Saturday, pack the jackets", "Meet at the harbour cafe at seven",
            "Dinner booked for eight at the fish place", "Can someone pick up ice for the cooler?", "Running ten minutes late");

    @TempDir
    Path workDir;

    @Test
    void aKillMidStreamNeitherSkipsNorRepeatsASequenceForAnyMember() throws Exception {
        int messages = 600;
        String group = "crew-" + UUID.randomUUID().toString().substring(0, 8);
        Path dataDir = workDir.resolve("data");
        int httpPort = EmbeddedRunIT.freePort();
        int kafkaPort = EmbeddedRunIT.freePort();
        String bootstrap = "127.0.0.1:" + kafkaPort;
        String[] args = {"--pipelines", MessengerPipeline.NAME};

        ChildProcessApp first = ChildProcessApp.start(dataDir, httpPort, kafkaPort, args);
        ChildProcessApp second = null;
        try {
            Duration coldStart = first.awaitReady(Duration.ofSeconds(120));
            AvroSerdes serdes = new AvroSerdes(new HttpRegistryClient("http://localhost:" + httpPort + "/registry",
                    Optional.of("faults-it:" + first.token("faults-it", Role.SERVICE))));
            MessengerTopics topics = new MessengerTopics(serdes);
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                send(producer, topics.groupCommands(), group, new GroupCommand(group, CREW.get(0),
                        new CreateGroup(CREW.subList(1, CREW.size())), System.currentTimeMillis()));
            }
            await().atMost(PATIENCE).until(() -> first.get("/api/messenger/groups/" + group, Optional.of(first.token(CREW.get(0), Role.USER)))
                    .statusCode() == 200);

            // A client that sends at 40 messages a second and, like any client, retries a message (same id) until it is accepted.
            GroupChat chat = new GroupChat(httpPort, sender -> first.token(sender, Role.USER), group, messages, Duration.ofMillis(25));
            CompletableFuture<Void> chatting = chat.start();
            int sequencedAtKill;
            try (SequenceWatch watch = new SequenceWatch(bootstrap, topics, group)) {
                sequencedAtKill = watch.awaitAtLeast(messages / 4, PATIENCE);
            }
            first.kill();
            int acceptedAtKill = chat.accepted.size();
            assertThat(acceptedAtKill).as("killed mid-stream").isLessThan(messages);

            // Same HTTP port, so the same state directory: the restart finds the crashed instance's stores as they were left.
            second = ChildProcessApp.start(dataDir, httpPort, kafkaPort, args);
            Duration restart = second.awaitReady(Duration.ofSeconds(120));
            chatting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            ChildProcessApp restarted = second;
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(lag(restarted.get("/api/pipelines"), MessengerPipeline.NAME)).isZero();
                Map<String, List<StoredMessage>> delivered = deliveries(bootstrap, topics, group);
                assertThat(delivered.keySet()).containsAll(CREW);
                assertThat(delivered.values()).allSatisfy(d -> assertThat(d).hasSizeGreaterThanOrEqualTo(messages));
            });

            Map<String, List<StoredMessage>> byMember = deliveries(bootstrap, topics, group);
            assertEveryMemberGetsEverySequenceOnceInOrder(byMember, List.copyOf(chat.accepted));
            assertThat(chat.accepted).hasSize(messages);
            Map<String, Long> refused = refusals(bootstrap, serdes);
            assertThat(refused.keySet()).as("a message in doubt at the kill, sent again, is refused as a duplicate; nothing else is")
                    .isSubsetOf("DUPLICATE_MESSAGE");
            System.out.printf("SIGKILL: %d messages to a group of %d; killed with %d accepted and %d sequenced; %d sends refused while "
                            + "the app was down and retried; refused by the pipeline: %s; cold start %d ms, restart to ready %d ms; "
                            + "each member got sequences 1..%d once%n",
                    messages, CREW.size(), acceptedAtKill, sequencedAtKill, chat.retries.get(), refused, coldStart.toMillis(),
                    restart.toMillis(), messages);
        } finally {
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }

    @Test
    void pipelinesResumeByThemselvesWhenTheBrokerIsStoppedAndStartedUnderLoad() throws Exception {
        Path kafkaDir = workDir.resolve("kafka");
        int kafkaPort = EmbeddedRunIT.freePort();
        String group = "crew-" + UUID.randomUUID().toString().substring(0, 8);
        Broker broker = new Broker(kafkaDir, kafkaPort);
        Platform platform = null;
        try {
            platform = TestPlatform.startOn(broker.bootstrapServers(), workDir.resolve("app"), PipelineModules.discover(),
                    LatencyPipeline.NAME, MessengerPipeline.NAME);
            TestPlatform.awaitRunning(platform, PATIENCE);
            Platform app = platform;
            MessengerTopics topics = new MessengerTopics(platform.pipelineContext().serdes());
            try (KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers())) {
                send(producer, topics.groupCommands(), group, new GroupCommand(group, CREW.get(0),
                        new CreateGroup(CREW.subList(1, CREW.size())), System.currentTimeMillis()));
            }
            await().atMost(PATIENCE).until(() -> query(app, "/api/messenger/groups/" + group).statusCode() == 200);

            SteadyLoad load = new SteadyLoad(broker.bootstrapServers(), topics, new LatencyTopics(platform.pipelineContext()).samples(), group);
            long stoppedAt;
            long backAt;
            long resumedAt;
            long sequencedAtStop;
            String healthDuringOutage;
            try (load) {
                load.start();
                await().atMost(PATIENCE).until(() -> topSequence(app, group) >= 40);

                sequencedAtStop = topSequence(app, group);
                stoppedAt = System.nanoTime();
                broker.stop();
                // The platform notices: with no lag measured for the stall timeout (10 s here) every pipeline is DEGRADED and
                // /health says why, while queries still answer from the local stores. The outage stays shorter than the
                // clients' 60 s request timeouts.
                await().atMost(OUTAGE.plusSeconds(30)).untilAsserted(() -> {
                    assertThat(query(app, "/api/messenger/groups/" + group).statusCode())
                            .as("queries answer from the local stores").isEqualTo(200);
                    assertThat(health(app).get("pipelines")).allSatisfy(verdict -> {
                        assertThat(verdict.get("status").asText()).as("%s", verdict).isEqualTo("DEGRADED");
                        assertThat(verdict.get("reason").asText()).contains("lag not measured");
                    });
                });
                assertThat(TestPlatform.get(app, "/health").statusCode()).isEqualTo(503);
                healthDuringOutage = health(app).toString();

                broker.start();
                backAt = System.nanoTime();
                await().atMost(PATIENCE).until(() -> topSequence(app, group) > load.messagesSentBefore(stoppedAt));
                resumedAt = System.nanoTime();
            }
            assertThat(load.failures).as("sends the producer refused or the broker never acknowledged").isEmpty();

            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertEveryMemberGetsEverySequenceOnceInOrder(deliveries(broker.bootstrapServers(), topics, group),
                        List.copyOf(load.acknowledgedMessages));
                for (JsonNode info : JSON.readTree(TestPlatform.get(app, "/api/pipelines").body())) {
                    assertThat(info.get("lag").asLong()).as("%s lag: %s", info.get("name").asText(), info.get("lagByTopic")).isZero();
                }
                assertThat(TestPlatform.get(app, "/health").statusCode()).isEqualTo(200);
            });
            long caughtUpAt = System.nanoTime();

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(samplesCounted(app, SteadyLoad.SERVICE))
                    .as("samples counted in the checkout windows").isGreaterThanOrEqualTo(load.acknowledgedSamples.get()));
            List<String> threadFailures = new ArrayList<>();
            for (JsonNode info : JSON.readTree(TestPlatform.get(app, "/api/pipelines").body())) {
                assertThat(info.get("state").asText()).isEqualTo("RUNNING");
                threadFailures.add(info.get("name").asText() + "=" + info.get("threadFailures").asInt());
            }
            platform.pipelines().forEach(p -> assertThat(p.streams().metadataForLocalThreads()).extracting(ThreadMetadata::threadState)
                    .as("%s's stream threads", p.name()).isNotEmpty().containsOnly("RUNNING"));

            System.out.printf("broker restart: %d messages and %d samples acknowledged; %d sequenced when stopped; "
                            + "broker down %d ms; /health at the end of the outage: %s; processing resumed %d ms "
                            + "and caught up (every acknowledged message delivered, lag 0, /health 200) %d ms after the broker was back; thread failures %s; samples counted %d%n",
                    load.acknowledgedMessages.size(), load.acknowledgedSamples.get(), sequencedAtStop, millis(stoppedAt, backAt), healthDuringOutage, millis(backAt, resumedAt), millis(backAt, caughtUpAt),
                    threadFailures, samplesCounted(app, SteadyLoad.SERVICE));
        } finally {
            // A platform closes cleanly only with its broker up: its producers wait for what they have in flight.
            if (platform != null) {
                broker.start();
                platform.close();
            }
            broker.stop();
        }
    }

    @Test
    void storesDeletedWhileStoppedAreRestoredFromTheirChangelogsAndAnswerTheSame() throws Exception {
        Path dataDir = workDir.resolve("app");
        int httpPort = EmbeddedRunIT.freePort();
        String run = UUID.randomUUID().toString().substring(0, 6);
        String[] groups = {"crew-" + run, "book-club-" + run, "flat-" + run};
        CardTokenizer tokens = new CardTokenizer(FraudConfig.from(Settings.fromProcess()).tokenizationKey());
        List<String> cards = Stream.iterate(810_000, n -> n + 1).limit(12).map(FaultsIT::cardNumber).toList();
        Map<String, JsonNode> before = new LinkedHashMap<>();
        List<String> queries = new ArrayList<>();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(workDir.resolve("kafka"), 0)) {
            try (Platform platform = TestPlatform.startOn(kafka.bootstrapServers(), dataDir, httpPort, PipelineModules.discover(),
                    MessengerPipeline.NAME, FraudPipeline.NAME);
                 KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
                TestPlatform.awaitRunning(platform, PATIENCE);
                MessengerTopics messenger = new MessengerTopics(platform.pipelineContext().serdes());
                FraudTopics fraud = new FraudTopics(platform.pipelineContext().serdes());
                for (String group : groups) {
                    send(producer, messenger.groupCommands(), group, new GroupCommand(group, CREW.get(0),
                            new CreateGroup(CREW.subList(1, CREW.size())), System.currentTimeMillis()));
                }
                for (int c = 0; c < cards.size(); c++) {
                    send(producer, fraud.cardUpdates(), "account-" + c, CardUpdate.newBuilder().setCardNumber(cards.get(c))
                            .setCreditLimit(50_000L).setStatus(CardStatus.ACTIVE).setHomeCountry("US").setTimestamp(System.currentTimeMillis())
                            .build());
                }
                for (String group : groups) {
                    TestPlatform.as(platform, CREW.get(0)).awaitGet("/api/messenger/groups/" + group, r -> r.statusCode() == 200, PATIENCE);
                }
                for (String card : cards) {
                    TestPlatform.awaitGet(platform, "/api/fraud/cards/" + tokens.token(card), r -> r.statusCode() == 200, PATIENCE);
                }

                SplittableRandom random = new SplittableRandom(11);
                long now = System.currentTimeMillis();
                List<String> messageIds = new ArrayList<>();
                Map<String, Long> messagesPerConversation = new TreeMap<>();
                for (int i = 0; i < 450; i++) {
                    String sender = CREW.get(random.nextInt(CREW.size()));
                    boolean direct = i % 5 == 4;
                    String messageId = "m-" + run + "-" + i;
                    messageIds.add(messageId);
                    String to = direct ? (sender.equals("ana") ? "ben" : "ana") : groups[i % groups.length];
                    ConversationType type = direct ? ConversationType.DIRECT : ConversationType.GROUP;
                    messagesPerConversation.merge(ConversationIds.of(type, sender, to), 1L, Long::sum);
                    producer.send(record(messenger.messages(), ConversationIds.of(type, sender, to), new SendMessage(messageId, sender, type, to,
                            LINES.get(i % LINES.size()), null, null, null, now - (450 - i) * 1_000L)));
                }
                List<String> transactions = new ArrayList<>();
                long base = now - Duration.ofHours(1).toMillis();
                for (int i = 0; i < 10; i++) {
                    for (int c = 0; c < cards.size(); c++) {
                        String transaction = "t-" + run + "-" + c + "-" + i;
                        transactions.add(transaction);
                        producer.send(record(fraud.authorizationRequests(), transaction, AuthorizationRequest.newBuilder()
                                .setTransactionId(transaction).setCardNumber(cards.get(c)).setMerchantId("m-" + c).setMerchantCategory("5411")
                                .setAmount(1_000L + random.nextInt(4_001)).setCurrency("USD").setCountry("US").setLatitude(null)
                                .setLongitude(null).setTimestamp(base + i * Duration.ofMinutes(4).toMillis()).build()));
                    }
                }
                producer.flush();

                queries.add("/api/messenger/users/ben/inbox");
                queries.add("/api/messenger/users/eun-ji/inbox?limit=2");
                queries.add("/api/messenger/users/chloe/search?q=ferry");
                queries.add("/api/messenger/conversations/dm:ana:ben/messages?limit=200");
                for (String group : groups) {
                    queries.add("/api/messenger/groups/" + group);
                    queries.add("/api/messenger/conversations/" + group + "/messages?limit=200");
                }
                queries.add("/api/messenger/messages/" + messageIds.get(0) + "/status");
                queries.add("/api/messenger/messages/" + messageIds.get(messageIds.size() - 1) + "/status");
                for (int c = 0; c < cards.size(); c += 4) {
                    queries.add("/api/fraud/cards/" + tokens.token(cards.get(c)));
                }
                queries.add("/api/fraud/decisions/" + transactions.get(0));
                queries.add("/api/fraud/decisions/" + transactions.get(transactions.size() - 1));

                // Everything written is processed to the end of each flow: every conversation's last message is in every
                // member's inbox, every transaction has its decision, and every card holds what it approved.
                await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    for (String member : CREW) {
                        Map<String, Long> lastInInbox = new TreeMap<>();
                        for (JsonNode item : json(query(platform, "/api/messenger/users/" + member + "/inbox"), 200)) {
                            lastInInbox.put(item.get("conversation").asText(), item.get("lastMessage").get("sequence").asLong());
                        }
                        Map<String, Long> expected = new TreeMap<>(messagesPerConversation);
                        expected.keySet().removeIf(c -> ConversationIds.isDirect(c) && !ConversationIds.participants(c).contains(member));
                        assertThat(lastInInbox).as("%s's inbox: last sequence by conversation", member).isEqualTo(expected);
                    }
                    for (String transaction : transactions) {
                        assertThat(TestPlatform.get(platform, "/api/fraud/decisions/" + transaction).statusCode()).as(transaction)
                                .isEqualTo(200);
                    }
                    for (String card : cards) {
                        JsonNode view = json(TestPlatform.get(platform, "/api/fraud/cards/" + tokens.token(card)), 200);
                        long approved = 0;
                        for (JsonNode decision : view.get("recentDecisions")) {
                            approved += decision.get("decision").asText().equals("APPROVE") ? decision.get("amount").asLong() : 0;
                        }
                        assertThat(view.get("recentDecisions")).hasSize(10);
                        assertThat(view.get("held").asLong()).as("held on card %s", view.get("card")).isEqualTo(approved);
                    }
                });
                for (String query : queries) {
                    before.put(query, json(query(platform, query), 200));
                }
                assertThat(before.get("/api/messenger/conversations/" + groups[0] + "/messages?limit=200").get("messages"))
                        .as("the crew's messages, all kept").hasSize(120);
            }

            Path stateDir = dataDir.resolve("streams-" + httpPort);
            assertThat(stateDir.resolve(Pipeline.applicationId(MessengerPipeline.NAME))).isDirectory();
            assertThat(stateDir.resolve(Pipeline.applicationId(FraudPipeline.NAME))).isDirectory();
            long storeBytes = deleteRecursively(stateDir);
            assertThat(stateDir).doesNotExist();

            long startedAt = System.nanoTime();
            try (Platform restarted = TestPlatform.startOn(kafka.bootstrapServers(), dataDir, httpPort, PipelineModules.discover(),
                    MessengerPipeline.NAME, FraudPipeline.NAME)) {
                Readiness readiness = Readiness.watch(restarted, PATIENCE);
                long readyAt = System.nanoTime();
                assertThat(readiness.notReadyAnswers).as("/ready said 503 until the stores were back").isPositive();

                for (String query : queries) {
                    assertThat(json(query(restarted, query), 200)).as(query).isEqualTo(before.get(query));
                }
                Map<String, Long> restored = restoredRecords(restarted);
                assertThat(restored).as("records restored from the changelogs, by pipeline").allSatisfy((p, n) -> assertThat(n).isPositive());
                System.out.printf("state dir deleted: %d KiB of stores gone; ready %d ms after the restart; /ready answered 503 %d times, "
                                + "%d of them listing changelogs being restored (%s); restored %s records; %d queries answered the same%n",
                        storeBytes / 1024, millis(startedAt, readyAt), readiness.notReadyAnswers, readiness.restoringAnswers,
                        readiness.restoringExample, restored, queries.size());
            }
        }
    }

    // ---- the client, the load and the checks ----

    /** A group chat client over HTTP: sends at a steady pace and retries each message with its own id until it is accepted. */
    private static final class GroupChat {
        private final int httpPort;
        private final Function<String, String> tokens;
        private final String group;
        private final int messages;
        private final Duration pace;
        final List<String> accepted = new CopyOnWriteArrayList<>();
        final AtomicInteger retries = new AtomicInteger();

        GroupChat(int httpPort, Function<String, String> tokens, String group, int messages, Duration pace) {
            this.httpPort = httpPort;
            this.tokens = tokens;
            this.group = group;
            this.messages = messages;
            this.pace = pace;
        }

        CompletableFuture<Void> start() {
            return CompletableFuture.runAsync(this::chat, runnable -> {
                Thread thread = new Thread(runnable, "faults-it-chat");
                thread.setDaemon(true);
                thread.start();
            });
        }

        private void chat() {
            long began = System.nanoTime();
            try {
                for (int i = 0; i < messages; i++) {
                    String messageId = group + "-" + i;
                    String sender = CREW.get(i % CREW.size());
                    String body = JSON.writeValueAsString(Map.of("messageId", messageId, "sender", sender,
                            "conversationType", "GROUP", "to", group, "body", LINES.get(i % LINES.size())));
                    sendUntilAccepted(messageId, sender, body);
                    long next = began + (i + 1) * pace.toNanos();
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("chat stopped after " + accepted.size() + " accepted messages", e);
            }
        }

        private void sendUntilAccepted(String messageId, String sender, String body) throws Exception {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                int status;
                try {
                    status = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/api/messenger/messages"))
                            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + tokens.apply(sender))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException appDown) {
                    status = -1;
                }
                if (status == 202) {
                    accepted.add(messageId);
                    return;
                }
                assertThat(status / 100).as("answer to message %s: %d", messageId, status).isNotEqualTo(4);
                assertThat(System.nanoTime()).as("message %s accepted within %s", messageId, PATIENCE).isLessThan(deadline);
                retries.incrementAndGet();
                Thread.sleep(100);
            }
        }
    }

    /** Services reporting latency and a crew chatting, written by a producer of their own at a steady pace. */
    private static final class SteadyLoad implements AutoCloseable {
        static final String SERVICE = "checkout";
        private static final List<String> ENDPOINTS = List.of("cart.add", "cart.view", "order.place");

        private final KafkaProducer<byte[], byte[]> producer;
        private final MessengerTopics topics;
        private final Topic<String, LatencySample> samples;
        private final String group;
        private final Thread thread;
        private volatile boolean running = true;
        /** When each message was sent, by its index. */
        private final Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        final Set<String> acknowledgedMessages = ConcurrentHashMap.newKeySet();
        final AtomicInteger acknowledgedSamples = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();

        SteadyLoad(String bootstrap, MessengerTopics topics, Topic<String, LatencySample> samples, String group) {
            this.producer = producer(bootstrap);
            this.topics = topics;
            this.samples = samples;
            this.group = group;
            this.thread = new Thread(this::write, "faults-it-load");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        /** Messages sent before {@code nanoTime}. */
        long messagesSentBefore(long nanoTime) {
            return sentAt.values().stream().filter(t -> t < nanoTime).count();
        }

        // One message and two samples every 50 ms: 20 messages and 40 samples a second.
        private void write() {
            SplittableRandom random = new SplittableRandom(3);
            long began = System.nanoTime();
            for (int i = 0; running; i++) {
                String messageId = group + "-" + i;
                String sender = CREW.get(i % CREW.size());
                sentAt.put(i, System.nanoTime());
                send(record(topics.messages(), group, new SendMessage(messageId, sender, ConversationType.GROUP, group,
                        LINES.get(i % LINES.size()), null, null, null, System.currentTimeMillis())), () -> acknowledgedMessages.add(messageId));
                for (int s = 0; s < 2; s++) {
                    boolean failed = random.nextInt(50) == 0;
                    LatencySample sample = new LatencySample(SERVICE, ENDPOINTS.get(random.nextInt(ENDPOINTS.size())), "eu-west",
                            failed ? 2_000_000L : 20_000L + random.nextInt(380_000), failed ? 503 : 200, System.currentTimeMillis());
                    send(record(samples, SERVICE, sample), acknowledgedSamples::incrementAndGet);
                }
                long wait = began + (i + 1) * 50_000_000L - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        // While the broker is away the producer buffers; once it has no metadata left, send blocks (up to max.block.ms).
        private void send(ProducerRecord<byte[], byte[]> record, Runnable acknowledged) {
            try {
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        acknowledged.run();
                    } else {
                        failures.add(record.topic() + ": " + error);
                    }
                });
            } catch (RuntimeException refused) {
                failures.add(record.topic() + ": refused: " + refused);
            }
        }

        /** Stops writing and waits until the broker has acknowledged, or refused, every record sent. */
        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(Duration.ofSeconds(10).toMillis());
            // With the broker up this is a flush; with it down (a failed test) the records still waiting fail after the timeout.
            producer.close(Duration.ofSeconds(30));
        }
    }

    /** A broker of the test's own that can be stopped and started again on the same port and log dirs. */
    private static final class Broker {
        private final Path dir;
        private final int port;
        private EmbeddedKafka kafka;

        Broker(Path dir, int port) {
            this.dir = dir;
            this.port = port;
            start();
        }

        String bootstrapServers() {
            return "127.0.0.1:" + port;
        }

        void start() {
            if (kafka == null) {
                kafka = EmbeddedKafka.start(dir, port);
            }
        }

        void stop() {
            if (kafka != null) {
                kafka.close();
                kafka = null;
            }
        }
    }

    /** Follows the committed deliveries of one conversation and counts the distinct sequences it has seen. */
    private static final class SequenceWatch implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Deserializer<Delivery> deliveries;
        private final String conversation;
        private final Set<Long> sequences = new TreeSet<>();

        SequenceWatch(String bootstrap, MessengerTopics topics, String conversation) {
            this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.CLIENT_ID_CONFIG, "faults-it-watch"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.deliveries = topics.deliveries().valueSerde().deserializer();
            this.conversation = conversation;
            List<TopicPartition> partitions = consumer.partitionsFor(MessengerTopics.DELIVERIES, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        int awaitAtLeast(int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (sequences.size() < count) {
                assertThat(System.nanoTime()).as("%d messages sequenced within %s, have %d", count, timeout, sequences.size())
                        .isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    StoredMessage message = deliveries.deserialize(record.topic(), record.value()).getMessage();
                    if (message.getConversation().equals(conversation)) {
                        sequences.add(message.getSequence());
                    }
                }
            }
            return sequences.size();
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** What /ready answered, polled closely from the moment an instance starts until it says 200. */
    private record Readiness(int notReadyAnswers, int restoringAnswers, String restoringExample) {

        static Readiness watch(Platform platform, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            int notReady = 0;
            int restoring = 0;
            String example = "none seen";
            while (true) {
                HttpResponse<String> ready = TestPlatform.get(platform, "/ready");
                if (ready.statusCode() == 200) {
                    return new Readiness(notReady, restoring, example);
                }
                assertThat(ready.statusCode()).isEqualTo(503);
                notReady++;
                JsonNode body = JSON.readTree(ready.body());
                boolean listed = false;
                for (JsonNode pipeline : body.get("pipelines")) {
                    for (JsonNode changelog : pipeline.get("restoring")) {
                        listed = true;
                        if (changelog.get("total").asLong() > 0) {
                            example = changelog.toString();
                        }
                    }
                }
                restoring += listed ? 1 : 0;
                assertThat(System.nanoTime()).as("ready within %s", timeout).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    /**
     * Checks a conversation's deliveries as its members' clients would: each member got every sequence from 1 to the number
     * of accepted messages exactly once and in order, the same message at each sequence for everyone, and each accepted
     * message once.
     */
    private static void assertEveryMemberGetsEverySequenceOnceInOrder(Map<String, List<StoredMessage>> byMember, List<String> accepted) {
        assertThat(byMember.keySet()).containsExactlyInAnyOrderElementsOf(CREW);
        Map<Long, String> messageAt = new TreeMap<>();
        for (String member : CREW) {
            List<Long> sequences = byMember.get(member).stream().map(StoredMessage::getSequence).toList();
            Map<Long, Long> counts = new TreeMap<>();
            sequences.forEach(s -> counts.merge(s, 1L, Long::sum));
            List<Long> repeated = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            List<Long> missing = Stream.iterate(1L, s -> s + 1).limit(accepted.size()).filter(s -> !counts.containsKey(s)).toList();
            assertThat(repeated).as("%s's repeated sequences", member).isEmpty();
            assertThat(missing).as("%s's missing sequences", member).isEmpty();
            assertThat(sequences).as("%s's sequences", member).hasSize(accepted.size()).isSorted();
            for (StoredMessage message : byMember.get(member)) {
                String first = messageAt.putIfAbsent(message.getSequence(), message.getMessageId());
                assertThat(first == null ? message.getMessageId() : first).as("message at sequence %d", message.getSequence())
                        .isEqualTo(message.getMessageId());
            }
        }
        assertThat(messageAt.values()).as("each accepted message sequenced once").containsExactlyInAnyOrderElementsOf(accepted);
    }

    /** Every committed delivery of {@code conversation}, by member, in the order the member's partition holds them. */
    private static Map<String, List<StoredMessage>> deliveries(String bootstrap, MessengerTopics topics, String conversation) {
        Deserializer<Delivery> values = topics.deliveries().valueSerde().deserializer();
        Map<String, List<StoredMessage>> byMember = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : Topics.committed(bootstrap, MessengerTopics.DELIVERIES)) {
            Delivery delivery = values.deserialize(record.topic(), record.value());
            if (delivery.getMessage().getConversation().equals(conversation)) {
                byMember.computeIfAbsent(delivery.getRecipient(), m -> new ArrayList<>()).add(delivery.getMessage());
            }
        }
        return byMember;
    }

    /** What the messenger refused on this broker: how many of each reason code. */
    private static Map<String, Long> refusals(String bootstrap, AvroSerdes serdes) {
        Deserializer<Rejected> values = serdes.value(Rejected.class).deserializer();
        Map<String, Long> codes = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : Topics.committed(bootstrap, MessengerPipeline.NAME + ".rejected")) {
            codes.merge(values.deserialize(record.topic(), record.value()).getCode(), 1L, Long::sum);
        }
        return codes;
    }

    /**
     * GET {@code path} as the one who may read it: a user's own inbox or search as that user, a conversation, group or
     * message status as ana (a member of every crew group and a party to every direct message here), the rest as an operator.
     */
    private static HttpResponse<String> query(Platform platform, String path) throws Exception {
        java.util.regex.Matcher user = java.util.regex.Pattern.compile("^/api/messenger/users/([^/]+)/").matcher(path);
        if (user.find()) {
            return TestPlatform.as(platform, user.group(1)).get(path);
        }
        return path.startsWith("/api/messenger/") ? TestPlatform.as(platform, CREW.get(0)).get(path) : TestPlatform.get(platform, path);
    }

    /** The conversation's highest sequence, as its newest message over HTTP says; 0 before the first. */
    private static long topSequence(Platform platform, String conversation) throws Exception {
        HttpResponse<String> page = query(platform, "/api/messenger/conversations/" + conversation + "/messages?limit=1");
        if (page.statusCode() != 200) {
            return 0;
        }
        return JSON.readTree(page.body()).get("messages").get(0).get("sequence").asLong();
    }

    /** Samples counted in a service's one-minute windows, all of the last hour. */
    private static long samplesCounted(Platform platform, String service) throws Exception {
        JsonNode series = json(TestPlatform.get(platform, "/api/latency/services/" + service + "?window=1m"), 200);
        long count = 0;
        for (JsonNode point : series.get("points")) {
            count += point.get("count").asLong();
        }
        return count;
    }

    /** Records each pipeline's restore consumers have read from the changelogs since it started (no standbys run here). */
    private static Map<String, Long> restoredRecords(Platform platform) {
        Map<String, Long> restored = new TreeMap<>();
        for (var pipeline : platform.pipelines()) {
            long total = pipeline.streams().metrics().values().stream()
                    .filter(m -> m.metricName().name().equals("records-consumed-total")
                            && m.metricName().group().equals("consumer-fetch-manager-metrics")
                            && !m.metricName().tags().containsKey("topic")
                            && m.metricName().tags().getOrDefault("client-id", "").endsWith("restore-consumer"))
                    .mapToLong(m -> ((Number) m.metricValue()).longValue()).sum();
            restored.put(pipeline.name(), total);
        }
        return restored;
    }

    private static JsonNode health(Platform platform) throws Exception {
        return JSON.readTree(TestPlatform.get(platform, "/health").body());
    }

    private static long lag(HttpResponse<String> pipelines, String name) throws Exception {
        for (JsonNode info : JSON.readTree(pipelines.body())) {
            if (info.get("name").asText().equals(name)) {
                return info.get("lag").asLong();
            }
        }
        throw new AssertionError("no pipeline " + name + " in " + pipelines.body());
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static <V> ProducerRecord<byte[], byte[]> record(Topic<String, V> topic, String key, V value) {
        return new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key, V value) throws Exception {
        producer.send(record(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    /** A 16-digit Luhn-valid card number of the test range. */
    private static String cardNumber(int n) {
        String body = "4" + String.format("%014d", n);
        for (int check = 0; check < 10; check++) {
            if (CardTokenizer.normalize(body + check).isPresent()) {
                return body + check;
            }
        }
        throw new IllegalStateException();
    }

    /** Deletes a directory tree; returns how many bytes it held. */
    private static long deleteRecursively(Path dir) throws IOException {
        long bytes = 0;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isRegularFile(path)) {
                    bytes += Files.size(path);
                }
                Files.delete(path);
            }
        }
        return bytes;
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static JsonNode json(HttpResponse<String> response, int expectedStatus) throws Exception {
        assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
