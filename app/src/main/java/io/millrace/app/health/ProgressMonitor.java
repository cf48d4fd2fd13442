package io.millrace.app.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.topology.Pipeline;
import io.millrace.topology.runtime.BuiltPipeline;
import io.millrace.topology.runtime.RunningPipeline;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TopologyDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures, every few seconds and from the broker, how far each pipeline is behind: for every partition of every
 * topic its stream tasks read, the last committed offset against the end (read committed), so that a pipeline whose
 * threads are dead shows a growing lag instead of the last figure its consumer reported. Feeds each pipeline's
 * {@link io.millrace.topology.runtime.PipelineHealth} and the gauge {@code millrace_consumer_lag{pipeline,topic}}.
 */
public final class ProgressMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressMonitor.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final List<Watched> pipelines;
    private final MeterRegistry meters;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "millrace-progress");
        thread.setDaemon(true);
        return thread;
    });

    /** A pipeline and the topics its stream tasks consume (global-table topics are not consumed by a group). */
    private record Watched(RunningPipeline running, Set<String> sourceTopics) {
    }

    public ProgressMonitor(Admin admin, List<RunningPipeline> pipelines, Map<String, TopologyDescription> topologies,
                           MeterRegistry meters) {
        this.admin = admin;
        this.meters = meters;
        this.pipelines = pipelines.stream()
                .map(p -> new Watched(p, BuiltPipeline.sourceTopics(p.pipeline(), topologies.get(p.name())))).toList();
    }

    public void start(Duration interval) {
        ticker.scheduleWithFixedDelay(this::measureAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void measureAll() {
        for (Watched watched : pipelines) {
            try {
                measure(watched);
            } catch (Exception e) {
                // The broker may be restarting; if no measurement succeeds for the stall timeout the pipeline is DEGRADED.
                watched.running().health().measurementFailed(e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                        ? e.getCause() : e);
                log.debug("{}: could not measure lag: {}", watched.running().name(), e.toString());
            }
        }
    }

    private void measure(Watched watched) throws Exception {
        String group = Pipeline.applicationId(watched.running().name());
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Set<TopicPartition> partitions = admin.describeTopics(watched.sourceTopics()).allTopicNames()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toSet());
        Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, ListOffsetsResultInfo> starts = offsets(partitions, OffsetSpec.earliest());
        Map<String, Long> lagByTopic = new HashMap<>();
        long committedTotal = 0;
        for (TopicPartition partition : partitions) {
            long end = ends.get(partition).offset();
            OffsetAndMetadata position = committed.get(partition);
            long from = position != null ? position.offset() : starts.get(partition).offset();
            committedTotal += from;
            lagByTopic.merge(partition.topic(), Math.max(0, end - from), Long::sum);
        }
        watched.running().health().measured(lagByTopic, committedTotal);
        lagByTopic.forEach((topic, lag) -> gauge(watched.running().name(), topic).set(lag));
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(Set<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        return admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private AtomicLong gauge(String pipeline, String topic) {
        return gauges.computeIfAbsent(pipeline + "/" + topic, key -> {
            AtomicLong lag = new AtomicLong();
            Gauge.builder("millrace.consumer.lag", lag, AtomicLong::get)
                    .description("Records in the topic not yet committed as processed by the pipeline, measured from the broker")
                    .tag("pipeline", pipeline).tag("topic", topic)
                    .register(meters);
            return lag;
        });
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
