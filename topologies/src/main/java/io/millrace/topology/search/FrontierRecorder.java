package io.millrace.topology.search;

import io.millrace.schemas.search.CrawlState;
import io.millrace.schemas.search.CrawledPage;
import io.millrace.schemas.search.FrontierEntry;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Records in the frontier what came of each fetch: fetched (with its hash), gone, or failed with its reason. */
final class FrontierRecorder implements Processor<String, CrawledPage, Void, Void> {

    private KeyValueStore<String, FrontierEntry> frontier;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        frontier = context.getStateStore(SearchStores.FRONTIER);
    }

    @Override
    public void process(Record<String, CrawledPage> record) {
        CrawledPage page = record.value();
        FrontierEntry previous = frontier.get(record.key());
        FrontierEntry.Builder entry = previous != null ? FrontierEntry.newBuilder(previous)
                : FrontierEntry.newBuilder().setUrl(record.key()).setDepth(page.getDepth()).setMaxDepth(page.getMaxDepth())
                        .setAllowedHosts(page.getAllowedHosts()).setPolitenessMs(page.getPolitenessMs()).setQueuedAt(page.getFetchedAt());
        if (LinkDiscovery.fetched(page)) {
            entry.setState(CrawlState.FETCHED).setFailure(null).setContentHash(page.getContentHash());
        } else if (LinkDiscovery.gone(page)) {
            entry.setState(CrawlState.GONE).setFailure("http-" + page.getStatus()).setContentHash(null);
        } else {
            entry.setState(CrawlState.FAILED).setFailure(page.getFailure() != null ? page.getFailure() : "http-" + page.getStatus());
        }
        frontier.put(record.key(), entry.setFetchedAt(page.getFetchedAt()).setTimestamp(page.getTimestamp()).build());
    }
}
