package io.millrace.topology.search;

import io.millrace.schemas.search.LinkSet;
import io.millrace.schemas.search.PageRank;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Keeps the whole link graph (one partition) and recomputes PageRank when it has changed, at most once per interval
 * of wall-clock time, publishing the ranks that moved and a tombstone for each page that left. A ranker that starts
 * over (a restart, or its task moved to another instance) resumes from the ranks published before, read from the
 * global rank table: it publishes only what its graph changes, so a rebalance leaves every score as it was.
 */
final class PageRanker implements Processor<String, LinkSet, String, PageRank> {

    /** A rank that moved less than this, relatively, is not published again. */
    static final double PUBLISHED_CHANGE = 1e-4;

    private final Duration interval;
    private final PageRankGraph graph = new PageRankGraph();
    private final Map<String, Double> published = new HashMap<>();
    private final Set<String> removed = new HashSet<>();
    private ProcessorContext<String, PageRank> context;
    private KeyValueStore<String, LinkSet> links;
    private boolean changed;

    PageRanker(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, PageRank> context) {
        this.context = context;
        links = context.getStateStore(SearchStores.LINKS);
        try (KeyValueIterator<String, LinkSet> all = links.all()) {
            all.forEachRemaining(kv -> graph.put(kv.key, kv.value.getOutlinks()));
        }
        TimestampedKeyValueStore<String, PageRank> publishedRanks = context.getStateStore(SearchStores.PAGERANK);
        try (KeyValueIterator<String, ValueAndTimestamp<PageRank>> all = publishedRanks.all()) {
            all.forEachRemaining(kv -> published.put(kv.key, kv.value.value().getRank()));
        }
        graph.resume(published);
        changed = graph.size() > 0;
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::recompute);
    }

    @Override
    public void process(Record<String, LinkSet> record) {
        LinkSet linkSet = record.value();
        if (linkSet.getGone()) {
            links.delete(record.key());
            graph.remove(record.key());
            removed.add(record.key());
        } else {
            links.put(record.key(), linkSet);
            graph.put(record.key(), linkSet.getOutlinks());
            removed.remove(record.key());
        }
        changed = true;
    }

    private void recompute(long now) {
        if (!changed) {
            return;
        }
        changed = false;
        Map<String, Double> ranks = graph.compute();
        int pages = graph.size();
        ranks.forEach((url, rank) -> {
            Double before = published.get(url);
            if (before == null || Math.abs(rank - before) > PUBLISHED_CHANGE * before) {
                published.put(url, rank);
                context.forward(new Record<>(url, new PageRank(url, rank, pages, now), now));
            }
        });
        for (String url : removed) {
            if (published.remove(url) != null) {
                context.forward(new Record<String, PageRank>(url, null, now));
            }
        }
        removed.clear();
    }
}
