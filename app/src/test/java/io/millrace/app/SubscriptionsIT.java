package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Role;
import io.millrace.schemas.messenger.CreateGroup;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.topology.Settings;
import io.millrace.topology.Topic;
import io.millrace.topology.messenger.MessengerTopics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live subscriptions as clients use them: a WebSocket client (the JDK's) and a server-sent-events client (an HTTP client
 * reading the event stream) following their own messages; a client that reconnects with its last id; a client too slow
 * to keep up; who may subscribe to what.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubscriptionsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Small, so that a client that stops reading is found out quickly. */
    private static final int QUEUE = 20;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Platform app;
    private static MessengerTopics topics;

    @BeforeAll
    static void start() throws Exception {
        app = Platform.start(TestPlatform.config(TestPlatform.bootstrapServers(), Files.createTempDirectory("millrace-it-live"), "messenger")
                .settings(Settings.of(Map.of(Platform.LIVE_QUEUE, String.valueOf(QUEUE)))).build(), PipelineModules.discover());
        TestPlatform.awaitRunning(app, PATIENCE);
        topics = new MessengerTopics(app.pipelineContext().serdes());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aMessageToAGroupArrivesOnTheWebSocketAndTheEventStreamOfEveryOtherMemberInOrder() throws Exception {
        Crew crew = Crew.created();
        try (SseClient chloe = SseClient.open(crew.chloe, Optional.empty());
             WsClient ben = WsClient.open(crew.ben, Optional.empty())) {
            for (int i = 1; i <= 5; i++) {
                crew.send(crew.ana, "line " + i);
            }
            List<JsonNode> viaSse = chloe.awaitMessages(5);
            List<JsonNode> viaWs = ben.awaitMessages(5);
            for (List<JsonNode> received : List.of(viaSse, viaWs)) {
                assertThat(received).extracting(e -> e.at("/message/sequence").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
                assertThat(received).extracting(e -> e.at("/message/body").asText()).containsExactly("line 1", "line 2", "line 3",
                        "line 4", "line 5");
                assertThat(received).allSatisfy(e -> assertThat(e.at("/message/sender").asText()).isEqualTo(crew.ana));
            }
            assertThat(chloe.events.get(0).type()).as("the first event says where the stream starts").isEqualTo("ready");
        }
    }

    @Test
    void aClientThatReconnectsWithItsLastIdGetsExactlyWhatItMissed() throws Exception {
        Crew crew = Crew.created();
        String lastSseId;
        String lastWsId;
        try (SseClient chloe = SseClient.open(crew.chloe, Optional.empty());
             WsClient ben = WsClient.open(crew.ben, Optional.empty())) {
            crew.send(crew.ana, "before 1");
            crew.send(crew.ana, "before 2");
            lastSseId = chloe.awaitMessages(2).size() == 2 ? chloe.lastId() : null;
            lastWsId = ben.awaitMessages(2).size() == 2 ? ben.lastId() : null;
        }
        // Both are gone while three more are sent
        for (int i = 1; i <= 3; i++) {
            crew.send(crew.ana, "while away " + i);
        }
        try (SseClient chloe = SseClient.open(crew.chloe, Optional.of(lastSseId));
             WsClient ben = WsClient.open(crew.ben, Optional.of(lastWsId))) {
            crew.send(crew.ana, "after");
            for (List<JsonNode> received : List.of(chloe.awaitMessages(4), ben.awaitMessages(4))) {
                assertThat(received).extracting(e -> e.at("/message/body").asText())
                        .containsExactly("while away 1", "while away 2", "while away 3", "after");
                assertThat(received).extracting(e -> e.at("/message/sequence").asLong()).containsExactly(3L, 4L, 5L, 6L);
            }
            // Nothing more: no duplicate arrives later
            crew.send(crew.ana, "last");
            assertThat(chloe.awaitMessages(5).get(4).at("/message/body").asText()).isEqualTo("last");
            assertThat(ben.awaitMessages(5).get(4).at("/message/body").asText()).isEqualTo("last");
        }
    }

    @Test
    void onItsSocketAClientSendsMessagesReceiptsAndTypingAndTheOthersSeeThem() throws Exception {
        Crew crew = Crew.created();
        try (SseClient chloe = SseClient.open(crew.chloe, Optional.empty());
             WsClient ben = WsClient.open(crew.ben, Optional.empty());
             WsClient ana = WsClient.open(crew.ana, Optional.empty())) {
            crew.send(crew.ana, "anyone up for a hike?");
            ben.awaitMessages(1);

            ben.send("{\"type\":\"message\",\"ref\":\"r1\",\"conversationType\":\"GROUP\",\"to\":\"" + crew.group
                    + "\",\"body\":\"count me in\"}");
            JsonNode ack = ben.awaitEvent("ack", e -> e.path("ref").asText().equals("r1"));
            assertThat(ack.at("/accepted/conversation").asText()).isEqualTo(crew.group);
            for (List<JsonNode> received : List.of(chloe.awaitMessages(2), ana.awaitMessages(2))) {
                assertThat(received.get(1).at("/message/sender").asText()).isEqualTo(crew.ben);
                assertThat(received.get(1).at("/message/body").asText()).isEqualTo("count me in");
            }
            assertThat(ben.awaitMessages(2).get(1).path("role").asText()).as("the sender's own copy").isEqualTo("SENT");

            // ben has read ana's message: ana, its sender, hears so
            ben.send("{\"type\":\"receipt\",\"ref\":\"r2\",\"conversation\":\"" + crew.group + "\",\"upTo\":1,\"status\":\"READ\"}");
            JsonNode receipt = ana.awaitEvent("receipt", e -> e.path("reader").asText().equals(crew.ben));
            assertThat(receipt.path("upTo").asLong()).isEqualTo(1);
            assertThat(receipt.path("conversation").asText()).isEqualTo(crew.group);

            // ben types: the others see it
            ben.send("{\"type\":\"typing\",\"conversation\":\"" + crew.group + "\",\"typing\":true}");
            JsonNode typing = chloe.awaitEvent("typing", e -> e.path("user").asText().equals(crew.ben));
            assertThat(typing.path("typing").asBoolean()).isTrue();

            // Acting as someone else, or sending nonsense, is answered with an error on the socket, which stays open
            ben.send("{\"type\":\"message\",\"ref\":\"r3\",\"sender\":\"" + crew.ana + "\",\"conversationType\":\"GROUP\","
                    + "\"to\":\"" + crew.group + "\",\"body\":\"it is me, ana\"}");
            assertThat(ben.awaitEvent("error", e -> e.path("error").asText().equals("forbidden")).path("detail").asText()).contains("sender");
            ben.send("{\"type\":\"dance\"}");
            ben.awaitEvent("error", e -> e.path("detail").asText().contains("dance"));
            ben.send("not json");
            ben.awaitEvent("error", e -> e.path("error").asText().equals("bad_request"));
            crew.send(crew.ana, "still here?");
            assertThat(ben.awaitMessages(3).get(2).at("/message/body").asText()).isEqualTo("still here?");
        }
    }

    @Test
    void aClientThatStopsReadingIsToldToResyncAndClosedWhileAnotherKeepsReceiving() throws Exception {
        Crew crew = Crew.created();
        String body = "x".repeat(20_000);
        try (SseClient chloe = SseClient.open(crew.chloe, Optional.empty());
             Socket stalled = stalledSubscriber(crew.ben)) {
            for (int i = 1; i <= 150; i++) {
                crew.send(crew.ana, i + " " + body);
                if (i % (QUEUE / 2) == 0) {
                    // Chloe reads: she never has more than half her queue pending (a burst of 150 in one transaction could
                    // overflow her queue of 20 before her sender caught up, and she would rightly be told to resync)
                    chloe.awaitMessages(i);
                }
            }
            assertThat(chloe.awaitMessages(150)).extracting(e -> e.at("/message/sequence").asLong()).startsWith(1L, 2L, 3L).endsWith(150L);
            await("the stalled client counted as dropped").atMost(PATIENCE).until(() -> droppedSlow() >= 1);
            // When it reads at last: what its buffers held, then resync, then the end of the stream
            String rest = new String(stalled.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(rest).contains("event: resync").contains("slow_client");
            assertThat(rest.indexOf("event: resync")).isGreaterThan(rest.lastIndexOf("event: message"));
        }
    }

    @Test
    void onlyTheUserFollowsTheirOwnStreamAndOperatorsTheirs() throws Exception {
        String events = "/api/messenger/users/ana/events";
        assertThat(stream(events, Optional.empty()).statusCode()).isEqualTo(401);
        assertThat(stream(events, Optional.of(TestPlatform.token("mallory", Role.USER))).statusCode()).isEqualTo(403);
        assertThat(stream(events, Optional.of(TestPlatform.token("ops", Role.OPERATOR))).statusCode()).isEqualTo(403);
        assertThat(stream(events + "?since=not-an-id", Optional.of(TestPlatform.token("ana", Role.USER))).statusCode()).isEqualTo(400);
        HttpResponse<InputStream> own = stream(events, Optional.of(TestPlatform.token("ana", Role.USER)));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        own.body().close();

        assertThat(handshake("ana", Optional.of(TestPlatform.token("mallory", Role.USER)))).isEqualTo(403);
        assertThat(handshake("ana", Optional.empty())).isEqualTo(401);
        assertThat(handshake("ana", Optional.of(TestPlatform.token("ana", Role.USER)))).isEqualTo(101);
    }

    /** The status the WebSocket handshake got: 101 when it was switched. */
    private static int handshake(String user, Optional<String> token) throws Exception {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        try {
            builder.buildAsync(URI.create("ws://localhost:" + app.httpPort() + "/api/messenger/users/" + user + "/socket"),
                    new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS).abort();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    // ---- clients

    /** An event as a client got it. */
    record Event(String id, String type, JsonNode data) {
    }

    /** What both kinds of client keep: the events they got, in order. */
    abstract static class Client implements AutoCloseable {
        final List<Event> events = new CopyOnWriteArrayList<>();

        List<JsonNode> awaitMessages(int n) {
            await().alias("%d messages".formatted(n)).atMost(PATIENCE)
                    .failFast("the server told this client to resync (its queue overflowed)", () -> events.stream().anyMatch(e -> e.type().equals("resync")))
                    .until(() -> messages().size(), size -> size >= n);
            return messages();
        }

        List<JsonNode> messages() {
            return events.stream().filter(e -> e.type().equals("message")).map(Event::data).toList();
        }

        JsonNode awaitEvent(String type, java.util.function.Predicate<JsonNode> matching) {
            return await("a %s event".formatted(type)).atMost(PATIENCE).until(
                    () -> events.stream().filter(e -> e.type().equals(type) && matching.test(e.data())).map(Event::data).findFirst(),
                    Optional::isPresent).get();
        }

        String lastId() {
            return events.get(events.size() - 1).id();
        }
    }

    /** Reads an event stream line by line, as an EventSource does. */
    static final class SseClient extends Client {
        private final InputStream body;
        private final Thread reader;

        private SseClient(InputStream body) {
            this.body = body;
            this.reader = new Thread(this::read, "sse-client");
            this.reader.setDaemon(true);
            this.reader.start();
        }

        static SseClient open(String user, Optional<String> lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.httpPort() + "/api/messenger/users/"
                    + user + "/events")).header("Accept", "text/event-stream").header("Authorization", "Bearer "
                    + TestPlatform.token(user, Role.USER));
            lastEventId.ifPresent(id -> request.header("Last-Event-ID", id));
            HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            SseClient client = new SseClient(response.body());
            await("ready").atMost(PATIENCE).until(() -> !client.events.isEmpty());
            return client;
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String id = null;
                String type = "message";
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Event(id, type, JSON.readTree(data.toString())));
                        }
                        type = "message";
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        type = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            } catch (IOException closed) {
                // the test closed it, or the server did
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** The JDK's WebSocket client: each text frame one event. */
    static final class WsClient extends Client implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static WsClient open(String user, Optional<String> since) throws Exception {
            WsClient client = new WsClient();
            String query = since.map(id -> "?since=" + id).orElse("");
            client.socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + TestPlatform.token(user, Role.USER))
                    .buildAsync(URI.create("ws://localhost:" + app.httpPort() + "/api/messenger/users/" + user + "/socket" + query), client)
                    .get(30, TimeUnit.SECONDS);
            await("ready").atMost(PATIENCE).until(() -> !client.events.isEmpty());
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode frame = JSON.readTree(partial.toString());
                    events.add(new Event(frame.get("id").asText(), frame.get("event").asText(), frame.get("data")));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    /** A subscriber that sends its request and then reads nothing, with as small a receive buffer as the system allows. */
    private static Socket stalledSubscriber(String user) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", app.httpPort()));
        socket.setSoTimeout((int) PATIENCE.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/messenger/users/" + user + "/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer " + TestPlatform.token(user, Role.USER) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return socket;
    }

    private static double droppedSlow() throws Exception {
        return TestPlatform.get(app, "/metrics").body().lines()
                .filter(line -> line.startsWith("millrace_live_dropped_total") && line.contains("slow_client"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static HttpResponse<InputStream> stream(String path, Optional<String> token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.httpPort() + path))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
        }
        return response;
    }

    /** A group of three with ids of its own: ana (the owner), ben and chloe. */
    private record Crew(String group, String ana, String ben, String chloe) {

        static Crew created() throws Exception {
            String id = UUID.randomUUID().toString().substring(0, 8);
            Crew crew = new Crew("live-" + id, "ana-" + id, "ben-" + id, "chloe-" + id);
            try (KafkaProducer<byte[], byte[]> producer = Topics.producer()) {
                Topic<String, GroupCommand> commands = topics.groupCommands();
                producer.send(new ProducerRecord<>(commands.name(), commands.keySerde().serializer().serialize(commands.name(), crew.group),
                        commands.valueSerde().serializer().serialize(commands.name(), new GroupCommand(crew.group, crew.ana,
                                new CreateGroup(List.of(crew.ben, crew.chloe)), System.currentTimeMillis())))).get();
            }
            TestPlatform.as(app, crew.ana).awaitGet("/api/messenger/groups/" + crew.group, r -> r.statusCode() == 200, PATIENCE);
            return crew;
        }

        void send(String sender, String text) throws Exception {
            HttpResponse<String> sent = TestPlatform.as(app, sender).post("/api/messenger/messages", JSON.writeValueAsString(Map.of(
                    "conversationType", "GROUP", "to", group, "body", text)));
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        }
    }
}
