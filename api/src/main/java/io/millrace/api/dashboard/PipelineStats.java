package io.millrace.api.dashboard;

import io.millrace.api.ops.StreamsFigures;
import io.millrace.topology.runtime.PipelineHealth;
import io.millrace.topology.runtime.RunningPipeline;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the overview shows of one pipeline on this instance: its state and verdict, records in and out per second, how old
 * records are when read and when their results are written ({@code outputDelay} says whether that is an end-to-end
 * latency or, for windowed results, the window close delay), lag, dead letters and rejections with their rates, and the
 * size of each store.
 */
public record PipelineStats(String name, String title, String state, String status, String reason, double inputRate, double outputRate,
                            double recordsPerSecond, double recordsTotal, double ingestDelayMs, double outputDelayMs, String outputDelay,
                            long lag, long deadLetters, double deadLetterRate, long rejections, double rejectionRate,
                            int restoringPartitions, List<StoreSize> stores) {

    /** What an output delay measures: record age when its result is written, or how long after its window closes it is. */
    public static final String END_TO_END = "END_TO_END";
    public static final String WINDOW_CLOSE = "WINDOW_CLOSE";

    /** A store on this instance: estimated keys and bytes of its SST files, over its partitions here. */
    public record StoreSize(String name, long keys, long sstBytes) {
    }

    static PipelineStats of(RunningPipeline running, Optional<DashboardPage> page, PipelineHistory history) {
        KafkaStreams streams = running.streams();
        PipelineHealth.Verdict verdict = running.verdict();
        PipelineHistory.Point point = history.latest(running.name()).orElse(null);
        return new PipelineStats(running.name(), page.map(DashboardPage::title).orElse(running.name()), streams.state().name(),
                verdict.status().name(), verdict.reason(),
                point == null ? 0 : point.inputRate(), point == null ? 0 : point.outputRate(),
                StreamsFigures.sum(streams, "stream-thread-metrics", "process-rate", Map.of()),
                StreamsFigures.sum(streams, "stream-thread-metrics", "process-total", Map.of()),
                point == null ? 0 : point.ingestDelayMs(), point == null ? 0 : point.outputDelayMs(),
                page.map(DashboardPage::windowedOutputs).orElse(false) ? WINDOW_CLOSE : END_TO_END,
                running.health().lag(), history.deadLetters(running.name()), point == null ? 0 : point.deadLetterRate(),
                history.rejections(running.name()), point == null ? 0 : point.rejectionRate(),
                running.restores().inProgress().size(), stores(streams));
    }

    private static List<StoreSize> stores(KafkaStreams streams) {
        Map<String, long[]> sizes = new TreeMap<>();
        for (String figure : List.of("estimate-num-keys", "total-sst-files-size")) {
            StreamsFigures.each(streams, "stream-state-metrics", figure, (metric, value) -> StreamsFigures.store(metric)
                    .ifPresent(tag -> sizes.computeIfAbsent(tag.getValue(), s -> new long[2])[figure.equals("estimate-num-keys") ? 0 : 1]
                            += (long) value.doubleValue()));
        }
        return sizes.entrySet().stream().map(e -> new StoreSize(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
    }
}
