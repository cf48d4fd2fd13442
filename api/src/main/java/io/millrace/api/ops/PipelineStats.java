package io.millrace.api.ops;

import io.millrace.topology.runtime.DeadLetters;
import io.millrace.topology.runtime.PipelineHealth;
import io.millrace.topology.runtime.RunningPipeline;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** What the dashboard shows of one pipeline, read from Kafka Streams' own metrics of this instance. */
public record PipelineStats(String name, String state, String status, String reason, double recordsPerSecond, double recordsTotal,
                            double e2eLatencyAvgMs, double e2eLatencyMaxMs, double consumerLag, long deadLetters,
                            int restoringPartitions) {

    public static PipelineStats of(RunningPipeline running, DeadLetters deadLetters) {
        Map<MetricName, ? extends Metric> metrics = running.streams().metrics();
        PipelineHealth.Verdict verdict = running.verdict();
        return new PipelineStats(running.name(), running.streams().state().name(), verdict.status().name(), verdict.reason(),
                sum(metrics, "stream-thread-metrics", "process-rate"),
                sum(metrics, "stream-thread-metrics", "process-total"),
                max(metrics, "stream-task-metrics", "record-e2e-latency-avg", "stream-processor-node-metrics"),
                max(metrics, "stream-task-metrics", "record-e2e-latency-max", "stream-processor-node-metrics"),
                running.health().lag(),
                deadLetters.count(running.name()),
                running.restores().inProgress().size());
    }

    private static double sum(Map<MetricName, ? extends Metric> metrics, String group, String name) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().group().equals(group) && e.getKey().name().equals(name))
                .mapToDouble(e -> value(e.getValue())).sum();
    }

    private static double max(Map<MetricName, ? extends Metric> metrics, String group, String name, String otherGroup) {
        return metrics.entrySet().stream()
                .filter(e -> (e.getKey().group().equals(group) || e.getKey().group().equals(otherGroup)) && e.getKey().name().equals(name))
                .mapToDouble(e -> value(e.getValue())).max().orElse(0);
    }

    /** A Kafka metric's value as a number, 0 when it has none (yet) or is NaN or infinite. */
    public static double value(Metric metric) {
        Object value = metric.metricValue();
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return Double.isNaN(d) || Double.isInfinite(d) ? 0 : d;
        }
        return 0;
    }
}
