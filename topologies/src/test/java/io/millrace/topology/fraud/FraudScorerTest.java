package io.millrace.topology.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.schemas.fraud.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

class FraudScorerTest {

    private static final FraudScorer.Standing GOOD_STANDING = new FraudScorer.Standing(true, false, 500_000);
    private final FraudScorer scorer = new FraudScorer(ScoringThresholds.defaults());

    private static FraudFeatures usual() {
        return new FraudFeatures(new Velocity.Windows(1, 3_000, 2, 7_000, 4, 15_000), 0.3, 40, false, false, 0, 0.05);
    }

    private static FraudFeatures with(Velocity.Windows velocity) {
        FraudFeatures f = usual();
        return new FraudFeatures(velocity, f.amountZScore(), f.history(), f.newMerchant(), f.newCountry(), f.travelSpeedKmh(), f.merchantRisk());
    }

    @Test
    void approvesAnOrdinaryPurchaseWithNoReasons() {
        FraudScorer.Verdict verdict = scorer.decide(usual(), GOOD_STANDING, 3_000);

        assertThat(verdict.decision()).isEqualTo(Decision.APPROVE);
        assertThat(verdict.reasons()).isEmpty();
        assertThat(verdict.score()).isZero();
    }

    @Test
    void declinesWhenVelocityExceedsTheLimitAndAnotherSignalAgrees() {
        FraudFeatures burst = new FraudFeatures(new Velocity.Windows(6, 900, 6, 900, 6, 900), 0.1, 40, true, false, 0, 0.6);

        FraudScorer.Verdict verdict = scorer.decide(burst, GOOD_STANDING, 150);

        assertThat(verdict.decision()).isEqualTo(Decision.DECLINE);
        assertThat(verdict.reasons()).containsExactly(FraudScorer.VELOCITY_1M, FraudScorer.SMALL_AMOUNT_BURST, FraudScorer.NEW_MERCHANT,
                FraudScorer.MERCHANT_RISK);
    }

    @Test
    void reviewsABurstOfSmallAmountsFromItsThirdAttempt() {
        FraudScorer.Verdict second = scorer.decide(with(new Velocity.Windows(2, 300, 2, 300, 2, 300)), GOOD_STANDING, 150);
        FraudScorer.Verdict third = scorer.decide(with(new Velocity.Windows(3, 450, 3, 450, 3, 450)), GOOD_STANDING, 150);
        FraudScorer.Verdict threeMeals = scorer.decide(with(new Velocity.Windows(3, 9_000, 3, 9_000, 3, 9_000)), GOOD_STANDING, 3_000);

        assertThat(second.decision()).isEqualTo(Decision.APPROVE);
        assertThat(third.decision()).isEqualTo(Decision.REVIEW);
        assertThat(third.reasons()).containsExactly(FraudScorer.SMALL_AMOUNT_BURST);
        assertThat(threeMeals.decision()).as("three ordinary purchases in a minute are no burst").isEqualTo(Decision.APPROVE);
    }

    @Test
    void reviewsHighVelocityAloneAndDeclinesItAsItGoesOn() {
        assertThat(scorer.decide(with(new Velocity.Windows(6, 30_000, 6, 30_000, 6, 30_000)), GOOD_STANDING, 5_000).decision())
                .isEqualTo(Decision.REVIEW);
        assertThat(scorer.decide(with(new Velocity.Windows(8, 40_000, 8, 40_000, 8, 40_000)), GOOD_STANDING, 5_000).decision())
                .isEqualTo(Decision.DECLINE);
        FraudScorer.Verdict hourly = scorer.decide(with(new Velocity.Windows(2, 9_000, 21, 90_000, 21, 90_000)), GOOD_STANDING, 5_000);
        assertThat(hourly.score()).as("21 an hour is a signal too, below the review score").isEqualTo(0.4);
        assertThat(hourly.decision()).isEqualTo(Decision.APPROVE);
    }

    @Test
    void combinesSignalsAsIndependentEvidence() {
        FraudFeatures travel = new FraudFeatures(usual().velocity(), 0.3, 40, false, true, 5_000, 0);

        FraudScorer.Verdict verdict = scorer.decide(travel, GOOD_STANDING, 3_000);

        assertThat(verdict.score()).isEqualTo(1 - (1 - 0.75) * (1 - 0.25));
        assertThat(verdict.decision()).isEqualTo(Decision.DECLINE);
        assertThat(verdict.reasons()).containsExactly(FraudScorer.IMPOSSIBLE_TRAVEL, FraudScorer.NEW_COUNTRY);
    }

    @Test
    void newMerchantCountsOnlyForACardWithHistory() {
        FraudFeatures fresh = new FraudFeatures(usual().velocity(), 0.3, 0, true, false, 0, 0);

        assertThat(scorer.decide(fresh, GOOD_STANDING, 3_000).score()).isZero();
    }

    @Test
    void hardRulesDeclineWhateverTheScore() {
        assertThat(scorer.decide(usual(), FraudScorer.Standing.UNKNOWN, 3_000).reasons()).containsExactly(FraudScorer.CARD_UNKNOWN);
        assertThat(scorer.decide(usual(), new FraudScorer.Standing(true, true, 500_000), 3_000).reasons())
                .containsExactly(FraudScorer.CARD_BLOCKED);
        assertThat(scorer.decide(usual(), new FraudScorer.Standing(true, false, 2_999), 3_000).reasons())
                .containsExactly(FraudScorer.INSUFFICIENT_CREDIT);
        FraudFeatures risky = new FraudFeatures(usual().velocity(), 9, 40, false, false, 0, 0);
        assertThat(scorer.decide(risky, new FraudScorer.Standing(true, false, 0), 3_000).reasons())
                .containsExactly(FraudScorer.INSUFFICIENT_CREDIT, FraudScorer.AMOUNT_ANOMALY);
    }

    @Test
    void thresholdsAreConfigurable() {
        FraudScorer strict = new FraudScorer(ScoringThresholds.defaults().withScores(0.2, 0.3));
        FraudFeatures newCountry = new FraudFeatures(usual().velocity(), 0.3, 40, false, true, 0, 0);

        assertThat(scorer.decide(newCountry, GOOD_STANDING, 3_000).decision()).isEqualTo(Decision.APPROVE);
        assertThat(strict.decide(newCountry, GOOD_STANDING, 3_000).decision()).isEqualTo(Decision.REVIEW);
        assertThat(strict.decide(newCountry, GOOD_STANDING, 3_000).reasons()).isEqualTo(List.of(FraudScorer.NEW_COUNTRY));
        assertThatThrownBy(() -> ScoringThresholds.defaults().withScores(0.9, 0.8)).isInstanceOf(IllegalArgumentException.class);
    }
}
