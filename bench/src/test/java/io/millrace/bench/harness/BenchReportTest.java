package io.millrace.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.bench.measure.OutputLatency;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    @TempDir
    Path dir;

    /** Fraud's case study: 21,000 decisions/s at peak, p99 under 50 ms. */
    static final Target FRAUD = new Target("fraud", "decisions/s", Target.Side.OUTPUT, 6_944, 21_000, 6_944, Optional.of(50.0), false);

    private static BenchResult fraud(double decisionsPerSecond, long p99Ms) {
        OutputLatency.Result latency = new OutputLatency.Result("fraud.decisions", 60_000, 6_944, 12, 20, p99Ms, p99Ms, p99Ms);
        OutputLatency.Result passthrough = new OutputLatency.Result("bench.out", 60_000, 6_944, 3, 5, 9, 12, 15);
        return BenchResult.of("fraud", 200_000, 6, 150_000, 40_000, decisionsPerSecond, 100_000, 6_944, passthrough, latency, FRAUD);
    }

    @Test
    void tableShowsRatesRatioLatencyAndWhichTargetWasMissed() {
        String table = BenchReport.table(BenchReport.Run.now(MachineInfo.current(), "embedded", List.of(Repeated.once(fraud(12_500, 480)))));

        assertThat(table).contains("| fraud | 40,000 | 12,500 | 150,000 | 0.27 | 6,944 | 12 / 480 | 3 / 9 | 6,944 decisions/s |")
                .contains("no: 12,500 decisions/s, p99 480 ms");
    }

    @Test
    void threeRunsReportTheMedianRunAndTheSpreadSoOneRunCannotMakeTheFigure() {
        Repeated runs = new Repeated("fraud", List.of(fraud(12_500, 480), fraud(30_000, 35), fraud(22_000, 45)));

        BenchResult median = runs.median();
        assertThat(median.outputRecordsPerSecond()).isEqualTo(22_000);
        assertThat(median.pipelineLatency().p99Ms()).isEqualTo(45);
        assertThat(median.meetsTarget()).as("22,000/s at p99 45 ms meets 21,000/s, p99 < 50 ms").isTrue();
        assertThat(BenchReport.table(BenchReport.Run.now(MachineInfo.current(), "embedded", List.of(runs))))
                .contains("| 40,000 | 22,000 | 150,000 | 0.27 |").contains("| 12 / 45 |").contains("| yes | 3: 12,500–30,000; 35–480 |");
        assertThat(new Repeated("fraud", List.of(fraud(10_000, 480), fraud(20_000, 35))).median().outputRecordsPerSecond())
                .as("an even count: the mean of the middle two").isEqualTo(15_000);
    }

    @Test
    void meetingEveryTargetSaysYes() {
        String table = BenchReport.table(BenchReport.Run.now(MachineInfo.current(), "embedded", List.of(Repeated.once(fraud(25_000, 40)))));

        assertThat(table).contains("| yes |");
    }

    @Test
    void aTargetIsMetOnlyByItsRateOnItsSideAndWithinItsP99() {
        assertThat(fraud(21_000, 50).meetsTarget()).isTrue();
        assertThat(fraud(20_999, 40).meetsTarget()).as("decisions, the output side, below the peak").isFalse();
        assertThat(fraud(25_000, 51).meetsTarget()).as("p99 over 50 ms").isFalse();
        Target latency = new Target("latency", "samples/s", Target.Side.INPUT, 10_000, 100_000, 10_000, Optional.empty(), true);
        assertThat(latency.metBy(100_000, 0, 9_999)).as("input side, no p99 limit").isTrue();
        assertThat(latency.metBy(99_000, 500_000, 1)).isFalse();
    }

    @Test
    void readmeKeepsItsTextAndReplacesOnlyTheResultsSection() throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# Benchmarks\nmethod\n<!-- results:start -->\nold table\n<!-- results:end -->\nafter\n");

        BenchReport.updateReadme(BenchReport.Run.now(MachineInfo.current(), "embedded single-node KRaft", List.of(Repeated.once(fraud(12_500, 480)))), readme);

        String text = Files.readString(readme);
        assertThat(text).startsWith("# Benchmarks\nmethod\n<!-- results:start -->\nRun ").endsWith("<!-- results:end -->\nafter\n")
                .doesNotContain("old table").contains("| fraud |").contains("broker: embedded single-node KRaft");
    }

    @Test
    void jsonResultIsWrittenPerRunWithMachineInfo() throws Exception {
        Path file = BenchReport.writeJson(BenchReport.Run.now(MachineInfo.current(), "embedded", List.of(Repeated.once(fraud(12_500, 480)))), dir);

        assertThat(file.getFileName().toString()).endsWith("-fraud.json");
        assertThat(Files.readString(file)).contains("\"cores\"").contains("\"ratioToPassthrough\"").contains("\"p99Ms\" : 480");
    }
}
