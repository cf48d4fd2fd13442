package io.millrace.app.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.api.ops.StreamsFigures;
import io.millrace.topology.runtime.PipelineHealth;
import io.millrace.topology.runtime.RunningPipeline;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The Kafka Streams figures operators chart, per pipeline, per topic and per store, summed over this instance's
 * threads, tasks and partitions. Kafka Streams keeps thousands of metrics per application (per task, per processor,
 * per partition, for each internal client); exposing them all made a scrape several megabytes. Summing happens at
 * scrape time from {@link KafkaStreams#metrics()}, which Kafka keeps anyway.
 *
 * <ul>
 *   <li>{@code millrace_pipeline_records_processed_total}, {@code millrace_pipeline_process_rate},
 *       {@code millrace_pipeline_records_dropped_total}, {@code millrace_pipeline_commit_latency_avg_ms},
 *       {@code millrace_pipeline_e2e_latency_avg_ms}/{@code _max_ms}, {@code millrace_pipeline_threads_alive},
 *       {@code millrace_pipeline_threads_failed_total}, {@code millrace_pipeline_status} (0 UP, 1 DEGRADED, 2 DOWN)</li>
 *   <li>{@code millrace_topic_records_consumed_total}, {@code millrace_topic_records_produced_total} by pipeline and topic</li>
 *   <li>{@code millrace_store_keys}, {@code millrace_store_sst_bytes} by pipeline and store</li>
 *   <li>{@code millrace_rocksdb_block_cache_bytes}: the block cache all stores share</li>
 * </ul>
 */
public final class PipelineMetrics implements AutoCloseable {

    private final MeterRegistry meters;
    private final List<RunningPipeline> pipelines;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "millrace-metrics");
        thread.setDaemon(true);
        return thread;
    });

    public PipelineMetrics(MeterRegistry meters, List<RunningPipeline> pipelines) {
        this.meters = meters;
        this.pipelines = List.copyOf(pipelines);
    }

    public void start() {
        pipelines.forEach(this::bindPipeline);
        Gauge.builder("millrace.rocksdb.block.cache.bytes", this, m -> m.maxOverAll("stream-state-metrics", "block-cache-usage"))
                .description("Bytes in the RocksDB block cache all stores share (bounded by --rocksdb-memory-mb)").register(meters);
        // Topics and stores appear as tasks are assigned: new ones get their meters on the next refresh.
        refresher.scheduleWithFixedDelay(this::bindTopicsAndStores, 0, 10, TimeUnit.SECONDS);
    }

    private void bindPipeline(RunningPipeline p) {
        String name = p.name();
        KafkaStreams streams = p.streams();
        FunctionCounter.builder("millrace.pipeline.records.processed", streams, s -> sum(s, "stream-thread-metrics", "process-total", Map.of()))
                .description("Records the pipeline's stream threads processed").tag("pipeline", name).register(meters);
        Gauge.builder("millrace.pipeline.process.rate", streams, s -> sum(s, "stream-thread-metrics", "process-rate", Map.of()))
                .description("Records processed per second").tag("pipeline", name).register(meters);
        FunctionCounter.builder("millrace.pipeline.records.dropped", streams, s -> sum(s, "stream-task-metrics", "dropped-records-total",
                        Map.of()))
                .description("Records Kafka Streams dropped (late beyond grace, null keys where a key is needed, skipped on errors)")
                .tag("pipeline", name).register(meters);
        Gauge.builder("millrace.pipeline.commit.latency.avg.ms", streams, s -> max(s, "stream-thread-metrics", "commit-latency-avg"))
                .description("Average commit time of the slowest thread").tag("pipeline", name).register(meters);
        Gauge.builder("millrace.pipeline.e2e.latency.avg.ms", streams, s -> max(s, "stream-processor-node-metrics", "record-e2e-latency-avg"))
                .description("End-to-end latency (record timestamp to processing) at the slowest node, average").tag("pipeline", name)
                .register(meters);
        Gauge.builder("millrace.pipeline.e2e.latency.max.ms", streams, s -> max(s, "stream-processor-node-metrics", "record-e2e-latency-max"))
                .description("End-to-end latency at the slowest node, maximum").tag("pipeline", name).register(meters);
        Gauge.builder("millrace.pipeline.threads.alive", streams, s -> sum(s, "stream-metrics", "alive-stream-threads", Map.of()))
                .description("Stream threads alive").tag("pipeline", name).register(meters);
        FunctionCounter.builder("millrace.pipeline.threads.failed", streams, s -> sum(s, "stream-metrics", "failed-stream-threads", Map.of()))
                .description("Stream threads that died (each replaced)").tag("pipeline", name).register(meters);
        Gauge.builder("millrace.pipeline.status", p, running -> status(running.verdict().status()))
                .description("0 UP, 1 DEGRADED (stuck or failing), 2 DOWN (Kafka Streams in ERROR or not running)")
                .tag("pipeline", name).register(meters);
    }

    private static double status(PipelineHealth.Status status) {
        return switch (status) {
            case UP -> 0;
            case DEGRADED -> 1;
            case DOWN -> 2;
        };
    }

    void bindTopicsAndStores() {
        for (RunningPipeline p : pipelines) {
            KafkaStreams streams = p.streams();
            for (MetricName metric : streams.metrics().keySet()) {
                String topic = metric.tags().get("topic");
                if (metric.group().equals("stream-topic-metrics") && topic != null) {
                    bindTopic(p.name(), streams, topic);
                }
                if (metric.group().equals("stream-state-metrics")) {
                    StreamsFigures.store(metric).ifPresent(e -> bindStore(p.name(), streams, e.getKey(), e.getValue()));
                }
            }
        }
    }

    private void bindTopic(String pipeline, KafkaStreams streams, String topic) {
        if (!registered.add("topic|" + pipeline + "|" + topic)) {
            return;
        }
        Map<String, String> tags = Map.of("topic", topic);
        FunctionCounter.builder("millrace.topic.records.consumed", streams, s -> sum(s, "stream-topic-metrics", "records-consumed-total", tags))
                .description("Records the pipeline read from the topic").tag("pipeline", pipeline).tag("topic", topic).register(meters);
        FunctionCounter.builder("millrace.topic.records.produced", streams, s -> sum(s, "stream-topic-metrics", "records-produced-total", tags))
                .description("Records the pipeline wrote to the topic").tag("pipeline", pipeline).tag("topic", topic).register(meters);
    }

    private void bindStore(String pipeline, KafkaStreams streams, String idTag, String store) {
        if (!registered.add("store|" + pipeline + "|" + store)) {
            return;
        }
        Map<String, String> tags = Map.of(idTag, store);
        storeGauge("millrace.store.keys", "Estimated keys in the store, all its partitions on this instance", pipeline, store,
                streams, s -> sum(s, "stream-state-metrics", "estimate-num-keys", tags));
        storeGauge("millrace.store.sst.bytes", "Bytes of the store's SST files on this instance", pipeline, store,
                streams, s -> sum(s, "stream-state-metrics", "total-sst-files-size", tags));
    }

    private void storeGauge(String name, String description, String pipeline, String store, KafkaStreams streams,
                            ToDoubleFunction<KafkaStreams> value) {
        Gauge.builder(name, streams, value).description(description).tag("pipeline", pipeline).tag("store", store).register(meters);
    }

    private double maxOverAll(String group, String name) {
        return pipelines.stream().mapToDouble(p -> max(p.streams(), group, name)).max().orElse(0);
    }

    private static double sum(KafkaStreams streams, String group, String name, Map<String, String> tags) {
        return StreamsFigures.sum(streams, group, name, tags);
    }

    private static double max(KafkaStreams streams, String group, String name) {
        return StreamsFigures.max(streams, group, name);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
