package io.millrace.app.search;

import io.millrace.api.PipelineApi;
import io.millrace.api.dashboard.DashboardPage;
import io.millrace.api.search.SearchApi;
import io.millrace.app.PipelineModule;
import io.millrace.bench.harness.Target;
import io.millrace.bench.simulate.Simulator;
import io.millrace.bench.simulate.search.SearchSimulator;
import io.millrace.connectors.crawler.CrawlerConfig;
import io.millrace.connectors.crawler.CrawlerSourceConnector;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.search.SearchPipeline;
import io.millrace.topology.search.SearchTopics;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Web search (SYSTEMS.md §6): 7,000 searches/s; the crawler connector feeds it from its own frontier. */
public final class SearchModule implements PipelineModule<SearchPipeline> {

    @Override
    public String name() {
        return SearchPipeline.NAME;
    }

    @Override
    public SearchPipeline pipeline(PipelineContext context) {
        return new SearchPipeline(context);
    }

    @Override
    public PipelineApi<SearchPipeline> api() {
        return new SearchApi();
    }

    @Override
    public DashboardPage dashboard() {
        return DashboardPage.of(name(), "Search", "a search box over the crawled pages, completions, the crawler's frontier")
                .outputs(SearchTopics.PAGERANK, SearchTopics.FRONTIER)
                .reads("/api/search", "/api/search/suggest", "/api/search/crawler");
    }

    @Override
    public Simulator simulator(PipelineContext context) {
        return new SearchSimulator(context);
    }

    @Override
    public Target benchTarget() {
        return new Target(name(), "pages/s", Target.Side.INPUT, 200, 2_000, 200, Optional.empty(), false);
    }

    @Override
    public Map<String, Map<String, String>> connectors(SearchPipeline pipeline, ConnectWorker worker) {
        pipeline.crawlerWorker().set(worker.restUrl());
        Map<String, String> crawler = new TreeMap<>();
        crawler.put("connector.class", CrawlerSourceConnector.class.getName());
        crawler.put("tasks.max", "1");
        crawler.put(CrawlerConfig.BOOTSTRAP_SERVERS, worker.bootstrapServers());
        crawler.put(CrawlerConfig.SCHEMA_REGISTRY_URL, worker.schemaRegistryUrl());
        worker.kafkaClient().forEach((key, value) -> crawler.put(CrawlerConfig.KAFKA_CLIENT_PREFIX + key, value));
        worker.schemaRegistryUserInfo().ifPresent(userInfo -> crawler.put(CrawlerConfig.SCHEMA_REGISTRY_USER_INFO, userInfo));
        crawler.put(CrawlerConfig.FRONTIER_TOPIC, SearchTopics.FRONTIER);
        crawler.put(CrawlerConfig.PAGES_TOPIC, SearchTopics.PAGES);
        return Map.of(SearchPipeline.CRAWLER, crawler);
    }
}
