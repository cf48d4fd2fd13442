package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Role;
import io.millrace.bench.simulate.DemoTraffic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium against the running platform (messenger, latency, fraud and pricealerts, with the demo's
 * simulated traffic), as an operator would use it: signing in, the overview, each pipeline's page, the dead-letter
 * viewer with a junk record and its replay, the topology and the cluster, on a laptop and a phone width. No page logs
 * a console error. Every page is saved under target/screenshots/.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final List<String> PIPELINES = List.of("fraud", "latency", "messenger", "pricealerts", "recommendations", "search");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String REVIEW_SCORE = "millrace.fraud.review-score";

    private static Platform platform;
    private static DemoTraffic traffic;
    private static ChromeDriver browser;
    private static WebDriverWait wait;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        // A review is rare at the simulator's mix (about 1 decision in 200): any fraud signal sends a payment to review here, so
        // that the review desk, which shows reviews as they are decided, gets some within the test's patience.
        System.setProperty(REVIEW_SCORE, "0.05");
        try {
            platform = TestPlatform.start(PIPELINES.toArray(String[]::new));
        } finally {
            System.clearProperty(REVIEW_SCORE);
        }
        TestPlatform.awaitRunning(platform, PATIENCE);
        traffic = DemoTraffic.start(platform.simulators(), platform.clientConfig());
        Files.createDirectories(SCREENSHOTS);
        browser = chromium();
        base = "http://localhost:" + platform.httpPort();
        wait = new WebDriverWait(browser, PATIENCE);
        // Views are redrawn as figures arrive: an element found a moment ago may be gone when it is read.
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (traffic != null) {
            traffic.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @AfterEach
    void noConsoleErrors() {
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::toString).toList();
        assertThat(errors).as("errors in the browser console").isEmpty();
    }

    @Test
    @Order(1)
    void onlyAnOperatorSeesTheDashboardAndTheDemoLinkSignsOneIn() {
        // Not signed in: the page says how to sign in instead of retrying for ever
        browser.get(base + "/");
        wait.until(d -> d.findElement(By.id("connection")).getText().equals("signed out"));
        assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("sign-in")).getText()).contains("millrace token");

        // A user's token signs in but does not show the operators' view
        browser.get(base + "/login?token=" + TestPlatform.token("ana", Role.USER));
        wait.until(d -> d.findElement(By.id("connection")).getText().equals("not allowed"));
        // The refusals of those two visits are the browser's console errors, on purpose: they are not counted
        browser.manage().logs().get(LogType.BROWSER);

        // The operator's link, as run --demo prints it: the cookie is set, HttpOnly (scripts cannot read it)
        browser.get(base + "/login?token=" + TestPlatform.token("ops", Role.OPERATOR));
        wait.until(d -> d.getCurrentUrl().equals(base + "/"));
        assertThat(browser.manage().getCookieNamed("millrace_session").isHttpOnly()).isTrue();
        assertThat((String) browser.executeScript("return document.cookie")).doesNotContain("millrace_session");
        wait.until(d -> d.findElement(By.id("connection")).getText().equals("live"));
        assertThat(browser.getTitle()).isEqualTo("Millrace");
        assertThat(browser.findElements(By.cssSelector("#page-links a"))).extracting(WebElement::getText)
                .containsExactly("Fraud", "Latency", "Messenger", "Price alerts", "Recommendations", "Search");
    }

    @Test
    @Order(2)
    void theOverviewListsEveryPipelineRunningWithRateChartsThatHavePoints() throws Exception {
        show("#/");
        for (String pipeline : PIPELINES) {
            String card = "article[data-pipeline='" + pipeline + "']";
            wait.until(d -> d.findElement(By.cssSelector(card + " [data-field=state]")).getText().equals("RUNNING"));
            // a point every 5 s: two make a line
            wait.until(d -> points(d, card + " [data-chart=rates]") >= 2);
            assertThat(browser.findElement(By.cssSelector(card + " [data-chart=rates]")).getAttribute("aria-label"))
                    .contains("records per second").contains("latest in");
        }
        // Windowed results are not called an end-to-end latency
        assertThat(browser.findElement(By.cssSelector("article[data-pipeline='latency'] [data-field=figures]")).getText())
                .contains("Window close delay").doesNotContain("End-to-end");
        assertThat(browser.findElement(By.cssSelector("article[data-pipeline='fraud'] [data-field=figures]")).getText())
                .contains("End-to-end");
        wait.until(d -> d.findElement(By.cssSelector("section[aria-label='Cluster summary']")).getText().contains("Active partitions"));
        assertThat(TestPlatform.anonymous(platform).get("/favicon.ico").statusCode()).isEqualTo(200);
        screenshot("overview");
    }

    @Test
    @Order(3)
    void eachPipelinePageRendersItsChartWithData() throws Exception {
        JsonNode pages = JSON.readTree(TestPlatform.get(platform, "/api/dashboard/pages").body());
        assertThat(pages).extracting(page -> page.get("pipeline").asText()).containsExactlyElementsOf(PIPELINES);
        Map<String, String> charts = Map.of("fraud", "decisions", "latency", "p99", "messenger", "traffic", "pricealerts", "quotes",
                "recommendations", "interactions", "search", "frontier");
        for (JsonNode page : pages) {
            String pipeline = page.get("pipeline").asText();
            show("#/pipelines/" + pipeline);
            String chart = "[data-page='" + pipeline + "'] [data-chart=" + charts.get(pipeline) + "]";
            wait.until(d -> points(d, chart) >= 1);
            switch (pipeline) {
                case "messenger" -> wait.until(d -> !d.findElement(By.id("messenger-figures")).getText().startsWith("Users online\n—"));
                case "latency" -> wait.until(d -> points(d, "[data-chart=p50]") >= 1
                        && d.findElement(By.id("slowest")).findElements(By.tagName("tr")).size() > 1);
                case "fraud" -> wait.until(d -> d.findElement(By.id("reviews")).findElements(By.cssSelector("tr[data-transaction]")).size() > 0
                        && d.findElement(By.id("reasons")).findElements(By.tagName("tr")).size() > 1);
                // the demo's watches appear among the most watched, and the best prices of the first ones are charted
                case "pricealerts" -> wait.until(d -> !d.findElement(By.id("most-watched")).findElements(By.cssSelector("tr[data-target]")).isEmpty()
                        && points(d, "[data-chart=best-prices]") >= 1);
                // the simulated readers' interactions make items trend in their categories
                case "recommendations" -> wait.until(d -> !d.findElement(By.id("trending-now")).findElements(By.cssSelector("tr[data-category]")).isEmpty());
                case "search" -> {
                    // The simulated site's pages are indexed as they arrive: a search finds them, with highlighted terms.
                    wait.until(d -> {
                        WebElement box = d.findElement(By.id("search-q"));
                        box.clear();
                        box.sendKeys("stream topic\n");
                        return !d.findElements(By.cssSelector("#search-results article.result .snippet b")).isEmpty();
                    });
                }
                default -> { }
            }
            screenshot("pipeline-" + pipeline);
            // Every chart's time axis covers what it plots (an hour of windows at most, a couple of minutes for a lone point), not years
            assertThat(browser.findElement(By.cssSelector(chart)).getAttribute("data-span")).as("the time axis of " + chart).isNotNull();
            for (WebElement drawn : browser.findElements(By.cssSelector("[data-page='" + pipeline + "'] [data-span]"))) {
                assertThat(Long.parseLong(drawn.getAttribute("data-span"))).as(pipeline + " " + drawn.getAttribute("aria-label"))
                        .isBetween(1L, 2 * 3600L);
            }
        }
        // Review decisions show cards masked: the last four digits only
        for (WebElement card : browser.findElements(By.cssSelector("#reviews tr[data-transaction] td:nth-child(3)"))) {
            assertThat(card.getText()).matches("\\*\\*\\*\\* \\d{4}");
        }
    }

    @Test
    @Order(4)
    void aJunkRecordAppearsInTheDeadLetterViewerWithItsErrorAndIsReplayedOnce() throws Exception {
        byte[] junk = ("not avro " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        RecordMetadata sent;
        try (KafkaProducer<byte[], byte[]> producer = Topics.producer()) {
            sent = producer.send(new ProducerRecord<>("latency.samples", "junk".getBytes(StandardCharsets.UTF_8), junk)).get();
        }
        show("#/dead-letters/latency");
        String failedOn = "partition " + sent.partition() + ", offset " + sent.offset();
        long[] asked = {System.nanoTime()};
        String letter = wait.until(d -> {
            Optional<WebElement> found = d.findElements(By.cssSelector("#letters tr[data-letter]")).stream()
                    .filter(r -> r.getText().contains(failedOn)).findFirst();
            if (found.isEmpty() && System.nanoTime() - asked[0] > Duration.ofSeconds(2).toNanos()) {
                d.findElement(By.xpath("//button[text()='Refresh']")).click();
                asked[0] = System.nanoTime();
            }
            return found.map(r -> r.getAttribute("data-letter")).orElse(null);
        });
        String row = "#letters tr[data-letter='" + letter + "']";
        String shown = wait.until(d -> d.findElement(By.cssSelector(row)).getText());
        assertThat(shown)
                .contains("latency.samples", "deserialization", "SerializationException", "magic byte");
        // Opened, the letter shows its bytes (and stays open when the list refreshes)
        wait.until(d -> {
            d.findElement(By.cssSelector(row + " summary")).click();
            return d.findElement(By.cssSelector(row + " details")).getAttribute("open") != null;
        });
        String hexOfJunk = HexFormat.ofDelimiter(" ").formatHex(junk, 0, 16);
        String bytes = wait.until(d -> d.findElement(By.cssSelector(row + " details pre")).getText());
        assertThat(bytes).contains(hexOfJunk);
        screenshot("dead-letters");

        // Replay the chosen letter: progress until DONE, one sent back; a second replay of it sends nothing
        wait.until(d -> {
            WebElement box = d.findElement(By.cssSelector(row + " input[type=checkbox]"));
            if (!box.isSelected()) {
                box.click();
            }
            return d.findElement(By.id("replay-selected")).isEnabled();
        });
        browser.findElement(By.id("replay-selected")).click();
        wait.until(d -> "DONE".equals(d.findElement(By.id("replay-progress")).getAttribute("data-state")));
        assertThat(browser.findElement(By.id("replay-progress")).getText()).contains("1 sent back of 1", "0 replayed before");
        wait.until(d -> d.findElement(By.cssSelector(row)).getText().contains("replayed"));
        screenshot("dead-letters-replayed");
        JsonNode again = JSON.readTree(TestPlatform.post(platform, "/api/dashboard/dead-letters/replays",
                "{\"pipeline\":\"latency\",\"letters\":[\"" + letter + "\"]}").body());
        JsonNode done = JSON.readTree(TestPlatform.awaitGet(platform, "/api/dashboard/dead-letters/replays/" + again.get("id").asText(),
                r -> r.body().contains("\"DONE\""), PATIENCE).body());
        assertThat(done.get("replayed").asInt()).isZero();
        assertThat(done.get("alreadyReplayed").asInt()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void aCardNumberInAJunkRecordNeverReachesTheDeadLetterViewer() throws Exception {
        String pan = "4111111111111111";
        byte[] junk = ("{\"cardNumber\":\"" + pan + "\"}").getBytes(StandardCharsets.UTF_8);
        RecordMetadata sent;
        try (KafkaProducer<byte[], byte[]> producer = Topics.producer()) {
            sent = producer.send(new ProducerRecord<>("fraud.authorization-requests", "tx-junk".getBytes(StandardCharsets.UTF_8), junk)).get();
        }
        String answer = TestPlatform.awaitGet(platform, "/api/dashboard/dead-letters?pipeline=fraud&limit=200",
                r -> r.body().contains("\"sourceOffset\":\"" + sent.offset() + "\""), PATIENCE).body();
        assertThat(answer).doesNotContain(pan).doesNotContain(Base64.getEncoder().encodeToString(junk).substring(0, 20));
        show("#/dead-letters/fraud");
        wait.until(d -> d.findElement(By.id("letters")).getText().contains("offset " + sent.offset()));
        assertThat(browser.getPageSource()).doesNotContain(pan);
        assertThat(browser.findElement(By.id("letters")).getText()).contains("Lengths only (redacted)");
    }

    @Test
    @Order(6)
    void theTopologyPageDrawsANodeForEveryProcessor() throws Exception {
        JsonNode topologies = JSON.readTree(TestPlatform.get(platform, "/topology").body());
        for (JsonNode topology : topologies) {
            String pipeline = topology.get("pipeline").asText();
            Set<String> nodes = new TreeSet<>();
            for (String part : List.of("subtopologies", "globalStores")) {
                topology.get(part).forEach(sub -> sub.get("nodes").forEach(node -> nodes.add(node.get("name").asText())));
            }
            assertThat(nodes).as("nodes of %s", pipeline).isNotEmpty();
            show("#/topology/" + pipeline);
            wait.until(d -> !d.findElements(By.cssSelector("svg.topology g.node")).isEmpty());
            Set<String> drawn = new TreeSet<>();
            browser.findElements(By.cssSelector("svg.topology g.node")).forEach(g -> drawn.add(g.getAttribute("data-node")));
            assertThat(drawn).as("nodes drawn for %s", pipeline).containsAll(nodes);
            assertThat(drawn.stream().filter(name -> name.startsWith("topic:"))).as("topics drawn for %s", pipeline).isNotEmpty();
            screenshot("topology-" + pipeline);
        }
        // Sources and sinks carry this instance's rates
        show("#/topology/fraud");
        wait.until(d -> d.findElements(By.cssSelector("g.node.source text.rate")).stream().anyMatch(t -> t.getText().contains("rec/s")));
    }

    @Test
    @Order(7)
    void theClusterPageShowsThisInstancesPartitionsOfEveryPipeline() throws Exception {
        show("#/cluster");
        for (String pipeline : PIPELINES) {
            wait.until(d -> d.findElement(By.cssSelector("#cluster section[data-pipeline='" + pipeline + "']")).getText()
                    .contains("(this one)"));
        }
        assertThat(browser.findElement(By.id("cluster")).getText()).contains("fraud.decisions 0, 1, 2, 3, 4, 5");
        screenshot("cluster");
    }

    @Test
    @Order(8)
    void theDashboardFitsAPhone() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            for (String view : List.of("#/", "#/pipelines/fraud", "#/dead-letters/latency")) {
                show(view);
                wait.until(d -> !d.findElements(By.cssSelector("#page h2")).isEmpty());
                wait.until(d -> !view.equals("#/") || points(d, "article[data-pipeline='messenger'] [data-chart=rates]") >= 2);
                long overflow = ((Number) browser.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")).longValue();
                assertThat(overflow).as("%s wider than the phone", view).isLessThanOrEqualTo(1);
            }
            show("#/");
            wait.until(d -> points(d, "article[data-pipeline='messenger'] [data-chart=rates]") >= 2);
            screenshot("overview-phone");
        } finally {
            browser.manage().window().setSize(new Dimension(1400, 900));
        }
    }

    @Test
    @Order(9)
    void everyGrafanaBoardParsesAndQueriesOnlyMetricsThatMetricsExposes() throws Exception {
        Set<String> exposed = GrafanaBoards.metricNames(TestPlatform.get(platform, "/metrics").body());
        List<String> wrong = new ArrayList<>();
        List<Path> boards = GrafanaBoards.boards();
        assertThat(boards).extracting(b -> b.getFileName().toString())
                .contains("millrace-overview.json", "millrace-fraud.json", "millrace-latency.json", "millrace-messenger.json",
                        "millrace-pricealerts.json");
        for (Path board : boards) {
            List<String> queries = GrafanaBoards.queries(JSON.readTree(board.toFile()));
            assertThat(queries).as("queries of %s", board).isNotEmpty();
            for (String query : queries) {
                for (String metric : GrafanaBoards.metricsOf(query)) {
                    if (!exposed.contains(metric)) {
                        wrong.add(board.getFileName() + ": " + metric + " in " + query);
                    }
                }
            }
        }
        assertThat(wrong).as("metrics queried that /metrics does not expose").isEmpty();
    }

    // ---- helpers

    /** Opens a view of the dashboard (a hash route) and waits until it has drawn its heading. */
    private static void show(String view) {
        browser.get(base + "/" + view);
        wait.until(d -> d.findElement(By.id("connection")).getText().equals("live"));
    }

    private static long points(WebDriver driver, String chart) {
        List<WebElement> found = driver.findElements(By.cssSelector(chart));
        if (found.isEmpty() || found.get(0).getAttribute("data-points") == null) {
            return 0;
        }
        return Long.parseLong(found.get(0).getAttribute("data-points"));
    }

    /** The whole page, not only the window, as a PNG under target/screenshots. */
    @SuppressWarnings("unchecked")
    private static void screenshot(String name) throws Exception {
        long width = ((Number) browser.executeScript("return document.documentElement.scrollWidth")).longValue();
        long height = ((Number) browser.executeScript("return document.documentElement.scrollHeight")).longValue();
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", Math.min(height, 8000), "scale", 1)));
        Files.write(SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }

    static ChromeDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,900", "--user-data-dir=" + Files.createTempDirectory("millrace-chromium"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
