package io.millrace.topology.search;

import io.millrace.schemas.search.CrawlRequest;
import io.millrace.schemas.search.CrawlState;
import io.millrace.schemas.search.FrontierEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The frontier: a URL seen for the first time is queued for the crawler once; a URL seen again is not (a seed given
 * again is, unless it is already waiting). Fetched URLs come due again after the re-crawl interval, found by a sweep
 * of the frontier on wall-clock time.
 */
final class FrontierScheduler implements Processor<String, CrawlRequest, String, CrawlRequest> {

    /** A URL queued this long ago without a page back is queued again (the crawler lost it, or it was down). */
    static final Duration REQUEUE_AFTER = Duration.ofHours(1);
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final boolean seeds;
    private final Duration recrawlInterval;
    private ProcessorContext<String, CrawlRequest> context;
    private KeyValueStore<String, FrontierEntry> frontier;

    /** {@code seeds}: requests are operators' seeds (queued again when given again), and this instance sweeps for re-crawls. */
    FrontierScheduler(boolean seeds, Duration recrawlInterval) {
        this.seeds = seeds;
        this.recrawlInterval = recrawlInterval;
    }

    @Override
    public void init(ProcessorContext<String, CrawlRequest> context) {
        this.context = context;
        this.frontier = context.getStateStore(SearchStores.FRONTIER);
        if (seeds) {
            context.schedule(SWEEP_EVERY, PunctuationType.WALL_CLOCK_TIME, this::sweep);
        }
    }

    @Override
    public void process(Record<String, CrawlRequest> record) {
        CrawlRequest request = record.value();
        FrontierEntry entry = frontier.get(record.key());
        long now = context.currentSystemTimeMs();
        if (entry == null) {
            queue(record.key(), request, now, null);
            return;
        }
        boolean waiting = entry.getState() == CrawlState.QUEUED && now - entry.getQueuedAt() < REQUEUE_AFTER.toMillis();
        if (seeds && !waiting) {
            queue(record.key(), request, now, entry);
        } else if (request.getDepth() < entry.getDepth()) {
            // Found nearer the seed: its own links may now be followed further.
            entry.setDepth(request.getDepth());
            entry.setMaxDepth(Math.max(entry.getMaxDepth(), request.getMaxDepth()));
            frontier.put(record.key(), entry);
        }
    }

    private void queue(String url, CrawlRequest request, long now, FrontierEntry previous) {
        FrontierEntry entry = FrontierEntry.newBuilder()
                .setUrl(url).setState(CrawlState.QUEUED).setFailure(null)
                .setDepth(previous == null ? request.getDepth() : Math.min(previous.getDepth(), request.getDepth()))
                .setMaxDepth(request.getMaxDepth()).setAllowedHosts(request.getAllowedHosts()).setPolitenessMs(request.getPolitenessMs())
                .setContentHash(previous == null ? null : previous.getContentHash())
                .setQueuedAt(now).setFetchedAt(previous == null ? 0 : previous.getFetchedAt()).setTimestamp(request.getTimestamp())
                .build();
        frontier.put(url, entry);
        CrawlRequest scheduled = CrawlRequest.newBuilder(request).setUrl(url).setDepth(entry.getDepth()).setTimestamp(now).build();
        context.forward(new Record<>(url, scheduled, now));
    }

    private void sweep(long now) {
        List<KeyValue<String, FrontierEntry>> due = new ArrayList<>();
        try (KeyValueIterator<String, FrontierEntry> entries = frontier.all()) {
            entries.forEachRemaining(kv -> {
                FrontierEntry entry = kv.value;
                boolean lost = entry.getState() == CrawlState.QUEUED && now - entry.getQueuedAt() >= REQUEUE_AFTER.toMillis();
                boolean stale = entry.getState() != CrawlState.QUEUED && now - entry.getFetchedAt() >= recrawlInterval.toMillis();
                if (lost || stale) {
                    due.add(kv);
                }
            });
        }
        for (KeyValue<String, FrontierEntry> kv : due) {
            FrontierEntry entry = kv.value;
            queue(kv.key, CrawlRequest.newBuilder().setUrl(kv.key).setDepth(entry.getDepth()).setMaxDepth(entry.getMaxDepth())
                    .setAllowedHosts(entry.getAllowedHosts()).setPolitenessMs(entry.getPolitenessMs()).setTimestamp(now).build(), now, entry);
        }
    }
}
