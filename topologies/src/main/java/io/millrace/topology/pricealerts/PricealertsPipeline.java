package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.WatchChange;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.runtime.GlobalTables;
import io.millrace.topology.runtime.Outcome;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.StoreReader;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Price alerts for a travel search site (SYSTEMS.md §5): the best live price of every offer and search over all
 * providers, searches answered from it, watches that fire once per crossing, hourly price history and packages.
 *
 * <ol>
 *   <li>Per user (watches, cancellations): a user's watches are kept and re-keyed by the search key of what they watch.</li>
 *   <li>Per search key (quotes, and watches re-keyed): the price board. Quotes are keyed by their search key, so they need
 *       no repartition; a search, its offers, their watches and their prices are in one task, and a move of a best price
 *       reaches only the watches whose threshold it crosses. Lapsed quotes leave by a wall-clock punctuator over an expiry
 *       index. Alerts go to {@code pricealerts.notifications}, keyed by user.</li>
 *   <li>Per package key (destination and day): searches' best prices become the parts of packages.</li>
 *   <li>Per user again: alerts are kept for the user's history.</li>
 * </ol>
 * Prices are compared in US dollars, through rates from a global table fed by a checked topic.
 */
public final class PricealertsPipeline implements Pipeline {

    public static final String NAME = "pricealerts";
    private static final long RECORD_CACHE_BYTES = 64L * 1024 * 1024;

    private final PipelineContext context;
    private final PricealertsConfig config;
    private final PricealertsTopics topics;
    private final Rejections rejections;

    public PricealertsPipeline(PipelineContext context, PricealertsConfig config) {
        this.context = context;
        this.config = config;
        this.topics = new PricealertsTopics(context.serdes());
        this.rejections = new Rejections(this, context);
    }

    @Override
    public String name() {
        return NAME;
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
        return PricealertsStores.QUERYABLE;
    }

    @Override
    public List<String> notificationTopics() {
        return List.of(PricealertsTopics.NOTIFICATIONS);
    }

    /**
     * Exactly-once: a watch's fired or armed state and its alert commit together, so a restart or rebalance in the middle of
     * a crossing neither repeats nor loses the alert. The commit interval is how long an alert waits for its transaction.
     * As in the messenger, stores are not transactional (their uncommitted bytes are always zero, so the per-loop check is
     * off) and tasks do not idle for an input that is empty most of the time (watches beside quotes).
     *
     * <p>A quote writes to several changelogs (offers, search index, expiry, history, watches), on 6 partitions each: with
     * the platform's 5 ms linger the producer opened a new compressed batch per partition every few milliseconds, and
     * allocating those (LZ4 buffers) was a fifth of the stream thread's time. Nothing written is readable before its
     * transaction commits, so the producer lingers for the commit interval: the commit sends the batches, full, at no cost
     * in latency. As in fraud, a produce that races the previous transaction's markers (CONCURRENT_TRANSACTIONS) is
     * retried after 10 ms, not the default 100 ms: at a commit every 100 ms that wait stalled the thread after each commit.
     * The record cache is larger than the default 10 MB: a million offers' books are read and rewritten by quotes, the
     * popular ones often, and a book found in the cache is one RocksDB read and one deserialization fewer.
     */
    @Override
    public Map<String, Object> streamsOverrides() {
        return Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs(),
                StreamsConfig.STATESTORE_UNCOMMITTED_MAX_BYTES_CONFIG, -1L,
                StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L,
                StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), (int) Math.min(Integer.MAX_VALUE, config.commitIntervalMs()),
                StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 64 * 1024,
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, RECORD_CACHE_BYTES);
    }

    public PricealertsTopics pricealertsTopics() {
        return topics;
    }

    public PricealertsConfig config() {
        return config;
    }

    /** The read side over this instance's stores. */
    public PricealertsQueries queries(StoreReader stores) {
        return new PricealertsQueries(stores, config);
    }

    @Override
    public void build(StreamsBuilder builder) {
        PricealertsStores.addTo(builder, context.serdes(), config);
        GlobalTables.checked(builder, topics.fxRates(), topics.checkedFxRates(), PricealertsStores.FX_RATES, FxRateRules::check, rejections);

        // 1. Per user: watches kept, then sent to the partition of what they watch.
        KStream<String, WatchRequest> placed = rejections.events(builder, topics.watches())
                .mapValues(WatchRequest::place, Named.as("pricealerts-watch-placed"));
        KStream<String, WatchRequest> cancelled = rejections.screen(builder.stream(PricealertsTopics.WATCH_CANCELLATIONS,
                        topics.cancellations().consumed()), topics.cancellations(), WatchRules::cancellation, "pricealerts-cancellations")
                .mapValues(WatchRequest::cancel, Named.as("pricealerts-watch-cancelled"));
        KStream<String, Outcome<WatchChange>> registered = placed.merge(cancelled, Named.as("pricealerts-watch-requests"))
                .process(() -> new WatchRegistry(config, rejections), Named.as("pricealerts-watch-registry"), PricealertsStores.USER_WATCHES);
        KStream<String, WatchChange> byTarget = rejections.passed(registered, "pricealerts-watch-registry")
                .repartition(Repartitioned.with(Serdes.String(), topics.watchChanges()).withName(PricealertsTopics.WATCHES_BY_TARGET)
                        .withNumberOfPartitions(PricealertsTopics.PARTITIONS));

        // 2. Per search key: the price board, fed by quotes and by the watches of what it holds.
        KStream<String, BoardOutput> quoted = builder.stream(PricealertsTopics.QUOTES, topics.quotes().consumed())
                .process(() -> new QuoteIntake(config, rejections, topics.quotes().eventType()), Named.as("pricealerts-price-board-quotes"),
                        PriceBoard.STORES);
        KStream<String, BoardOutput> filed = byTarget.process(() -> new WatchPlacement(config), Named.as("pricealerts-price-board-watches"),
                PriceBoard.STORES);
        quoted.merge(filed, Named.as("pricealerts-board-outputs")).split(Named.as("pricealerts-board-"))
                .branch((key, out) -> out.alert() != null, Branched.withConsumer(alerts -> alerts
                        .mapValues(BoardOutput::alert, Named.as("pricealerts-alert"))
                        .to(PricealertsTopics.NOTIFICATIONS, topics.notifications().produced()), "alerts"))
                .branch((key, out) -> out.move() != null, Branched.withConsumer(moves -> moves
                        // 3. Per package key: the parts of the packages of a destination and day.
                        .mapValues(BoardOutput::move, Named.as("pricealerts-package-part"))
                        .repartition(Repartitioned.with(Serdes.String(), topics.priceMoves()).withName(PricealertsTopics.PACKAGE_PARTS)
                                .withNumberOfPartitions(PricealertsTopics.PARTITIONS))
                        .process(PackageAssembler::new, Named.as("pricealerts-package-assembler"), PricealertsStores.PACKAGES), "moves"))
                .defaultBranch(Branched.withConsumer(refused -> rejections.sink(refused
                        .mapValues(BoardOutput::rejected, Named.as("pricealerts-board-rejection")), "board"), "rejected"));

        // 4. Per user: the alerts a user has had.
        builder.stream(PricealertsTopics.NOTIFICATIONS, topics.notifications().consumed())
                .process(AlertLog::new, Named.as("pricealerts-alert-log"), PricealertsStores.USER_ALERTS);
    }
}
