package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Role;
import io.millrace.topology.recommendations.RecommendationsPipeline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The recommendations over HTTP on the shared broker: the catalog written by a service, interactions sent as the caller, a
 * new item reaching a user's feed and their live streams within seconds, similar and trending items for any signed-in
 * caller, a feed and profile only for their user, and bad input answered 4xx. Each test has its own categories and users.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RecommendationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static Platform app;

    @BeforeAll
    static void start() {
        app = TestPlatform.start(RecommendationsPipeline.NAME);
        TestPlatform.awaitRunning(app, PATIENCE);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aNewlyPublishedItemReachesTheFeedOfAReaderOfItsCategoryAndTheirLiveStreamsWithinSeconds() throws Exception {
        String reader = named("reader");
        String science = named("science");
        for (int i = 1; i <= 3; i++) {
            publish(named("paper-" + i), science, "ana");
        }
        interact(reader, named("paper-1"), "VIEW");
        interact(reader, named("paper-2"), "LIKE");
        String feed = "/api/recommendations/users/" + reader + "/feed?limit=10";
        TestPlatform.as(app, reader).awaitGet(feed, r -> r.statusCode() == 200 && r.body().contains(named("paper-3")), PATIENCE);

        try (SseClient sse = SseClient.open(reader); WsClient ws = WsClient.open(reader)) {
            long published = System.currentTimeMillis();
            publish(named("breakthrough"), science, "cy");

            JsonNode served = json(TestPlatform.as(app, reader).awaitGet(feed, r -> r.statusCode() == 200
                    && r.body().contains(named("breakthrough")), PATIENCE));
            long inFeedMs = System.currentTimeMillis() - published;
            JsonNode pushed = sse.awaitEntered(named("breakthrough"));
            JsonNode socket = ws.awaitEntered(named("breakthrough"));

            assertThat(served.get("personalized").asBoolean()).isTrue();
            // Every item here is minutes old: the new one competes with the paper by the author the reader likes.
            assertThat(served.findValuesAsText("itemId").subList(0, 2)).contains(named("breakthrough"));
            assertThat(inFeedMs).as("from publication to the feed").isLessThan(15_000);
            assertThat(pushed.get("top").toString()).contains(named("breakthrough"));
            assertThat(socket.get("user").asText()).isEqualTo(reader);
            assertThat(served.toString()).doesNotContain(named("paper-1")).doesNotContain(named("paper-2"));
        }
    }

    @Test
    void itemsSeenInOneSessionAreSimilarAndTrendingForAnySignedInCaller() throws Exception {
        String outdoor = named("outdoor");
        publish(named("boots"), outdoor, "ana");
        publish(named("tent"), outdoor, "ana");
        for (String user : List.of(named("hiker-1"), named("hiker-2"))) {
            interact(user, named("boots"), "VIEW");
            interact(user, named("tent"), "VIEW");
        }
        interact(named("hiker-3"), named("tent"), "SHARE");
        String similar = "/api/recommendations/items/" + named("boots") + "/similar";
        String trending = "/api/recommendations/trending?category=" + outdoor;

        JsonNode seenWith = json(TestPlatform.as(app, named("someone")).awaitGet(similar, r -> r.statusCode() == 200
                && r.body().contains(named("tent")), PATIENCE));
        // The share (weight 4) comes from another user's partition: the list shows it at a publication after the views'.
        JsonNode top = json(TestPlatform.service(app).awaitGet(trending, r -> r.statusCode() == 200 && r.body().contains(named("boots"))
                && first(r).equals(named("tent")), PATIENCE));

        assertThat(seenWith.at("/items/0/sessions").asLong()).isEqualTo(2);
        assertThat(top.at("/items/0/item/itemId").asText()).isEqualTo(named("tent"));
        assertThat(TestPlatform.operator(app).get(similar).statusCode()).isEqualTo(200);
        assertThat(TestPlatform.anonymous(app).get(similar).statusCode()).isEqualTo(401);
        assertThat(TestPlatform.anonymous(app).get(trending).statusCode()).isEqualTo(401);
    }

    @Test
    void aFeedAndAProfileAreOnlyTheirUsers() throws Exception {
        String ana = named("ana");
        String garden = named("garden");
        publish(named("roses"), garden, "bo");
        interact(ana, named("roses"), "LIKE");
        String profile = "/api/recommendations/users/" + ana + "/profile";

        JsonNode interests = json(TestPlatform.as(app, ana).awaitGet(profile, r -> r.statusCode() == 200
                && r.body().contains(garden), PATIENCE));

        assertThat(interests.at("/categories/0/name").asText()).isEqualTo(garden);
        assertThat(interests.at("/categories/0/share").asDouble()).isEqualTo(1.0);
        for (String path : List.of(profile, "/api/recommendations/users/" + ana + "/feed")) {
            assertThat(TestPlatform.as(app, named("mallory")).get(path).statusCode()).isEqualTo(403);
            assertThat(TestPlatform.service(app).get(path).statusCode()).isEqualTo(403);
            assertThat(TestPlatform.anonymous(app).get(path).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> asSomeoneElse = TestPlatform.as(app, named("mallory")).post("/api/recommendations/interactions",
                JSON.writeValueAsString(Map.of("user", ana, "item", named("roses"), "kind", "LIKE")));
        assertThat(asSomeoneElse.statusCode()).isEqualTo(403);
    }

    @Test
    void aUserWithoutInteractionsGetsWhatIsTrending() throws Exception {
        String newcomer = named("newcomer");

        JsonNode feed = json(TestPlatform.as(app, newcomer).awaitGet("/api/recommendations/users/" + newcomer + "/feed?limit=5",
                r -> r.statusCode() == 200, PATIENCE));
        JsonNode trending = json(TestPlatform.as(app, newcomer).get("/api/recommendations/trending?limit=5"));

        assertThat(feed.get("personalized").asBoolean()).isFalse();
        assertThat(feed.get("items")).allSatisfy(item -> assertThat(item.get("source").asText()).isEqualTo("trending"));
        assertThat(feed.get("items").size()).isLessThanOrEqualTo(trending.get("items").size());
    }

    @Test
    void badInputIsA4xxThatSaysWhatIsWrong() throws Exception {
        String ana = named("ana");
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(TestPlatform.as(app, ana).get("/api/recommendations/users/" + ana + "/feed?limit=0"));
        answers.add(TestPlatform.as(app, ana).get("/api/recommendations/users/" + ana + "/feed?limit=many"));
        answers.add(TestPlatform.as(app, ana).get("/api/recommendations/users/bad%20user/feed"));
        answers.add(TestPlatform.as(app, ana).get("/api/recommendations/trending?category=a%7Cb"));
        answers.add(TestPlatform.as(app, ana).post("/api/recommendations/interactions", "{\"item\":\"x\",\"kind\":\"STARE\"}"));
        answers.add(TestPlatform.as(app, ana).post("/api/recommendations/interactions", "{\"item\":\"bad item\",\"kind\":\"VIEW\"}"));
        answers.add(TestPlatform.service(app).post("/api/recommendations/items", "{\"itemId\":\"i-" + RUN + "\",\"title\":\"t\"}"));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).get("detail").asText()).isNotBlank();
        });
        HttpResponse<String> unknown = TestPlatform.as(app, ana).get("/api/recommendations/items/never-" + RUN + "/similar");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    // ---- helpers

    private static String named(String name) {
        return name + "-" + RUN;
    }

    private static void publish(String itemId, String category, String author) throws Exception {
        HttpResponse<String> answer = TestPlatform.service(app).post("/api/recommendations/items", JSON.writeValueAsString(Map.of(
                "itemId", itemId, "title", "About " + itemId, "url", "https://content.example/" + itemId, "category", category,
                "author", author, "tags", List.of(category))));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    private static void interact(String user, String item, String kind) throws Exception {
        HttpResponse<String> answer = TestPlatform.as(app, user).post("/api/recommendations/interactions",
                JSON.writeValueAsString(Map.of("item", item, "kind", kind)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    private static String first(HttpResponse<String> trending) {
        try {
            return json(trending).at("/items/0/item/itemId").asText();
        } catch (IOException e) {
            return "";
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** A user's feed changes as server-sent events. */
    private static final class SseClient implements AutoCloseable {
        private final List<JsonNode> changes = new CopyOnWriteArrayList<>();
        private final List<String> events = new CopyOnWriteArrayList<>();
        private final InputStream body;

        private SseClient(InputStream body) {
            this.body = body;
            Thread reader = new Thread(this::read, "recommendations-sse");
            reader.setDaemon(true);
            reader.start();
        }

        static SseClient open(String user) throws Exception {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.httpPort()
                            + "/api/recommendations/users/" + user + "/feed/events")).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + TestPlatform.token(user, Role.USER)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            SseClient client = new SseClient(response.body());
            await("ready over SSE").atMost(PATIENCE).until(() -> client.events.contains("ready"));
            return client;
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String type = "";
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("event:")) {
                        type = line.substring(6).trim();
                        events.add(type);
                    } else if (line.startsWith("data:") && type.equals("feed")) {
                        changes.add(JSON.readTree(line.substring(5).trim()));
                    }
                }
            } catch (IOException closed) {
                // the test closed it
            }
        }

        JsonNode awaitEntered(String item) {
            await("%s entering the feed over SSE".formatted(item)).atMost(PATIENCE)
                    .until(() -> changes.stream().anyMatch(change -> change.get("entered").toString().contains(item)));
            return changes.stream().filter(change -> change.get("entered").toString().contains(item)).findFirst().orElseThrow();
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** The same over a WebSocket: one text frame per event. */
    private static final class WsClient implements AutoCloseable, WebSocket.Listener {
        private final List<JsonNode> changes = new CopyOnWriteArrayList<>();
        private final List<String> events = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static WsClient open(String user) throws Exception {
            WsClient client = new WsClient();
            client.socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + TestPlatform.token(user, Role.USER))
                    .buildAsync(URI.create("ws://localhost:" + app.httpPort() + "/api/recommendations/users/" + user + "/feed/socket"), client)
                    .get(10, TimeUnit.SECONDS);
            await("ready over the WebSocket").atMost(PATIENCE).until(() -> client.events.contains("ready"));
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode event = JSON.readTree(partial.toString());
                    events.add(event.path("event").asText());
                    if (event.path("event").asText().equals("feed")) {
                        changes.add(event.get("data"));
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        JsonNode awaitEntered(String item) {
            await("%s entering the feed over the WebSocket".formatted(item)).atMost(PATIENCE)
                    .until(() -> changes.stream().anyMatch(change -> change.get("entered").toString().contains(item)));
            return changes.stream().filter(change -> change.get("entered").toString().contains(item)).findFirst().orElseThrow();
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
