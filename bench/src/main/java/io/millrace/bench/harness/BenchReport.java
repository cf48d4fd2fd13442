package io.millrace.bench.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.millrace.bench.measure.OutputLatency;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Writes a benchmark run: JSON in bench/results/, a table on the console, and the table in bench/README.md. */
public final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module());
    private static final String START = "<!-- results:start -->";
    private static final String END = "<!-- results:end -->";

    private BenchReport() {
    }

    /** One run: when, where, on which broker, and each pipeline's results (every measured run of it). */
    public record Run(String at, MachineInfo machine, String broker, List<Repeated> results) {

        public static Run now(MachineInfo machine, String broker, List<Repeated> results) {
            return new Run(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), machine, broker, results);
        }
    }

    public static Path writeJson(Run run, Path directory) throws IOException {
        Files.createDirectories(directory);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.parse(run.at()));
        String pipelines = String.join("+", run.results().stream().map(Repeated::pipeline).toList());
        Path file = directory.resolve(stamp + "-" + pipelines + ".json");
        JSON.writeValue(file.toFile(), run);
        return file;
    }

    /**
     * Each pipeline's median run (see {@link Repeated#median}), and the spread over the runs of the figure its target is
     * stated in and of its p99.
     */
    public static String table(Run run) {
        StringBuilder out = new StringBuilder();
        out.append("| Pipeline | Input events/s | Output records/s | Passthrough events/s | Ratio | Latency run offered/s | p50 / p99 ms | Passthrough p50 / p99 ms | Seed rate | Target | Meets | Runs: spread of the target rate; of p99 ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n");
        for (Repeated repeated : run.results()) {
            BenchResult r = repeated.median();
            Target t = r.target();
            String goal = String.format("≥ %,.0f %s%s", t.peakTarget(), t.unit(),
                    t.p99TargetMs().map(ms -> String.format(", p99 < %.0f ms", ms)).orElse(""));
            out.append(String.format("| %s | %,.0f | %,.0f | %,.0f | %.2f | %,.0f | %s | %s | %,.0f %s | %s | %s | %d: %s; %s |%n",
                    r.pipeline(), r.inputEventsPerSecond(), r.outputRecordsPerSecond(), r.passthroughEventsPerSecond(),
                    r.ratioToPassthrough(), r.latencyRunRate(), t.windowedOutput() ? "n/a (windowed output)" : percentiles(r.pipelineLatency()),
                    percentiles(r.passthroughLatency()), t.seedRate(), t.unit(), goal,
                    r.meetsTarget() ? "yes" : "no: " + String.format("%,.0f %s", r.targetedRate(), t.unit())
                            + t.p99TargetMs().map(ms -> r.pipelineLatency().records() == 0 ? ", p99 n/a"
                                    : String.format(", p99 %d ms", r.pipelineLatency().p99Ms())).orElse(""),
                    repeated.runs().size(), repeated.spread(BenchResult::targetedRate), repeated.spread(x -> x.pipelineLatency().p99Ms())));
        }
        return out.toString();
    }

    // A pipeline whose outputs wait for a window to close emits nothing within a short latency run.
    private static String percentiles(OutputLatency.Result latency) {
        return latency.records() == 0 ? "n/a (no output in run)" : String.format("%d / %d", latency.p50Ms(), latency.p99Ms());
    }

    /** Replaces the results section of bench/README.md with this run's table and where it ran. */
    public static void updateReadme(Run run, Path readme) throws IOException {
        String text = Files.exists(readme) ? Files.readString(readme) : START + "\n" + END + "\n";
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        if (start < 0 || end < start) {
            text = text + "\n" + START + "\n" + END + "\n";
            start = text.indexOf(START);
            end = text.indexOf(END);
        }
        MachineInfo m = run.machine();
        String section = START + "\n" + String.format("Run %s on %s (%d cores, %s, %d MB heap), commit %s, broker: %s.%n%n",
                run.at(), m.os(), m.cores(), m.jvm(), m.maxHeapMb(), m.gitCommit(), run.broker()) + table(run) + END;
        Files.writeString(readme, text.substring(0, start) + section + text.substring(end + END.length()));
    }
}
