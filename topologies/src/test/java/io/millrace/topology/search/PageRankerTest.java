package io.millrace.topology.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.search.LinkSet;
import io.millrace.schemas.search.PageRank;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;

/** The ranker as a task sees it when it starts over: after a restart, or on the instance its task moved to. */
class PageRankerTest {

    private static final String HOME = "http://example.org/";

    private final KeyValueStore<String, LinkSet> links = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SearchStores.LINKS),
            Serdes.String(), avro(LinkSet.class)).withLoggingDisabled().build();
    private final TimestampedKeyValueStore<String, PageRank> global = Stores.timestampedKeyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(SearchStores.PAGERANK), Serdes.String(), avro(PageRank.class))
            .withLoggingDisabled().build();

    @Test
    void aRankerThatStartsOverResumesFromThePublishedRanksAndRepublishesNothingUnchanged() {
        MockProcessorContext<String, PageRank> first = context();
        PageRanker ranker = new PageRanker(java.time.Duration.ofSeconds(1));
        ranker.init(first);
        site().forEach((url, outlinks) -> ranker.process(new Record<>(url, new LinkSet(url, outlinks, false, 0L), 0L)));
        Map<String, Double> ranks = recompute(first);
        assertThat(ranks).hasSize(9);
        // What the ranker published reaches the global table every instance reads.
        ranks.forEach((url, rank) -> global.put(url, ValueAndTimestamp.make(new PageRank(url, rank, ranks.size(), 0L), 0L)));

        MockProcessorContext<String, PageRank> second = context();
        new PageRanker(java.time.Duration.ofSeconds(1)).init(second);

        assertThat(recompute(second)).as("a restarted ranker over the same graph publishes nothing").isEmpty();
    }

    @Test
    void aRankerThatStartsOverPublishesWhatItsGraphChanges() {
        MockProcessorContext<String, PageRank> first = context();
        PageRanker ranker = new PageRanker(java.time.Duration.ofSeconds(1));
        ranker.init(first);
        site().forEach((url, outlinks) -> ranker.process(new Record<>(url, new LinkSet(url, outlinks, false, 0L), 0L)));
        recompute(first).forEach((url, rank) -> global.put(url, ValueAndTimestamp.make(new PageRank(url, rank, 9, 0L), 0L)));

        MockProcessorContext<String, PageRank> second = context();
        PageRanker restarted = new PageRanker(java.time.Duration.ofSeconds(1));
        restarted.init(second);
        restarted.process(new Record<>(HOME + "s1/l1", new LinkSet(HOME + "s1/l1", List.of(HOME + "s2/l3"), false, 0L), 0L));

        assertThat(recompute(second)).containsKey(HOME + "s2/l3");
    }

    private MockProcessorContext<String, PageRank> context() {
        MockProcessorContext<String, PageRank> context = new MockProcessorContext<>();
        links.init(context.getStateStoreContext(), links);
        global.init(context.getStateStoreContext(), global);
        context.addStateStore(links);
        context.addStateStore(global);
        return context;
    }

    /** Runs the ranker's scheduled recomputation and returns the ranks it published. */
    private static Map<String, Double> recompute(MockProcessorContext<String, PageRank> context) {
        context.resetForwards();
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(1_000L);
        Map<String, Double> published = new HashMap<>();
        context.forwarded().forEach(f -> published.put(f.record().key(), f.record().value().getRank()));
        return published;
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> org.apache.kafka.common.serialization.Serde<V> avro(Class<V> type) {
        return serdes().value(type); // a registry each: the mock context names every store's topic alike
    }

    private static io.millrace.schemas.serde.AvroSerdes serdes() {
        io.millrace.schemas.registry.SchemaRegistry registry = new io.millrace.schemas.registry.SchemaRegistry(
                new io.millrace.schemas.registry.InMemorySchemaLog());
        registry.start();
        return new io.millrace.schemas.serde.AvroSerdes(new io.millrace.schemas.registry.LocalRegistryClient(registry));
    }

    /** A home page, two sections, three leaves in each. */
    private static Map<String, List<String>> site() {
        Map<String, List<String>> site = new HashMap<>();
        site.put(HOME, List.of(HOME + "s1", HOME + "s2"));
        for (int s = 1; s <= 2; s++) {
            String section = HOME + "s" + s;
            site.put(section, List.of(HOME, section + "/l1", section + "/l2", section + "/l3"));
            for (int l = 1; l <= 3; l++) {
                site.put(section + "/l" + l, List.of(HOME, section));
            }
        }
        return site;
    }
}
