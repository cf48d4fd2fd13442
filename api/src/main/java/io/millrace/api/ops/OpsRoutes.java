package io.millrace.api.ops;

import io.javalin.http.Context;
import io.millrace.api.ApiContext;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Role;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.topology.Pipeline;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.runtime.PipelineHealth;
import io.millrace.topology.runtime.RestoreProgress;
import io.millrace.topology.runtime.RunningPipeline;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TopologyDescription;

/** Operator endpoints: liveness, readiness, Prometheus metrics, pipelines, topologies and partition placement. */
public final class OpsRoutes {

    private final ApiContext context;
    private final Function<String, Map<String, Double>> nodeRates;

    /** {@code nodeRates}: a pipeline's records per second through each source and sink node, as last measured. */
    public OpsRoutes(ApiContext context, Function<String, Map<String, Double>> nodeRates) {
        this.context = context;
        this.nodeRates = nodeRates;
    }

    /** GET /health: UP, or DOWN when any pipeline is DOWN or DEGRADED; each pipeline's verdict. */
    public record Health(String status, Map<String, PipelineVerdict> pipelines) {
    }

    /** One pipeline in /health: its Kafka Streams state, the verdict (UP, DEGRADED, DOWN) and why, and its lag. */
    public record PipelineVerdict(String state, String status, Optional<String> reason, long lag) {
        static PipelineVerdict of(RunningPipeline running) {
            PipelineHealth.Verdict verdict = running.verdict();
            return new PipelineVerdict(running.streams().state().name(), verdict.status().name(), Optional.ofNullable(verdict.reason()),
                    running.health().lag());
        }
    }

    /** GET /ready. */
    public record Readiness(boolean ready, boolean startupComplete, Map<String, PipelineReadiness> pipelines) {
    }

    /** One pipeline's readiness: its state and the changelogs it is still restoring. */
    public record PipelineReadiness(String state, List<Restoring> restoring) {
    }

    /** A changelog partition being restored, with an estimate of the time left. */
    public record Restoring(String store, String changelog, int partition, long restored, long total, long etaSeconds) {
    }

    /** GET /api/pipelines. */
    public record PipelineInfo(String name, String applicationId, String state, String status, Optional<String> reason, long lag,
                               Map<String, Long> lagByTopic, List<String> topics, List<String> stores, String deadLetterTopic,
                               long deadLetters, long poisonRecordsSkipped, int threadFailures) {
    }

    /**
     * GET /topology: each pipeline's processing graph as Kafka Streams describes it, and the same as a graph: its
     * sub-topologies and global stores, each a list of nodes.
     */
    public record TopologyInfo(String pipeline, String description, List<SubTopology> subtopologies, List<GlobalStore> globalStores) {
    }

    /** A sub-topology: the nodes one task runs, from the topics it reads to the topics it writes. */
    public record SubTopology(int id, List<TopologyNode> nodes) {
    }

    /** A global store: the topic it is read from, the node that updates it, and the store. */
    public record GlobalStore(int id, List<TopologyNode> nodes) {
    }

    /**
     * A node: {@code source} (reads {@code topics}), {@code processor} (uses {@code stores}) or {@code sink} (writes its
     * topic), the nodes it forwards to, and, where Kafka Streams measures it on this instance, the records per second it
     * reads or writes and the average age of records at it.
     */
    public record TopologyNode(String name, String kind, List<String> topics, Optional<String> topicPattern, List<String> stores,
                               List<String> successors, Optional<Double> recordsPerSecond, Optional<Double> recordAgeMs) {
    }

    /** GET /cluster: which instance hosts which partitions of a pipeline, this instance's lags and what it is restoring. */
    public record ClusterInfo(String pipeline, String instance, List<HostAssignment> hosts, List<StoreLag> localLags,
                              List<Restoring> restoring) {
    }

    /** One instance of a pipeline. */
    public record HostAssignment(String host, List<String> activePartitions, List<String> standbyPartitions, List<String> stores) {
    }

    /** How far this instance's copy of a store partition is behind its changelog. */
    public record StoreLag(String store, int partition, long offsetLag, long endOffset) {
    }

    public void register(ApiRoutes routes) {
        routes.get("/health", Doc.of("Liveness: 503 when a pipeline is DOWN (Kafka Streams in ERROR or NOT_RUNNING) or DEGRADED "
                        + "(no progress while records wait, or its stream threads keep failing), with the reason").tag("ops")
                .access(Access.open("orchestrators' liveness probes")).returns(Health.class).errors(503), this::health);
        routes.get("/ready", Doc.of("Readiness: 200 once startup is complete and every pipeline is RUNNING; otherwise what is still restoring")
                .tag("ops").access(Access.open("orchestrators' readiness probes")).returns(Readiness.class).errors(503), this::ready);
        routes.get("/metrics", Doc.of("Prometheus metrics").tag("ops")
                        .access(context.security().metricsNeedOperator() ? Access.roles(Role.OPERATOR)
                                : Access.open("Prometheus scrapes it; --metrics-auth makes it operator-only")),
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(context.meters().scrape()));
        routes.get("/api/pipelines", Doc.of("The pipelines, their state, topics, stores and dead letters").tag("ops")
                .access(Access.roles(Role.OPERATOR)).returnsListOf(PipelineInfo.class), ctx -> ctx.json(pipelines()));
        routes.get("/topology", Doc.of("Each pipeline's topology, as Kafka Streams prints it and as a graph of nodes with the rates "
                        + "measured on this instance").tag("ops").access(Access.roles(Role.OPERATOR)).returnsListOf(TopologyInfo.class),
                ctx -> ctx.json(context.pipelines().stream().map(this::topology).toList()));
        routes.get("/cluster", Doc.of("Hosts with active and standby partitions per pipeline, and this instance's store lags and restores")
                .tag("ops").access(Access.roles(Role.OPERATOR)).returnsListOf(ClusterInfo.class), ctx -> ctx.json(cluster()));
    }

    private void health(Context ctx) {
        Map<String, PipelineVerdict> verdicts = new TreeMap<>();
        context.pipelines().forEach(p -> verdicts.put(p.name(), PipelineVerdict.of(p)));
        boolean down = verdicts.values().stream().anyMatch(v -> !v.status().equals(PipelineHealth.Status.UP.name()));
        if (down) {
            ctx.header("Retry-After", "10");
        }
        ctx.status(down ? 503 : 200).json(new Health(down ? "DOWN" : "UP", verdicts));
    }

    private void ready(Context ctx) {
        Map<String, PipelineReadiness> pipelines = new TreeMap<>();
        for (RunningPipeline running : context.pipelines()) {
            pipelines.put(running.name(), new PipelineReadiness(running.streams().state().name(), restoring(running)));
        }
        boolean started = context.startupComplete().getAsBoolean();
        boolean ready = started && context.pipelines().stream().allMatch(RunningPipeline::isRunning);
        if (!ready) {
            ctx.header("Retry-After", "2");
        }
        ctx.status(ready ? 200 : 503).json(new Readiness(ready, started, pipelines));
    }

    private List<PipelineInfo> pipelines() {
        return context.pipelines().stream().map(running -> {
            Pipeline pipeline = running.pipeline();
            PipelineHealth.Verdict verdict = running.verdict();
            return new PipelineInfo(pipeline.name(), Pipeline.applicationId(pipeline.name()), running.streams().state().name(),
                    verdict.status().name(), Optional.ofNullable(verdict.reason()), running.health().lag(),
                    running.health().lagByTopic(), pipeline.topics().stream().map(TopicSpec::name).toList(), pipeline.queryableStores(),
                    pipeline.deadLetterTopic(), context.deadLetters().count(pipeline.name()), running.poison().skippedCount(),
                    running.health().recentFailures());
        }).toList();
    }

    private static List<Restoring> restoring(RunningPipeline running) {
        long now = System.currentTimeMillis();
        return running.restores().inProgress().stream()
                .sorted(Comparator.comparing(RestoreProgress.Restoring::changelog).thenComparing(RestoreProgress.Restoring::partition))
                .map(r -> new Restoring(r.store(), r.changelog(), r.partition(), r.restored(), r.endOffset() - r.startOffset(), r.etaSeconds(now)))
                .toList();
    }

    private TopologyInfo topology(RunningPipeline running) {
        Map<String, Double> rates = nodeRates.apply(running.name());
        Map<String, Double> ages = new HashMap<>();
        StreamsFigures.each(running.streams(), "stream-processor-node-metrics", "record-e2e-latency-avg",
                (metric, value) -> ages.merge(metric.tags().getOrDefault("processor-node-id", "?"), value, Math::max));
        TopologyDescription topology = running.topology();
        List<SubTopology> subtopologies = topology.subtopologies().stream()
                .sorted(Comparator.comparingInt(TopologyDescription.Subtopology::id))
                .map(s -> new SubTopology(s.id(), nodes(s.nodes(), rates, ages))).toList();
        List<GlobalStore> globals = topology.globalStores().stream()
                .sorted(Comparator.comparingInt(TopologyDescription.GlobalStore::id))
                .map(g -> new GlobalStore(g.id(), nodes(Set.of(g.source(), g.processor()), rates, ages))).toList();
        return new TopologyInfo(running.name(), running.description(), subtopologies, globals);
    }

    private static List<TopologyNode> nodes(Set<? extends TopologyDescription.Node> nodes, Map<String, Double> rates,
                                            Map<String, Double> ages) {
        return nodes.stream().sorted(Comparator.comparing(TopologyDescription.Node::name)).map(node -> {
            List<String> successors = node.successors().stream().map(TopologyDescription.Node::name).sorted().toList();
            Optional<Double> rate = Optional.ofNullable(rates.get(node.name()));
            Optional<Double> age = Optional.ofNullable(ages.get(node.name()));
            if (node instanceof TopologyDescription.Source source) {
                return new TopologyNode(node.name(), "source", source.topicSet() == null ? List.of() : source.topicSet().stream().sorted().toList(),
                        Optional.ofNullable(source.topicPattern()).map(Object::toString), List.of(), successors, rate, age);
            }
            if (node instanceof TopologyDescription.Sink sink) {
                return new TopologyNode(node.name(), "sink", sink.topic() == null ? List.of() : List.of(sink.topic()), Optional.empty(),
                        List.of(), successors, rate, age);
            }
            List<String> stores = node instanceof TopologyDescription.Processor processor
                    ? processor.stores().stream().sorted().toList() : List.of();
            return new TopologyNode(node.name(), "processor", List.of(), Optional.empty(), stores, successors, rate, age);
        }).toList();
    }

    private List<ClusterInfo> cluster() {
        return context.pipelines().stream().map(running -> {
            List<HostAssignment> hosts = running.streams().metadataForAllStreamsClients().stream()
                    .sorted(Comparator.comparing(m -> m.hostInfo().host() + ":" + m.hostInfo().port()))
                    .map(OpsRoutes::assignment).toList();
            List<StoreLag> lags = running.streams().allLocalStorePartitionLags().entrySet().stream()
                    .flatMap(store -> store.getValue().entrySet().stream().map(partition -> lag(store.getKey(), partition)))
                    .sorted(Comparator.comparing(StoreLag::store).thenComparing(StoreLag::partition))
                    .toList();
            return new ClusterInfo(running.name(), context.router().self().host() + ":" + context.router().self().port(), hosts, lags,
                    restoring(running));
        }).toList();
    }

    private static StoreLag lag(String store, Map.Entry<Integer, LagInfo> partition) {
        return new StoreLag(store, partition.getKey(), partition.getValue().offsetLag(), partition.getValue().endOffsetPosition());
    }

    private static HostAssignment assignment(StreamsMetadata metadata) {
        return new HostAssignment(metadata.hostInfo().host() + ":" + metadata.hostInfo().port(),
                names(metadata.topicPartitions()), names(metadata.standbyTopicPartitions()),
                metadata.stateStoreNames().stream().sorted().toList());
    }

    private static List<String> names(Set<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).sorted().toList();
    }

}
