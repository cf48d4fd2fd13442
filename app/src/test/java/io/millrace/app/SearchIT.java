package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.millrace.api.auth.Role;
import io.millrace.app.connect.EmbeddedConnect;
import io.millrace.topology.Settings;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Crawl to search end to end: a local site served over HTTP, crawled by the crawler connector on a Connect worker from
 * seeds given over the API, indexed by the search pipeline, and searched over HTTP.
 *
 * <p>The site: a home page linking a guide (three pages), a reference (two pages), a page robots.txt forbids and a link
 * to a page that does not exist. "configuration" is on four pages; the guide's install page is about installing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /** Pages the crawl can fetch: home, guide index and three pages, reference index and two pages. */
    private static final int FETCHABLE = 8;
    private static final Map<String, String> SITE = new ConcurrentHashMap<>();

    private static HttpServer site;
    private static String base;
    private static EmbeddedConnect worker;
    private static Platform platform;

    @BeforeAll
    static void crawl() throws Exception {
        site();
        worker = EmbeddedConnect.start(TestPlatform.bootstrapServers(), Files.createTempDirectory("millrace-it-connect"),
                EmbeddedRunIT.freePort());
        platform = Platform.start(TestPlatform.config(TestPlatform.bootstrapServers(), Files.createTempDirectory("millrace-it-app"), "search")
                .connect(new PlatformConfig.ConnectConfig(0, Optional.of(worker.restUrl()), Optional.empty(), ""))
                .settings(Settings.of(Map.of("search.pagerank-interval-ms", "500"))).build(), PipelineModules.discover());
        TestPlatform.awaitRunning(platform, PATIENCE);
        HttpResponse<String> seeded = TestPlatform.operator(platform).post("/api/search/seeds", JSON.writeValueAsString(Map.of(
                "urls", List.of(base + "/"), "allowedHosts", List.of(host()), "maxDepth", 3, "politenessMs", 0)));
        assertThat(seeded.statusCode()).as(seeded.body()).isEqualTo(202);
        TestPlatform.operator(platform).awaitGet("/api/search/crawler", response -> {
            JsonNode frontier = frontier(response);
            return frontier != null && frontier.path("fetched").asInt() >= FETCHABLE && frontier.path("queued").asInt() == 0;
        }, PATIENCE);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (site != null) {
            site.stop(0);
        }
    }

    @Test
    @Order(1)
    void theCrawlerObeysRobotsAndReportsWhatWasGone() throws Exception {
        JsonNode status = JSON.readTree(TestPlatform.operator(platform).get("/api/search/crawler").body()).path("result");

        assertThat(status.path("connector").asText()).isEqualTo("RUNNING");
        // Other tests on the shared broker may have fed the same pipeline: at least this site's figures are there.
        assertThat(status.path("frontier").path("fetched").asInt()).isGreaterThanOrEqualTo(FETCHABLE);
        assertThat(status.path("frontier").path("failures").path("robots").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(status.path("frontier").path("gone").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(2)
    void searchRanksThePageAboutTheQueryFirstWithHighlightedSnippet() throws Exception {
        JsonNode answer = search("installing the broker", Optional.empty());

        assertThat(answer.path("status").asText()).isEqualTo("COMPLETE");
        JsonNode first = answer.path("results").get(0);
        assertThat(first.path("url").asText()).isEqualTo(base + "/guide/install.html");
        assertThat(first.path("title").asText()).isEqualTo("Installing the broker");
        assertThat(first.path("snippet").asText()).contains("<b>");
        assertThat(answer.path("total").asInt()).isGreaterThan(1);
    }

    @Test
    @Order(3)
    void suggestsSpellingsCompletionsAndAnswersArithmeticAndConversions() throws Exception {
        assertThat(search("configuraton", Optional.empty()).path("didYouMean").asText()).isEqualTo("configuration");
        assertThat(search("12*7", Optional.empty()).path("instantAnswer").path("value").asDouble()).isEqualTo(84.0);
        assertThat(search("10 km in miles", Optional.empty()).path("instantAnswer").path("text").asText())
                .isEqualTo("10 km = 6.213711922 miles");
        JsonNode suggest = JSON.readTree(TestPlatform.anonymous(platform).get("/api/search/suggest?prefix=conf").body());
        assertThat(suggest.path("result").get(0).path("word").asText()).isEqualTo("configuration");
    }

    @Test
    @Order(4)
    void aUsersClicksLiftWhatTheyOpenedAboveResultsItTrailed() throws Exception {
        JsonNode before = search("configuration", Optional.empty()).path("results");
        int lastPlace = before.size() - 1;
        String last = before.get(lastPlace).path("url").asText();
        String user = "reader-" + System.nanoTime();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> click = TestPlatform.as(platform, user).post("/api/search/clicks",
                    JSON.writeValueAsString(Map.of("url", last, "query", "configuration")));
            assertThat(click.statusCode()).as(click.body()).isEqualTo(202);
        }

        // Clicks are a nudge (× 1 + ln(1 + 5) here), not an override: the page rises past the close ones it trailed.
        TestPlatform.as(platform, user).awaitGet("/api/search?q=configuration", response -> place(response, last) < lastPlace - 1, PATIENCE);
        // Someone else's results are not moved: another user without clicks gets the anonymous order, asked at the same moment
        // (the order itself may still move while PageRank settles, so the two are compared back to back)
        String stranger = "stranger-" + System.nanoTime();
        await("another user's results equal the anonymous ones").atMost(PATIENCE).untilAsserted(() ->
                assertThat(urls(search("configuration", Optional.of(stranger)))).isEqualTo(urls(search("configuration", Optional.empty()))));
    }

    private static int place(HttpResponse<String> response, String url) {
        try {
            JsonNode results = JSON.readTree(response.body()).path("results");
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).path("url").asText().equals(url)) {
                    return i;
                }
            }
            return Integer.MAX_VALUE;
        } catch (java.io.IOException e) {
            return Integer.MAX_VALUE;
        }
    }

    @Test
    @Order(5)
    void aPageCrawledAgainIsIndexedAgainWithItsNewText() throws Exception {
        SITE.put("/reference/topics.html", page("Topics", "Topics", "Partitions of a topic hold the tomatoes of the log.", "/"));
        HttpResponse<String> seeded = TestPlatform.operator(platform).post("/api/search/seeds", JSON.writeValueAsString(Map.of(
                "urls", List.of(base + "/reference/topics.html"), "allowedHosts", List.of(host()), "maxDepth", 0, "politenessMs", 0)));
        assertThat(seeded.statusCode()).isEqualTo(202);

        TestPlatform.anonymous(platform).awaitGet("/api/search?q=tomatoes", response -> response.body().contains("/reference/topics.html"),
                PATIENCE);
        assertThat(search("retention", Optional.empty()).path("results").toString()).doesNotContain("/reference/topics.html");
    }

    @Test
    @Order(6)
    void aSecondInstanceSharesTheIndexAndBothAnswerAsOneIndexWould() throws Exception {
        String query = "/api/search?q=" + URLEncoder.encode("configuration keys", StandardCharsets.UTF_8);
        String alone = ranking(TestPlatform.anonymous(platform).get(query));
        try (Platform second = TestPlatform.start("search")) {
            TestPlatform.awaitRunning(second, PATIENCE);
            for (Platform instance : List.of(platform, second)) {
                // Documents now live on both instances: each answer is merged from both, with the same scores as before.
                HttpResponse<String> answer = TestPlatform.anonymous(instance).awaitGet(query, response -> response.statusCode() == 200
                        && response.body().contains("\"COMPLETE\"") && ranking(response).equals(alone), PATIENCE);
                assertThat(answer.body()).contains(base + "/reference/keys.html");
            }
            assertThat(second.pipelines().get(0).streams().streamsMetadataForStore("search-documents")).hasSize(2);
        }
    }

    /** The results' URLs and scores, in order. */
    private static String ranking(HttpResponse<String> response) {
        try {
            StringBuilder ranking = new StringBuilder();
            JSON.readTree(response.body()).path("results").forEach(r -> ranking.append(r.path("url").asText()).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.9f", r.path("score").asDouble())).append('\n'));
            return ranking.toString();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static List<String> urls(JsonNode answer) {
        List<String> urls = new java.util.ArrayList<>();
        answer.path("results").forEach(result -> urls.add(result.path("url").asText()));
        return urls;
    }

    private static JsonNode search(String query, Optional<String> user) throws Exception {
        String path = "/api/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        HttpResponse<String> response = user.isPresent() ? TestPlatform.as(platform, user.get()).get(path)
                : TestPlatform.anonymous(platform).get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode frontier(HttpResponse<String> response) {
        try {
            return response.statusCode() == 200 ? JSON.readTree(response.body()).path("result").path("frontier") : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String host() {
        return "127.0.0.1:" + site.getAddress().getPort();
    }

    private static void site() throws Exception {
        SITE.put("/robots.txt", "User-agent: *\nDisallow: /private/\n");
        SITE.put("/", page("Millrace test site", "Welcome", "A small site about running a broker.", "/guide/", "/reference/",
                "/private/secret.html", "/missing.html"));
        SITE.put("/guide/", page("Guide", "Guide", "Start here: install, then configuration, then operations.", "install.html",
                "configure.html", "operate.html", "/"));
        SITE.put("/guide/install.html", page("Installing the broker", "Installing", "Installing the broker takes one package. "
                + "Install it, then start the broker service.", "configure.html", "/"));
        SITE.put("/guide/configure.html", page("Configuration", "Configuration of listeners", "The configuration file names "
                + "listeners and log directories. Configuration changes need a restart.", "/", "/reference/"));
        SITE.put("/guide/operate.html", page("Operations", "Operations", "Monitor lag and disk; the configuration of alerts "
                + "is in the reference.", "/"));
        SITE.put("/reference/", page("Reference", "Reference", "Every configuration key, and topics.", "topics.html", "keys.html", "/"));
        SITE.put("/reference/topics.html", page("Topics", "Topics", "Partitions of a topic hold the log; retention bounds it.", "/"));
        SITE.put("/reference/keys.html", page("Keys", "Configuration keys", "The configuration keys, one by one: broker id, "
                + "listeners, log dirs.", "/"));
        SITE.put("/private/secret.html", page("Secret", "Secret", "Nobody should index this.", "/"));
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/", exchange -> {
            String body = SITE.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "no such page" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", exchange.getRequestURI().getPath().endsWith(".txt") ? "text/plain"
                    : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        site.start();
        base = "http://" + host();
    }

    private static String page(String title, String heading, String text, String... links) {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><title>").append(title).append("</title></head><body><h1>")
                .append(heading).append("</h1><p>").append(text).append("</p><ul>");
        for (String link : links) {
            html.append("<li><a href=\"").append(link).append("\">").append(link).append("</a></li>");
        }
        return html.append("</ul></body></html>").toString();
    }
}
