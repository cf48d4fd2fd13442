package io.millrace.connectors.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.millrace.schemas.search.CrawlRequest;
import io.millrace.schemas.search.CrawledPage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CrawlerTest {

    private HttpServer server;
    private String base;
    private String host;
    private final Map<String, String> pages = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final List<Long> pageRequestTimes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        host = "127.0.0.1:" + server.getAddress().getPort();
        base = "http://" + host;
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requested.add(path);
        if (!path.equals("/robots.txt")) {
            pageRequestTimes.add(System.nanoTime());
        }
        if (path.equals("/slow")) {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String body = pages.get(path);
        byte[] bytes = body == null ? "not here".getBytes(StandardCharsets.UTF_8) : body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", path.endsWith(".txt") ? "text/plain" : "text/html; charset=utf-8");
        exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Crawler crawler(int maxPageBytes) {
        return new Crawler(new PageFetcher("MillraceBot/0.1", Duration.ofMillis(500), maxPageBytes, 10_000), "MillraceBot/0.1", 0,
                System::currentTimeMillis);
    }

    private CrawlRequest request(String path, int depth, long politenessMs) {
        return CrawlRequest.newBuilder().setUrl(base + path).setDepth(depth).setMaxDepth(2).setAllowedHosts(List.of(host))
                .setPolitenessMs(politenessMs).setTimestamp(0).build();
    }

    private List<CrawledPage> crawlAll(Crawler crawler, int expected) throws InterruptedException {
        List<CrawledPage> results = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (results.size() < expected && System.nanoTime() < deadline) {
            var fetched = crawler.next();
            if (fetched.isPresent()) {
                results.add(fetched.get().page());
            } else {
                Thread.sleep(Math.max(1, Math.min(50, crawler.millisUntilReady())));
            }
        }
        return results;
    }

    @Test
    void parsesTitleHeadingsTextAndAbsoluteLinks() throws InterruptedException {
        pages.put("/docs/index.html", "<html><head><title> Guide </title></head><body><h1>Install</h1><p>Run the <b>installer</b>.</p>"
                + "<h2>Configure</h2><a href='part2.html#top'>next</a> <a href='/about'>about</a> <a href='mailto:x@y'>mail</a>"
                + "<a rel='nofollow' href='/ads'>ad</a></body></html>");
        Crawler crawler = crawler(100_000);
        crawler.offer(request("/docs/index.html", 0, 0), 0, 0);

        CrawledPage page = crawlAll(crawler, 1).get(0);

        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getFailure()).isNull();
        assertThat(page.getTitle()).isEqualTo("Guide");
        assertThat(page.getHeadings()).containsExactly("Install", "Configure");
        assertThat(page.getText()).contains("Run the installer.");
        assertThat(page.getOutlinks()).containsExactly(base + "/docs/part2.html", base + "/about");
        assertThat(page.getContentHash()).hasSize(64);
    }

    @Test
    void obeysRobotsTxt() throws InterruptedException {
        pages.put("/robots.txt", "User-agent: *\nDisallow: /private\n\nUser-agent: OtherBot\nDisallow: /\n");
        pages.put("/public.html", "<title>Public</title>");
        pages.put("/private/secret.html", "<title>Secret</title>");
        Crawler crawler = crawler(100_000);
        crawler.offer(request("/public.html", 0, 0), 0, 0);
        crawler.offer(request("/private/secret.html", 0, 0), 0, 1);

        List<CrawledPage> results = crawlAll(crawler, 2);

        assertThat(results).extracting(CrawledPage::getFailure).containsExactly(null, "robots");
        assertThat(requested).containsExactly("/robots.txt", "/public.html");
    }

    @Test
    void readsTheGroupOfItsOwnAgentBeforeTheGeneralOne() {
        RobotsRules rules = RobotsRules.parse("User-agent: *\nDisallow: /\n\nUser-agent: millracebot\nAllow: /docs/\nDisallow: /docs/tmp\n"
                + "Crawl-delay: 2\n", "MillraceBot/0.1");

        assertThat(rules.allows("/docs/index.html")).isTrue();
        assertThat(rules.allows("/docs/tmp/x")).isFalse();
        assertThat(rules.allows("/other")).isTrue();
        assertThat(rules.crawlDelayMs()).isEqualTo(2000);
        assertThat(RobotsRules.parse("User-agent: *\nDisallow: /*.pdf$\n", "MillraceBot").allows("/a/b.pdf")).isFalse();
        assertThat(RobotsRules.parse("User-agent: *\nDisallow: /*.pdf$\n", "MillraceBot").allows("/a/b.pdf.html")).isTrue();
    }

    @Test
    void waitsThePolitenessDelayBetweenRequestsToOneHost() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            pages.put("/p" + i, "<title>Page " + i + "</title>");
        }
        Crawler crawler = crawler(100_000);
        for (int i = 0; i < 3; i++) {
            crawler.offer(request("/p" + i, 1, 300), 0, i);
        }

        assertThat(crawlAll(crawler, 3)).hasSize(3);

        assertThat(pageRequestTimes).hasSize(3);
        for (int i = 1; i < 3; i++) {
            assertThat(Duration.ofNanos(pageRequestTimes.get(i) - pageRequestTimes.get(i - 1))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void refusesHostsNotAllowedAndUrlsBeyondTheDepthWithoutAsking() throws InterruptedException {
        Crawler crawler = crawler(100_000);
        crawler.offer(CrawlRequest.newBuilder(request("/elsewhere", 0, 0)).setAllowedHosts(List.of("docs.example.org:80")).build(), 0, 0);
        crawler.offer(request("/deep", 3, 0), 0, 1);

        List<CrawledPage> results = crawlAll(crawler, 2);

        assertThat(results).extracting(CrawledPage::getFailure).containsExactly("host-not-allowed", "too-deep");
        assertThat(requested).isEmpty();
    }

    @Test
    void passesThePlatformsClientSettingsToTheFrontierConsumer() {
        CrawlerConfig config = new CrawlerConfig(Map.of(CrawlerConfig.BOOTSTRAP_SERVERS, "kafka-1:9092",
                CrawlerConfig.SCHEMA_REGISTRY_URL, "http://registry:8081", "crawler.kafka.security.protocol", "SASL_SSL",
                "crawler.kafka.sasl.mechanism", "SCRAM-SHA-512"));

        assertThat(config.kafkaClient()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .hasSize(2);
    }

    @Test
    void reportsMissingPagesLargePagesAndTimeouts() throws InterruptedException {
        pages.put("/big.html", "<p>" + "x".repeat(5_000) + "</p>");
        pages.put("/slow", "<title>Slow</title>");
        Crawler crawler = crawler(2_000);
        crawler.offer(request("/missing.html", 0, 0), 0, 0);
        crawler.offer(request("/big.html", 0, 0), 0, 1);
        crawler.offer(request("/slow", 0, 0), 0, 2);

        List<CrawledPage> results = crawlAll(crawler, 3);

        assertThat(results.get(0).getStatus()).isEqualTo(404);
        assertThat(results.get(0).getFailure()).isNull();
        assertThat(results).extracting(CrawledPage::getFailure).containsExactly(null, "too-large", "timeout");
    }
}
