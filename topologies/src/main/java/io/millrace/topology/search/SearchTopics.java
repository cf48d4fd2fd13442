package io.millrace.topology.search;

import io.millrace.schemas.search.ClickProfile;
import io.millrace.schemas.search.CrawlRequest;
import io.millrace.schemas.search.CrawlSeed;
import io.millrace.schemas.search.CrawledPage;
import io.millrace.schemas.search.PageRank;
import io.millrace.schemas.search.SearchClick;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/** The search pipeline's topics, declared once with their serdes. */
public final class SearchTopics {

    /** Seeds, frontier and pages are co-partitioned by URL: the frontier's state of a URL sits beside its page. */
    static final int URL_PARTITIONS = 3;
    /** What the crawler is asked to fetch; the crawler connector reads it. */
    public static final String FRONTIER = "search.frontier";
    /** What the crawler fetched; the crawler connector writes it. */
    public static final String PAGES = "search.pages";
    /** PageRank per URL. */
    public static final String PAGERANK = "search.pagerank";
    /** A page's text may be long: pages are allowed far more than other events. */
    static final int MAX_PAGE_BYTES = 768 * 1024;

    private final Topic<String, CrawlSeed> seeds;
    private final Topic<String, CrawlRequest> frontier;
    private final Topic<String, CrawledPage> pages;
    private final Topic<String, PageRank> pageRanks;
    private final Topic<String, SearchClick> clicks;
    private final Topic<String, ClickProfile> clickProfiles;

    public SearchTopics(PipelineContext context) {
        seeds = new Topic<>(TopicSpec.events("search.seeds", URL_PARTITIONS), Serdes.String(), context.serdes().value(CrawlSeed.class));
        frontier = new Topic<>(TopicSpec.events(FRONTIER, URL_PARTITIONS), Serdes.String(), context.serdes().value(CrawlRequest.class));
        // Below the broker's 1 MB default, so that a larger page still reaches the pipeline and is dead-lettered there.
        pages = new Topic<>(TopicSpec.events(PAGES, URL_PARTITIONS), Serdes.String(), context.serdes().value(CrawledPage.class))
                .withMaxEventBytes(MAX_PAGE_BYTES);
        pageRanks = new Topic<>(TopicSpec.compacted(PAGERANK, 1), Serdes.String(), context.serdes().value(PageRank.class));
        clicks = new Topic<>(TopicSpec.events("search.clicks", URL_PARTITIONS), Serdes.String(), context.serdes().value(SearchClick.class));
        clickProfiles = new Topic<>(TopicSpec.compacted("search.click-profiles", 1), Serdes.String(),
                context.serdes().value(ClickProfile.class));
    }

    /** Seed URLs from operators (POST /api/search/seeds); keyed by normalized URL. */
    public Topic<String, CrawlSeed> seeds() {
        return seeds;
    }

    /** URLs due for fetching, keyed by URL; read by the crawler connector. */
    public Topic<String, CrawlRequest> frontier() {
        return frontier;
    }

    /** Fetched pages and failures, keyed by the requested URL; written by the crawler connector. */
    public Topic<String, CrawledPage> pages() {
        return pages;
    }

    /** PageRank per URL (compacted; a tombstone when a page leaves the graph). */
    public Topic<String, PageRank> pageRanks() {
        return pageRanks;
    }

    /** Results users opened (POST /api/search/clicks); keyed by user. */
    public Topic<String, SearchClick> clicks() {
        return clicks;
    }

    /** Each user's clicks counted, for personalization on every instance (compacted). */
    public Topic<String, ClickProfile> clickProfiles() {
        return clickProfiles;
    }

    List<TopicSpec> specs() {
        return List.of(seeds.spec(), frontier.spec(), pages.spec(), pageRanks.spec(), clicks.spec(), clickProfiles.spec());
    }

    List<Topic<String, ?>> inputs() {
        return List.of(seeds, pages, clicks);
    }
}
