package io.millrace.api.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.api.ops.StreamsFigures;
import io.millrace.topology.Topic;
import io.millrace.topology.runtime.DeadLetters;
import io.millrace.topology.runtime.RunningPipeline;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The last 15 minutes of every pipeline of this instance, one point every 5 seconds: records in from its inputs and out
 * to its results per second (from Kafka Streams' per-topic totals, so exactly what this instance's tasks read and wrote),
 * per topic and per source or sink node, its lag, dead letters and rejections per second, and how old records are when
 * they are read (ingest delay) and when their results are written (output delay: for windowed results, the window close
 * delay). Rates are differences of totals between two samples; a total that falls (tasks moved to another instance)
 * counts as no records, not as a negative rate.
 */
public final class PipelineHistory {

    public static final Duration STEP = Duration.ofSeconds(5);
    public static final Duration SPAN = Duration.ofMinutes(15);
    private static final int CAPACITY = (int) (SPAN.toMillis() / STEP.toMillis());

    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    private final Map<String, Watched> pipelines = new TreeMap<>();

    /** One sample of a pipeline. Rates are records per second since the previous sample. */
    public record Point(long at, double inputRate, double outputRate, long lag, long deadLetters, double deadLetterRate, long rejections,
                        double rejectionRate, double ingestDelayMs, double outputDelayMs, Map<String, Double> consumed,
                        Map<String, Double> produced) {
    }

    public PipelineHistory(List<RunningPipeline> pipelines, Map<String, DashboardPage> pages, DeadLetters deadLetters, MeterRegistry meters) {
        this.deadLetters = deadLetters;
        this.meters = meters;
        for (RunningPipeline running : pipelines) {
            this.pipelines.put(running.name(), new Watched(running, Optional.ofNullable(pages.get(running.name()))));
        }
    }

    /** Takes one sample of every pipeline at {@code now} (epoch millis); the first only sets the totals rates start from. */
    public void sample(long now) {
        pipelines.values().forEach(watched -> watched.sample(now));
    }

    /** The points of one pipeline, oldest first (empty for a pipeline that is not here). */
    public List<Point> points(String pipeline) {
        Watched watched = pipelines.get(pipeline);
        return watched == null ? List.of() : watched.points();
    }

    public Optional<Point> latest(String pipeline) {
        Watched watched = pipelines.get(pipeline);
        return watched == null ? Optional.empty() : watched.latest();
    }

    /** Records per second through each source node (read) and sink node (written) of the pipeline, at the latest sample. */
    public Map<String, Double> nodeRates(String pipeline) {
        Watched watched = pipelines.get(pipeline);
        return watched == null ? Map.of() : watched.nodeRates;
    }

    /** Records in the pipeline's dead-letter topic. */
    public long deadLetters(String pipeline) {
        return deadLetters.count(pipeline);
    }

    /** Records the pipeline rejected on this instance. */
    public long rejections(String pipeline) {
        return (long) meters.find("millrace.rejected").tag("pipeline", pipeline).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The pipelines sampled, by name. */
    public Set<String> pipelines() {
        return pipelines.keySet();
    }

    /** Records consumed or produced, in total, by topic and by processor node: one pass over the metrics. */
    private record Totals(Map<String, Double> consumed, Map<String, Double> produced, Map<String, Double> nodes) {
    }

    private final class Watched {
        private final RunningPipeline running;
        private final Set<String> inputs;
        private final Set<String> outputs;
        private final Set<String> sourceNodes = new HashSet<>();
        private final Set<String> internalSourceNodes = new HashSet<>();
        private final Set<String> outputSinkNodes = new HashSet<>();
        private final Deque<Point> points = new ArrayDeque<>();
        private volatile Map<String, Double> nodeRates = Map.of();
        private Totals previous;
        private long previousAt;
        private long previousDeadLetters;
        private long previousRejections;

        Watched(RunningPipeline running, Optional<DashboardPage> page) {
            this.running = running;
            this.inputs = running.pipeline().inputs().stream().map(Topic::name).collect(Collectors.toSet());
            List<String> declared = page.map(DashboardPage::outputs).orElse(List.of());
            this.outputs = declared.isEmpty() ? running.pipeline().topics().stream().map(t -> t.name())
                    .filter(t -> !inputs.contains(t)).collect(Collectors.toSet()) : Set.copyOf(declared);
            for (TopologyDescription.Subtopology subtopology : running.topology().subtopologies()) {
                for (TopologyDescription.Node node : subtopology.nodes()) {
                    if (node instanceof TopologyDescription.Source source) {
                        boolean readsAnInput = source.topicSet() != null && source.topicSet().stream().anyMatch(inputs::contains);
                        (readsAnInput ? sourceNodes : internalSourceNodes).add(node.name());
                    } else if (node instanceof TopologyDescription.Sink sink && outputs.contains(sink.topic())) {
                        outputSinkNodes.add(node.name());
                    }
                }
            }
        }

        synchronized List<Point> points() {
            return List.copyOf(points);
        }

        synchronized Optional<Point> latest() {
            return Optional.ofNullable(points.peekLast());
        }

        void sample(long now) {
            Totals totals = totals();
            long dead = deadLetters(running.name());
            long rejections = rejections(running.name());
            Delays delays = delays();
            synchronized (this) {
                if (previous != null && now > previousAt) {
                    double seconds = (now - previousAt) / 1000.0;
                    Map<String, Double> consumed = rates(totals.consumed(), previous.consumed(), seconds);
                    Map<String, Double> produced = rates(totals.produced(), previous.produced(), seconds);
                    nodeRates = Map.copyOf(rates(totals.nodes(), previous.nodes(), seconds));
                    points.addLast(new Point(now, sumOf(consumed, inputs), sumOf(produced, outputs), running.health().lag(), dead,
                            rate(dead, previousDeadLetters, seconds), rejections, rate(rejections, previousRejections, seconds),
                            delays.ingest(), delays.output(), consumed, produced));
                    while (points.size() > CAPACITY) {
                        points.removeFirst();
                    }
                }
                previous = totals;
                previousAt = now;
                previousDeadLetters = dead;
                previousRejections = rejections;
            }
        }

        private Totals totals() {
            Map<String, Double> consumed = new HashMap<>();
            Map<String, Double> produced = new HashMap<>();
            Map<String, Double> nodes = new HashMap<>();
            StreamsFigures.each(running.streams(), "stream-topic-metrics", "records-consumed-total", (metric, value) -> {
                consumed.merge(metric.tags().getOrDefault("topic", "?"), value, Double::sum);
                nodes.merge(metric.tags().getOrDefault("processor-node-id", "?"), value, Double::sum);
            });
            StreamsFigures.each(running.streams(), "stream-topic-metrics", "records-produced-total", (metric, value) -> {
                produced.merge(metric.tags().getOrDefault("topic", "?"), value, Double::sum);
                nodes.merge(metric.tags().getOrDefault("processor-node-id", "?"), value, Double::sum);
            });
            return new Totals(consumed, produced, nodes);
        }

        /**
         * The oldest average record age at a node reading an input topic (internal topics carry older timestamps: a window's
         * result), and at a sink writing results (at any other node when no sink writes them: a processor with a producer of its
         * own). Until a result is written that age is 0, shown as none.
         */
        private Delays delays() {
            double[] ingest = {0};
            double[] output = {0};
            double[] other = {0};
            StreamsFigures.each(running.streams(), "stream-processor-node-metrics", "record-e2e-latency-avg", (metric, value) -> {
                String node = metric.tags().get("processor-node-id");
                if (sourceNodes.contains(node)) {
                    ingest[0] = Math.max(ingest[0], value);
                } else if (outputSinkNodes.contains(node)) {
                    output[0] = Math.max(output[0], value);
                } else if (!internalSourceNodes.contains(node)) {
                    other[0] = Math.max(other[0], value);
                }
            });
            return new Delays(ingest[0], outputSinkNodes.isEmpty() ? other[0] : output[0]);
        }
    }

    private record Delays(double ingest, double output) {
    }

    private static Map<String, Double> rates(Map<String, Double> now, Map<String, Double> before, double seconds) {
        Map<String, Double> rates = new TreeMap<>();
        now.forEach((key, total) -> rates.put(key, round(Math.max(0, total - before.getOrDefault(key, total)) / seconds)));
        return rates;
    }

    private static double rate(long now, long before, double seconds) {
        return round(Math.max(0, now - before) / seconds);
    }

    private static double sumOf(Map<String, Double> rates, Set<String> keys) {
        return round(rates.entrySet().stream().filter(e -> keys.contains(e.getKey())).mapToDouble(Map.Entry::getValue).sum());
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
