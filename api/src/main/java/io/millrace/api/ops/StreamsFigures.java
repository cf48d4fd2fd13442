package io.millrace.api.ops;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/** Figures read from Kafka Streams' own metrics of this instance, summed or maxed over threads, tasks and partitions. */
public final class StreamsFigures {

    /** The tags that name a store in Kafka Streams' state metrics (key-value, window and session stores). */
    private static final Set<String> STORE_ID_TAGS = Set.of("rocksdb-state-id", "rocksdb-window-state-id", "rocksdb-session-state-id");

    private StreamsFigures() {
    }

    /** The store a state metric is about, with the tag that names it. */
    public static Optional<Map.Entry<String, String>> store(MetricName metric) {
        return metric.tags().entrySet().stream().filter(tag -> STORE_ID_TAGS.contains(tag.getKey())).findFirst();
    }

    /** The sum of a metric over every thread, task and partition whose tags include {@code tags}. */
    public static double sum(KafkaStreams streams, String group, String name, Map<String, String> tags) {
        double[] total = {0};
        each(streams, group, name, (metric, value) -> {
            if (matches(metric.tags(), tags)) {
                total[0] += value;
            }
        });
        return total[0];
    }

    /** The largest value of a metric over every thread, task and node (0 when there is none). */
    public static double max(KafkaStreams streams, String group, String name) {
        double[] max = {0};
        each(streams, group, name, (metric, value) -> max[0] = Math.max(max[0], value));
        return max[0];
    }

    /** Every value of a metric with its name (and tags); NaN and infinities read as 0. */
    public static void each(KafkaStreams streams, String group, String name, BiConsumer<MetricName, Double> visitor) {
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName metric = entry.getKey();
            if (metric.group().equals(group) && metric.name().equals(name)) {
                visitor.accept(metric, value(entry.getValue()));
            }
        }
    }

    private static boolean matches(Map<String, String> actual, Map<String, String> wanted) {
        for (Map.Entry<String, String> tag : wanted.entrySet()) {
            if (!tag.getValue().equals(actual.get(tag.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static double value(Metric metric) {
        Object value = metric.metricValue();
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return Double.isNaN(d) || Double.isInfinite(d) ? 0 : d;
        }
        return 0;
    }
}
