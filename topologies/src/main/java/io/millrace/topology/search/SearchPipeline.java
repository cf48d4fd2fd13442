package io.millrace.topology.search;

import static io.millrace.topology.search.SearchStores.CLICKS;
import static io.millrace.topology.search.SearchStores.CLICK_PROFILES;
import static io.millrace.topology.search.SearchStores.COLLECTION;
import static io.millrace.topology.search.SearchStores.DOCUMENTS;
import static io.millrace.topology.search.SearchStores.DOCUMENT_TERMS;
import static io.millrace.topology.search.SearchStores.FRONTIER;
import static io.millrace.topology.search.SearchStores.LINKS;
import static io.millrace.topology.search.SearchStores.PAGERANK;
import static io.millrace.topology.search.SearchStores.POSTINGS;
import static io.millrace.topology.search.SearchStores.TERMS;
import static io.millrace.topology.search.SearchStores.VOCABULARY;

import io.millrace.schemas.search.ClickProfile;
import io.millrace.schemas.search.CrawlRequest;
import io.millrace.schemas.search.CrawlSeed;
import io.millrace.schemas.search.CrawledPage;
import io.millrace.schemas.search.DocumentTerms;
import io.millrace.schemas.search.FieldCounts;
import io.millrace.schemas.search.FrontierEntry;
import io.millrace.schemas.search.IndexedDocument;
import io.millrace.schemas.search.LinkSet;
import io.millrace.schemas.search.Posting;
import io.millrace.schemas.search.SearchClick;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.runtime.Rejections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Crawl to index (SYSTEMS.md §6). Seeds and the links of fetched pages go through the frontier, which queues each URL
 * once for the crawler connector (search.frontier) and records what came of it; fetched pages are analyzed into an
 * inverted index partitioned by document (postings, term and collection figures for BM25, a spelling vocabulary);
 * their links make a graph on one partition whose PageRank goes to every instance; users' clicks make profiles that
 * personalize their results.
 */
public final class SearchPipeline implements Pipeline {

    public static final String NAME = "search";
    /** The crawler connector's name on the Connect worker. */
    public static final String CRAWLER = "search-crawler";

    private final PipelineContext context;
    private final SearchConfig config;
    private final SearchTopics topics;
    private final Rejections rejections;
    private final TextAnalysis analysis = new TextAnalysis();
    private final AtomicReference<String> crawlerWorker = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicLong indexChanges = new java.util.concurrent.atomic.AtomicLong();

    public SearchPipeline(PipelineContext context) {
        this(context, SearchConfig.from(context.settings()));
    }

    public SearchPipeline(PipelineContext context, SearchConfig config) {
        this.context = context;
        this.config = config;
        this.topics = new SearchTopics(context);
        this.rejections = new Rejections(this, context);
    }

    @Override
    public String name() {
        return NAME;
    }

    public SearchTopics searchTopics() {
        return topics;
    }

    public SearchConfig config() {
        return config;
    }

    public TextAnalysis analysis() {
        return analysis;
    }

    /** Counts the changes of this instance's index (pages added, replaced, removed), for caches of answers. */
    public java.util.concurrent.atomic.AtomicLong indexChanges() {
        return indexChanges;
    }

    /** The REST URL of the Connect worker running the crawler, once the platform has started it there. */
    public AtomicReference<String> crawlerWorker() {
        return crawlerWorker;
    }

    @Override
    public List<TopicSpec> topics() {
        return topics.specs();
    }

    @Override
    public List<Topic<String, ?>> inputs() {
        return topics.inputs();
    }

    @Override
    public List<String> queryableStores() {
        return SearchStores.QUERYABLE;
    }

    @Override
    public void build(StreamsBuilder builder) {
        Serde<CrawlRequest> requestSerde = topics.frontier().valueSerde();
        builder.addStateStore(store(FRONTIER, context.serdes().value(FrontierEntry.class)));
        builder.addStateStore(store(POSTINGS, context.serdes().value(Posting.class)));
        builder.addStateStore(store(DOCUMENTS, context.serdes().value(IndexedDocument.class)));
        builder.addStateStore(store(DOCUMENT_TERMS, context.serdes().value(DocumentTerms.class)));
        builder.addStateStore(store(TERMS, context.serdes().value(FieldCounts.class)));
        builder.addStateStore(store(COLLECTION, context.serdes().value(FieldCounts.class)));
        builder.addStateStore(store(VOCABULARY, Serdes.Long()));
        builder.addStateStore(store(LINKS, context.serdes().value(LinkSet.class)));

        KStream<String, CrawlSeed> seeds = rejections.screen(builder.stream(topics.seeds().name(), topics.seeds().consumed()),
                topics.seeds(), (url, seed) -> CrawlRules.seed(seed), "search-seeds");
        KStream<String, CrawledPage> pages = rejections.screen(builder.stream(topics.pages().name(), topics.pages().consumed()),
                topics.pages(), CrawlRules::page, "search-pages");

        // The frontier: seeds and discovered links, keyed by URL beside the pages' outcomes, each URL queued once.
        KStream<String, CrawlRequest> seedRequests = seeds.map((key, seed) -> {
            String url = Urls.normalize(seed.getUrl()).orElseThrow();
            return KeyValue.pair(url, CrawlRequest.newBuilder().setUrl(url).setDepth(0).setMaxDepth(seed.getMaxDepth())
                    .setAllowedHosts(LinkDiscovery.allowedHosts(seed.getAllowedHosts(), url))
                    .setPolitenessMs(seed.getPolitenessMs()).setTimestamp(seed.getTimestamp()).build());
        }, Named.as("search-seed-request"))
                .repartition(Repartitioned.<String, CrawlRequest>as("search-seeds-by-url").withKeySerde(Serdes.String())
                        .withValueSerde(requestSerde).withNumberOfPartitions(SearchTopics.URL_PARTITIONS));
        KStream<String, CrawlRequest> discovered = pages
                .flatMap((url, page) -> LinkDiscovery.follow(page).stream().map(request -> KeyValue.pair(request.getUrl(), request)).toList(),
                        Named.as("search-discover-links"))
                .repartition(Repartitioned.<String, CrawlRequest>as("search-links-by-url").withKeySerde(Serdes.String())
                        .withValueSerde(requestSerde).withNumberOfPartitions(SearchTopics.URL_PARTITIONS));
        seedRequests.process(() -> new FrontierScheduler(true, config.recrawlInterval()), Named.as("search-frontier-seeds"), FRONTIER)
                .to(topics.frontier().name(), topics.frontier().produced());
        discovered.process(() -> new FrontierScheduler(false, config.recrawlInterval()), Named.as("search-frontier-links"), FRONTIER)
                .to(topics.frontier().name(), org.apache.kafka.streams.kstream.Produced.with(Serdes.String(), requestSerde)
                        .withName("search-frontier-links-sink"));
        pages.process(FrontierRecorder::new, Named.as("search-frontier-outcomes"), FRONTIER);

        // The index, partitioned by document: a page's postings live with it; its link changes go to the one graph.
        pages.process(() -> new PageIndexer(analysis, indexChanges), Named.as("search-index"), POSTINGS, DOCUMENTS, DOCUMENT_TERMS, TERMS, COLLECTION,
                        VOCABULARY)
                .repartition(Repartitioned.<String, LinkSet>as("search-link-graph").withKeySerde(Serdes.String())
                        .withValueSerde(context.serdes().value(LinkSet.class)).withNumberOfPartitions(1))
                .process(() -> new PageRanker(config.pageRankInterval()), Named.as("search-pagerank"), LINKS)
                .to(topics.pageRanks().name(), topics.pageRanks().produced());
        builder.globalTable(topics.pageRanks().name(), Consumed.with(Serdes.String(), topics.pageRanks().valueSerde())
                        .withName("search-pagerank-global"),
                Materialized.<String, io.millrace.schemas.search.PageRank, KeyValueStore<Bytes, byte[]>>as(PAGERANK)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.pageRanks().valueSerde()));

        // Personalization: each user's clicks counted, then held whole by every instance.
        rejections.screen(builder.stream(topics.clicks().name(), topics.clicks().consumed()), topics.clicks(),
                        CrawlRules::click, "search-clicks")
                .groupByKey(Grouped.as("search-clicks-by-user"))
                .aggregate(ClickCounting::empty, ClickCounting::add, Named.as("search-count-clicks"),
                        Materialized.<String, ClickProfile, KeyValueStore<Bytes, byte[]>>as(CLICKS)
                                .withKeySerde(Serdes.String()).withValueSerde(topics.clickProfiles().valueSerde()))
                .toStream(Named.as("search-click-profile-changes"))
                .to(topics.clickProfiles().name(), topics.clickProfiles().produced());
        builder.globalTable(topics.clickProfiles().name(), Consumed.with(Serdes.String(), topics.clickProfiles().valueSerde())
                        .withName("search-click-profiles-global"),
                Materialized.<String, ClickProfile, KeyValueStore<Bytes, byte[]>>as(CLICK_PROFILES)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.clickProfiles().valueSerde()));
    }

    private static <V> org.apache.kafka.streams.state.StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
