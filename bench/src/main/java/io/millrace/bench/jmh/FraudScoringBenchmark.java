package io.millrace.bench.jmh;

import io.millrace.topology.fraud.CardHistory;
import io.millrace.topology.fraud.FraudFeatures;
import io.millrace.topology.fraud.FraudScorer;
import io.millrace.topology.fraud.ScoringThresholds;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One authorization's hot path in the card desk: features from the card's history, then the scorer's verdict. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FraudScoringBenchmark {

    private static final long NOW = 1_764_000_000_000L;

    private CardHistory history;
    private FraudScorer scorer;
    private CardHistory.Purchase purchase;
    private final FraudScorer.Standing standing = new FraudScorer.Standing(true, false, 500_000);

    @Setup
    public void setUp() {
        history = CardHistory.of("tok_bench", null);
        for (int i = 0; i < 40; i++) {
            CardHistory.Purchase past = new CardHistory.Purchase("merchant-" + (i % 7), "DE", 2_000 + i * 137L, 52.52, 13.40,
                    NOW - (40 - i) * 3_600_000L);
            history.recordAttempt(past);
            history.recordApproval(past);
        }
        scorer = new FraudScorer(ScoringThresholds.defaults());
        purchase = new CardHistory.Purchase("merchant-3", "DE", 4_250, 48.14, 11.58, NOW);
    }

    @Benchmark
    public FraudScorer.Verdict featuresAndVerdict() {
        FraudFeatures features = history.features(purchase, 0.2, "DE");
        return scorer.decide(features, standing, purchase.amount());
    }
}
