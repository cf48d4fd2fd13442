package io.millrace.app.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Role;
import io.millrace.app.PipelineModules;
import io.millrace.app.Platform;
import io.millrace.app.PlatformConfig;
import io.millrace.app.cli.WorkDirs;
import io.millrace.bench.harness.MachineInfo;
import io.millrace.bench.search.LuceneBaseline;
import io.millrace.schemas.search.CrawledPage;
import io.millrace.topology.Settings;
import io.millrace.topology.search.SearchConfig;
import io.millrace.topology.search.SearchPipeline;
import io.millrace.topology.search.SearchTopics;
import io.millrace.topology.search.TextAnalysis;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * {@code millrace bench search-lucene}: the search pipeline against an in-process Lucene index on the same crawled
 * corpus (git's HTML documentation served on loopback). Ours: pages indexed per second end to end (seed to the last
 * page fetched and indexed, through the crawler connector), searches per second and p99 over HTTP. Lucene: pages
 * indexed per second, searches per second and p99 of {@code IndexSearcher}, same analyzer, same BM25, same field
 * weights. With PageRank off, the overlap of the two top-10s on a set of queries.
 */
public final class SearchBench {

    static final List<String> QUERIES = List.of("rebase interactive", "merge conflict", "commit amend", "branch delete remote",
            "stash changes", "cherry pick", "bisect bug", "submodule update", "remote add origin", "tag annotated", "log graph",
            "reset hard", "diff staged", "fetch prune", "worktree", "blame line", "config user email", "push force",
            "clone depth", "garbage collection", "hooks pre-commit", "revert merge", "sparse checkout", "reflog", "archive tar");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one side measured. */
    public record Side(String name, double pagesPerSecond, double searchesPerSecond, double p50Ms, double p99Ms) {
    }

    /** The comparison, as written to bench/results. */
    public record Comparison(int pages, Side ours, Side oursCached, Side lucene, double meanOverlapAt10, double top1Agreement, int queries,
                             int clients, String machine, String at) {
    }

    private SearchBench() {
    }

    public static Comparison run(Path docs, Duration searchFor, int clients) throws Exception {
        Path work = WorkDirs.temporary("millrace-bench-search");
        PlatformConfig config = PlatformConfig.embedded(work).http("127.0.0.1", 0, "localhost").kafkaPort(0)
                .connect(new PlatformConfig.ConnectConfig(freePort(), java.util.Optional.empty(), java.util.Optional.empty(), ""))
                .pipelines(List.of(SearchPipeline.NAME))
                .settings(Settings.of(Map.of("search.pagerank-weight", "0"))).build();
        try (LocalSite site = LocalSite.serve(docs); Platform platform = Platform.start(config, PipelineModules.discover())) {
            platform.awaitRunning(Duration.ofMinutes(2));
            String operator = platform.tokens().issue("bench", Role.OPERATOR, Duration.ofHours(1));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long began = System.nanoTime();
            SearchDemo.seed(platform, site, List.of(site.url("/index.html")), 10);
            Crawled crawled = awaitCrawled(http, platform, operator);
            int fetched = crawled.fetched();
            double oursPagesPerSecond = fetched / ((crawled.lastChangeNanos() - began) / 1e9);
            System.out.printf(Locale.ROOT, "search: %d pages crawled and indexed in %.1f s (%.1f pages/s)%n", fetched,
                    fetched / oursPagesPerSecond, oursPagesPerSecond);

            List<LuceneBaseline.Page> pages = crawledPages(platform);
            SearchConfig ranking = SearchConfig.DEFAULT.withoutPageRank();
            try (LuceneBaseline lucene = new LuceneBaseline(new TextAnalysis(), ranking.ranking())) {
                double lucenePagesPerSecond = lucene.index(pages);
                System.out.printf(Locale.ROOT, "lucene: %d pages indexed at %.0f pages/s%n", pages.size(), lucenePagesPerSecond);
                double overlap = 0;
                int sameFirst = 0;
                for (String query : QUERIES) {
                    List<String> ours = ourTop(http, platform, query);
                    List<String> theirs = lucene.search(query, 10);
                    Set<String> common = new HashSet<>(ours);
                    common.retainAll(theirs);
                    overlap += theirs.isEmpty() ? 1 : (double) common.size() / Math.max(ours.size(), theirs.size());
                    sameFirst += !ours.isEmpty() && !theirs.isEmpty() && ours.get(0).equals(theirs.get(0)) ? 1 : 0;
                }
                Side oursSide = load("millrace HTTP /api/search, Cache-Control: no-cache", clients, searchFor,
                        query -> ourSearch(http, platform, query, true), oursPagesPerSecond);
                Side oursCached = load("millrace HTTP /api/search, answer cache", clients, searchFor,
                        query -> ourSearch(http, platform, query, false), oursPagesPerSecond);
                Side luceneSide = load("Lucene IndexSearcher (in-process)", clients, searchFor, query -> {
                    lucene.search(query, 10);
                    return true;
                }, lucenePagesPerSecond);
                return new Comparison(pages.size(), oursSide, oursCached, luceneSide, overlap / QUERIES.size(), (double) sameFirst / QUERIES.size(),
                        QUERIES.size(), clients, MachineInfo.current().describe(), Instant.now().toString());
            }
        }
    }

    /** Queries from {@code clients} threads for {@code duration}: searches/s and latency percentiles. */
    static Side load(String name, int clients, Duration duration, Function<String, Boolean> search, double pagesPerSecond) throws Exception {
        // Warm-up: every query once.
        QUERIES.forEach(search::apply);
        Histogram latencies = new Histogram(60_000_000_000L, 3);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        List<Future<Long>> counts = new ArrayList<>();
        long began = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int offset = c;
            counts.add(threads.submit(() -> {
                long done = 0;
                for (int i = offset; !stop.get(); i++) {
                    long start = System.nanoTime();
                    if (!search.apply(QUERIES.get(i % QUERIES.size()))) {
                        throw new IllegalStateException(name + " failed a search");
                    }
                    synchronized (latencies) {
                        latencies.recordValue(System.nanoTime() - start);
                    }
                    done++;
                }
                return done;
            }));
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        long total = 0;
        for (Future<Long> count : counts) {
            total += count.get();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        threads.shutdown();
        Side side = new Side(name, pagesPerSecond, total / seconds, latencies.getValueAtPercentile(50) / 1e6,
                latencies.getValueAtPercentile(99) / 1e6);
        System.out.printf(Locale.ROOT, "%s: %,.0f searches/s, p50 %.2f ms, p99 %.2f ms (%d clients)%n", name, side.searchesPerSecond(),
                side.p50Ms(), side.p99Ms(), clients);
        return side;
    }

    private static boolean ourSearch(HttpClient http, Platform platform, String query, boolean fresh) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.httpPort()
                    + "/api/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).GET();
            if (fresh) {
                request.header("Cache-Control", "no-cache");
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> ourTop(HttpClient http, Platform platform, String query) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.httpPort()
                + "/api/search?size=10&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        List<String> urls = new ArrayList<>();
        JSON.readTree(response.body()).path("results").forEach(result -> urls.add(result.path("url").asText()));
        return urls;
    }

    private record Crawled(int fetched, long lastChangeNanos) {
    }

    /** Waits until the crawl has nothing queued and its fetched count has not moved for two seconds. */
    private static Crawled awaitCrawled(HttpClient http, Platform platform, String operator) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        int last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.httpPort()
                    + "/api/search/crawler")).header("Authorization", "Bearer " + operator).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                JsonNode frontier = JSON.readTree(response.body()).path("result").path("frontier");
                int fetched = frontier.path("fetched").asInt();
                if (fetched != last) {
                    last = fetched;
                    stableSince = System.nanoTime();
                } else if (fetched > 0 && frontier.path("queued").asInt() == 0
                        && System.nanoTime() - stableSince > Duration.ofSeconds(2).toNanos()) {
                    return new Crawled(fetched, stableSince);
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("The crawl did not finish within 20 minutes");
    }

    /** The pages the crawler wrote, the last of each URL, as Lucene gets them. */
    private static List<LuceneBaseline.Page> crawledPages(Platform platform) {
        Deserializer<CrawledPage> pages = platform.pipelineContext().serdes().value(CrawledPage.class).deserializer();
        Map<String, LuceneBaseline.Page> latest = new LinkedHashMap<>();
        Map<String, Object> consumerConfig = new java.util.HashMap<>(platform.clientConfig());
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(SearchTopics.PAGES).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    CrawledPage page = pages.deserialize(record.topic(), record.value());
                    if (page.getStatus() == 200 && page.getFailure() == null) {
                        latest.put(page.getUrl(), new LuceneBaseline.Page(page.getUrl(), page.getTitle(), page.getHeadings(), page.getText()));
                    } else {
                        latest.remove(page.getUrl());
                    }
                }
            }
        }
        return List.copyOf(latest.values());
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The comparison as a Markdown table. */
    public static String table(Comparison c) {
        return String.format(Locale.ROOT, """
                Run %s on %s: %d pages of git's HTML documentation (Debian git-doc) crawled from loopback, %d queries, %d client threads, PageRank off.

                | Side | Pages indexed/s | Searches/s | p50 ms | p99 ms |
                |---|---:|---:|---:|---:|
                | Millrace: crawler connector → search pipeline (end to end); HTTP /api/search, every answer computed (no-cache) | %,.1f | %,.0f | %.2f | %.2f |
                | Millrace: the same, answers cached for 1 s (the 25 queries repeat) | | %,.0f | %.2f | %.2f |
                | Lucene 9.12 in-process (same analyzer, BM25, field weights); IndexSearcher | %,.0f | %,.0f | %.3f | %.3f |

                Top-10 overlap with Lucene: %.1f %% on average; same first result on %.0f %% of the queries.
                """, c.at(), c.machine(), c.pages(), c.queries(), c.clients(), c.ours().pagesPerSecond(), c.ours().searchesPerSecond(),
                c.ours().p50Ms(), c.ours().p99Ms(), c.oursCached().searchesPerSecond(), c.oursCached().p50Ms(), c.oursCached().p99Ms(),
                c.lucene().pagesPerSecond(), c.lucene().searchesPerSecond(), c.lucene().p50Ms(),
                c.lucene().p99Ms(), 100 * c.meanOverlapAt10(), 100 * c.top1Agreement());
    }
}
