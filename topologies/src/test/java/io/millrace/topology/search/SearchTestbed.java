package io.millrace.topology.search;

import io.millrace.schemas.search.CrawlRequest;
import io.millrace.schemas.search.CrawlSeed;
import io.millrace.schemas.search.CrawledPage;
import io.millrace.schemas.search.PageRank;
import io.millrace.schemas.search.SearchClick;
import io.millrace.topology.testkit.PipelineTestDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;

/** The search pipeline in a test driver, with its inputs, outputs and queries, and pages written as the crawler writes them. */
final class SearchTestbed implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    final PipelineTestDriver<SearchPipeline> kit;
    final TestInputTopic<String, CrawlSeed> seeds;
    final TestInputTopic<String, CrawledPage> pages;
    final TestInputTopic<String, SearchClick> clicks;
    final TestOutputTopic<String, CrawlRequest> frontier;
    final TestOutputTopic<String, PageRank> ranks;
    final SearchQueries queries;
    private int version;

    SearchTestbed(Path stateDir, SearchConfig config) {
        kit = PipelineTestDriver.start(context -> new SearchPipeline(context, config), stateDir, NOW);
        SearchTopics topics = kit.pipeline.searchTopics();
        seeds = kit.input(topics.seeds());
        pages = kit.input(topics.pages());
        clicks = kit.input(topics.clicks());
        frontier = kit.output(topics.frontier());
        ranks = kit.output(topics.pageRanks());
        queries = new SearchQueries(kit.stores(), kit.pipeline.analysis(), config);
    }

    /** A fetched page, at depth 0 of a crawl of depth 2 on example.org, with a hash that changes with every call. */
    CrawledPage.Builder page(String url, String title, String text, String... outlinks) {
        return CrawledPage.newBuilder().setUrl(url).setFinalUrl(url).setStatus(200).setContentType("text/html")
                .setTitle(title).setText(text).setOutlinks(List.of(outlinks)).setContentHash("hash-" + (++version))
                .setDepth(0).setMaxDepth(2).setAllowedHosts(List.of("example.org:80")).setPolitenessMs(0)
                .setFetchedAt(NOW.toEpochMilli()).setTimestamp(NOW.toEpochMilli());
    }

    void crawled(CrawledPage.Builder page) {
        CrawledPage built = page.build();
        pages.pipeInput(built.getUrl(), built, NOW);
    }

    /** A search over the driver's stores as the API runs it: figures, then ranking with them. */
    SearchQueries.ShardTop search(String query, int k) {
        return search(query, k, null);
    }

    SearchQueries.ShardTop search(String query, int k, String user) {
        SearchQueries.ShardStats stats = SearchQueries.merge(List.of(queries.stats(query)));
        return queries.top(query, new SearchQueries.Ranking(stats.collection(), stats.terms(), user), k);
    }

    void recomputePageRank() {
        kit.driver.advanceWallClockTime(Duration.ofSeconds(3));
    }

    @Override
    public void close() {
        kit.close();
    }
}
