package io.millrace.topology.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeaturesTest {

    private static final long T = 1_772_445_600_000L;

    @Test
    void runningStatsMatchTheTwoPassMeanAndSampleDeviation() {
        double[] amounts = {1_250, 3_999, 2_500, 18_000, 7_425, 640};
        RunningStats stats = RunningStats.EMPTY;
        for (double a : amounts) {
            stats = stats.add(a);
        }
        double mean = 0;
        for (double a : amounts) {
            mean += a / amounts.length;
        }
        double squares = 0;
        for (double a : amounts) {
            squares += (a - mean) * (a - mean);
        }

        assertThat(stats.count()).isEqualTo(6);
        assertThat(stats.mean()).isCloseTo(mean, within(1e-9));
        assertThat(stats.standardDeviation()).isCloseTo(Math.sqrt(squares / 5), within(1e-9));
    }

    @Test
    void mergingRunningStatsEqualsAddingEveryValueToOne() {
        RunningStats left = RunningStats.EMPTY.add(10).add(20).add(30);
        RunningStats right = RunningStats.EMPTY.add(1_000).add(2_000);
        RunningStats all = RunningStats.EMPTY.add(10).add(20).add(30).add(1_000).add(2_000);

        RunningStats merged = left.merge(right);

        assertThat(merged.count()).isEqualTo(all.count());
        assertThat(merged.mean()).isCloseTo(all.mean(), within(1e-9));
        assertThat(merged.sumSquaredDeviations()).isCloseTo(all.sumSquaredDeviations(), within(1e-6));
    }

    @Test
    void zScoreOfACardThatAlwaysSpendsTheSameIsMeasuredAgainstAQuarterOfItsMean() {
        RunningStats same = RunningStats.EMPTY.add(4_000).add(4_000).add(4_000);

        assertThat(same.zScore(5_000)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void velocityCountsAttemptsPerWindowIncludingTheOneBeingDecided() {
        Velocity velocity = Velocity.empty()
                .record(T - Velocity.DAY_MS - 1, 9_999)
                .record(T - 2 * Velocity.HOUR_MS, 5_000)
                .record(T - 10 * Velocity.MINUTE_MS, 2_000)
                .record(T - 30_000, 300);

        Velocity.Windows windows = velocity.withAttempt(T, 100);

        assertThat(windows).as("older than a day does not count").isEqualTo(new Velocity.Windows(2, 400, 3, 2_400, 4, 7_400));
        assertThat(velocity.record(T, 100).attempts()).as("and is forgotten once a day has passed since")
                .extracting(Velocity.Attempts::at).containsExactly(T - 2 * Velocity.HOUR_MS, T - 10 * Velocity.MINUTE_MS, T - 30_000, T);
    }

    @Test
    void velocityKeepsABurstWithinItsBucketLimitWithoutLosingCount() {
        Velocity velocity = Velocity.empty();
        for (int i = 0; i < Velocity.MAX_BUCKETS + 40; i++) {
            velocity = velocity.record(T + i * 100L, 10);
        }

        Velocity.Windows windows = velocity.withAttempt(T + 20_000, 10);

        assertThat(velocity.attempts()).hasSize(Velocity.MAX_BUCKETS);
        assertThat(windows.count1m()).isEqualTo(Velocity.MAX_BUCKETS + 41);
        assertThat(windows.amount24h()).isEqualTo(10L * (Velocity.MAX_BUCKETS + 41));
    }

    @Test
    void velocityOrdersALateAttemptByItsTime() {
        Velocity velocity = Velocity.empty().record(T, 1).record(T - 5_000, 2);

        assertThat(velocity.attempts()).extracting(Velocity.Attempts::at).containsExactly(T - 5_000, T);
    }

    @Test
    void haversineDistanceAndTravelSpeedBetweenNewYorkAndLondon() {
        double km = Geo.haversineKm(40.7128, -74.0060, 51.5074, -0.1278);

        assertThat(km).isCloseTo(5_570, within(10.0));
        assertThat(Geo.travelSpeedKmh(40.7128, -74.0060, T, 51.5074, -0.1278, T + 7 * Velocity.HOUR_MS))
                .as("a seven-hour flight").isCloseTo(796, within(2.0));
        assertThat(Geo.travelSpeedKmh(40.7128, -74.0060, T, 40.7306, -73.9352, T + 1_000)).as("across Manhattan").isZero();
        assertThat(Geo.travelSpeedKmh(40.7128, -74.0060, T, 42.3601, -71.0589, T)).as("Boston at the same second")
                .isCloseTo(306 * 60, within(60.0));
    }

    @Test
    void cardHistoryComparesAFreshCardWithATypicalOneAndLearnsFromApprovalsOnly() {
        CardHistory history = CardHistory.of("token", null);
        CardHistory.Purchase coffee = new CardHistory.Purchase("m-cafe", "US", 450, 40.7, -74.0, T);
        CardHistory.Purchase laptop = new CardHistory.Purchase("m-electronics", "US", 250_000, 40.7, -74.0, T + 60_000);

        assertThat(history.features(laptop, 0, "US").amountZScore()).as("2,500.00 against a typical card").isGreaterThan(20);
        history.recordAttempt(coffee);
        history.recordApproval(coffee);
        history.recordAttempt(laptop);

        FraudFeatures next = history.features(new CardHistory.Purchase("m-cafe", "FR", 500, 48.85, 2.35, T + 90_000), 0.2, "US");
        assertThat(next.history()).isEqualTo(1);
        assertThat(next.velocity().count1m()).isEqualTo(2);
        assertThat(next.newMerchant()).isFalse();
        assertThat(next.newCountry()).isTrue();
        assertThat(next.travelSpeedKmh()).isGreaterThan(100_000);
        assertThat(next.merchantRisk()).isEqualTo(0.2);
        assertThat(CardHistory.of("token", history.toProfile()).features(laptop, 0, "US")).isEqualTo(history.features(laptop, 0, "US"));
    }

    @Test
    void cardHistoryKeepsTheTenMostRecentDecisionsNewestFirst() {
        CardHistory history = CardHistory.of("token", null);
        for (int i = 0; i < 12; i++) {
            history.recordDecision(new io.millrace.schemas.fraud.DecisionSummary("tx-" + i, io.millrace.schemas.fraud.Decision.APPROVE,
                    List.of(), 0.0, 100L, "USD", "m", "US", T + i));
        }

        assertThat(history.toProfile().getRecentDecisions()).hasSize(CardHistory.MAX_RECENT_DECISIONS)
                .first().satisfies(d -> assertThat(d.getTransactionId()).isEqualTo("tx-11"));
    }
}
