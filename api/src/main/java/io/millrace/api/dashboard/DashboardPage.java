package io.millrace.api.dashboard;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A pipeline's own page on the dashboard, declared once by its module: its title, what it shows, its script
 * ({@code /pipelines/<pipeline>.js}, from {@code dashboard/pipelines/} on the class path), the topics that are its results
 * (the overview's output rate and end-to-end figure), whether those results wait for windows to close, the endpoints
 * the page reads, and any counts it needs from the pipeline's stores.
 */
public record DashboardPage(String pipeline, String title, String summary, List<String> outputs, boolean windowedOutputs,
                            List<String> reads, Optional<Figures> figures) {

    public DashboardPage {
        outputs = List.copyOf(outputs);
        reads = List.copyOf(reads);
    }

    /** A page with no outputs, reads or figures yet. */
    public static DashboardPage of(String pipeline, String title, String summary) {
        return new DashboardPage(pipeline, title, summary, List.of(), false, List.of(), Optional.empty());
    }

    /** The topics that hold the pipeline's results. */
    public DashboardPage outputs(String... topics) {
        return new DashboardPage(pipeline, title, summary, List.of(topics), windowedOutputs, reads, figures);
    }

    /**
     * Its results appear when windows close: their age says how long a window waits (its length and grace), not how fast
     * the pipeline is, and the dashboard calls it the window close delay.
     */
    public DashboardPage windowed() {
        return new DashboardPage(pipeline, title, summary, outputs, true, reads, figures);
    }

    /** The endpoints (documented paths, e.g. {@code /api/latency/slowest}) the page reads. */
    public DashboardPage reads(String... paths) {
        return new DashboardPage(pipeline, title, summary, outputs, windowedOutputs, List.of(paths), figures);
    }

    /** Counts the page shows from the pipeline's stores: {@code local} counts this instance's part, the instances hosting {@code store} are added up. */
    public DashboardPage figures(String store, Function<KafkaStreams, Map<String, Long>> local) {
        return new DashboardPage(pipeline, title, summary, outputs, windowedOutputs, reads, Optional.of(new Figures(store, local)));
    }

    /** Where the page's script is served. */
    public String script() {
        return "/pipelines/" + pipeline + ".js";
    }

    /** Store counts a page shows, added up over every instance that hosts {@code store}. */
    public record Figures(String store, Function<KafkaStreams, Map<String, Long>> local) {
    }
}
