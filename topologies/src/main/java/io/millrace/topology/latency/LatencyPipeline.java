package io.millrace.topology.latency;

import static io.millrace.topology.latency.LatencyStores.ALERTS;
import static io.millrace.topology.latency.LatencyStores.ENDPOINT_MINUTES;
import static io.millrace.topology.latency.LatencyStores.GLOBAL_FIVE_MINUTES;
import static io.millrace.topology.latency.LatencyStores.GLOBAL_MINUTES;
import static io.millrace.topology.latency.LatencyStores.PENDING_ROLLUPS;
import static io.millrace.topology.latency.LatencyStores.SERVICES;
import static io.millrace.topology.latency.LatencyStores.SLOS;

import io.millrace.schemas.latency.AggregateScope;
import io.millrace.schemas.latency.LatencyAggregate;
import io.millrace.schemas.latency.LatencySample;
import io.millrace.schemas.latency.SloDefinition;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.runtime.GlobalTables;
import io.millrace.topology.runtime.Rejections;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Latency monitoring: per endpoint and region, one-minute windows of request samples summarised by a
 * mergeable sketch; when a minute closes, roll-ups per endpoint and service (one and five minutes, merged
 * sketches), judged against SLOs with edge-triggered alerts, and published for other pipelines; a global
 * roll-up merges the services' sketches.
 */
public final class LatencyPipeline implements Pipeline {

    public static final String NAME = "latency";
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Duration GRACE = Duration.ofSeconds(30);
    /** The global roll-up waits for the services of every partition, which close their minutes independently. */
    static final Duration GLOBAL_GRACE = Duration.ofMinutes(1);
    /** How far back the one-minute windows can be queried. */
    static final Duration RETENTION = Duration.ofHours(24);
    /** The global windows are only emitted, never queried: kept just until they close. */
    static final Duration GLOBAL_RETENTION = Duration.ofMinutes(10);

    private final PipelineContext context;
    private final LatencyTopics topics;
    private final Rejections rejections;
    private final ClosedWindows closedWindows = new ClosedWindows();

    public LatencyPipeline(PipelineContext context) {
        this.context = context;
        this.topics = new LatencyTopics(context);
        this.rejections = new Rejections(this, context);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The pipeline's topics with their serdes, for producers such as the SLO endpoint. */
    public LatencyTopics latencyTopics() {
        return topics;
    }

    /** Signals each close of one-minute windows on this instance, for caches of query answers. */
    public ClosedWindows closedWindows() {
        return closedWindows;
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
        return LatencyStores.QUERYABLE;
    }

    @Override
    public void build(StreamsBuilder builder) {
        LatencyWindowSerde windowSerde = new LatencyWindowSerde();
        GlobalKTable<String, SloDefinition> slos = GlobalTables.checked(builder, topics.slos(), topics.checkedSlos(), SLOS,
                SloPolicy::check, rejections);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_ROLLUPS), Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SERVICES), Serdes.String(),
                topics.aggregates().valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERTS), Serdes.String(),
                topics.alerts().valueSerde()));

        KStream<String, LatencySample> samples = rejections.screen(builder.stream(topics.samples().name(), topics.samples().consumed()),
                topics.samples(), (key, sample) -> LatencySampleRules.check(sample), "latency-samples");

        // Only one-minute windows are built sample by sample (one sketch update each); every coarser window and
        // roll-up is a merge of them. Keyed by series, partitioned by service: a service's roll-ups stay local.
        KStream<Windowed<String>, LatencyWindow> closedMinutes = samples
                .selectKey((key, sample) -> SeriesKey.of(sample).key(), Named.as("latency-key-by-series"))
                .repartition(Repartitioned.<String, LatencySample>as("samples-by-service")
                        .withKeySerde(Serdes.String()).withValueSerde(topics.samples().valueSerde())
                        .withStreamPartitioner(new ServicePartitioner()))
                .processValues(() -> new LatenessMeter(new Lateness(MINUTE, GRACE), context.meters()), Named.as("latency-lateness"))
                .groupByKey(Grouped.as("latency-series"))
                .windowedBy(TimeWindows.ofSizeAndGrace(MINUTE, GRACE))
                .emitStrategy(EmitStrategy.onWindowClose())
                .aggregate(LatencyWindow::new, (series, sample, window) -> window.record(sample.getDurationMicros(), sample.getStatusCode()),
                        Named.as("latency-endpoint-minute"),
                        Materialized.<String, LatencyWindow, WindowStore<Bytes, byte[]>>as(ENDPOINT_MINUTES)
                                .withKeySerde(Serdes.String()).withValueSerde(windowSerde).withRetention(RETENTION))
                .toStream(Named.as("latency-endpoint-minute-closed"));

        KStream<String, LatencyAggregate> rollUps = closedMinutes.process(() -> new MinuteRollup(closedWindows),
                Named.as("latency-minute-rollup"), ENDPOINT_MINUTES, PENDING_ROLLUPS, SERVICES);

        rollUps.filter((key, window) -> window.getScope() == AggregateScope.SERVICE || window.getScope() == AggregateScope.ENDPOINT,
                        Named.as("latency-slo-candidates"))
                .leftJoin(slos, (key, window) -> key, SloAlerting.Check::new, Named.as("latency-slo-lookup"))
                .processValues(SloAlerting::new, Named.as("latency-slo-alerting"), ALERTS)
                .to(topics.alerts().name(), topics.alerts().produced());

        // Services live on different partitions: their closed minutes meet on one key to be merged globally.
        KGroupedStream<String, LatencyWindow> serviceMinutes = rollUps
                .filter((key, window) -> window.getScope() == AggregateScope.SERVICE
                        && WindowSize.ONE_MINUTE.label().equals(window.getWindow()), Named.as("latency-service-minutes"))
                .map((key, window) -> KeyValue.pair(SeriesKey.GLOBAL_KEY, Aggregates.window(window)), Named.as("latency-to-global"))
                .groupByKey(Grouped.<String, LatencyWindow>as("latency-global").withKeySerde(Serdes.String()).withValueSerde(windowSerde));
        KStream<String, LatencyAggregate> globalMinutes = globalRollUp(serviceMinutes, WindowSize.ONE_MINUTE, GLOBAL_MINUTES, windowSerde);
        KStream<String, LatencyAggregate> globalFiveMinutes = globalRollUp(serviceMinutes, WindowSize.FIVE_MINUTES, GLOBAL_FIVE_MINUTES,
                windowSerde);

        rollUps.merge(globalMinutes, Named.as("latency-with-global-minutes"))
                .merge(globalFiveMinutes, Named.as("latency-with-global-five-minutes"))
                .to(topics.aggregates().name(), topics.aggregates().produced());
    }

    private KStream<String, LatencyAggregate> globalRollUp(KGroupedStream<String, LatencyWindow> serviceMinutes, WindowSize size,
                                                          String store, LatencyWindowSerde windowSerde) {
        TimeWindows windows = TimeWindows.ofSizeAndGrace(Duration.ofMillis(size.millis()), GLOBAL_GRACE).advanceBy(MINUTE);
        return serviceMinutes.windowedBy(windows)
                .emitStrategy(EmitStrategy.onWindowClose())
                .aggregate(LatencyWindow::new, (key, serviceMinute, global) -> global.merge(serviceMinute), Named.as(store),
                        Materialized.<String, LatencyWindow, WindowStore<Bytes, byte[]>>as(store)
                                .withKeySerde(Serdes.String()).withValueSerde(windowSerde).withRetention(GLOBAL_RETENTION))
                .toStream(Named.as(store + "-closed"))
                .map((window, global) -> KeyValue.pair(SeriesKey.GLOBAL_KEY,
                        Aggregates.of(SeriesKey.global(), size, window.window().start(), global)), Named.as(store + "-aggregate"));
    }
}
