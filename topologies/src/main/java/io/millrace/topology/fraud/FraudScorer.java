package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.Decision;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides an authorization: hard rules first (unknown or blocked card, not enough credit), then a fraud score
 * that combines the signals that fired as independent evidence (1 - product of (1 - weight)), compared with
 * the review and decline thresholds. The reasons say which rules and signals made the decision.
 */
public final class FraudScorer {

    /** Reason codes, as they appear in decisions and statistics. */
    public static final String CARD_UNKNOWN = "CARD_UNKNOWN";
    public static final String CARD_BLOCKED = "CARD_BLOCKED";
    public static final String INSUFFICIENT_CREDIT = "INSUFFICIENT_CREDIT";
    public static final String VELOCITY_1M = "VELOCITY_1M";
    public static final String VELOCITY_1H = "VELOCITY_1H";
    public static final String VELOCITY_24H = "VELOCITY_24H";
    public static final String SMALL_AMOUNT_BURST = "SMALL_AMOUNT_BURST";
    public static final String AMOUNT_ANOMALY = "AMOUNT_ANOMALY";
    public static final String IMPOSSIBLE_TRAVEL = "IMPOSSIBLE_TRAVEL";
    public static final String NEW_COUNTRY = "NEW_COUNTRY";
    public static final String NEW_MERCHANT = "NEW_MERCHANT";
    public static final String MERCHANT_RISK = "MERCHANT_RISK";

    /** The card's standing with the issuer when the request arrives. */
    public record Standing(boolean known, boolean blocked, long availableCredit) {

        public static final Standing UNKNOWN = new Standing(false, false, 0);
    }

    /** A decision with its fraud score and its reasons (empty for an approval). */
    public record Verdict(Decision decision, double score, List<String> reasons) {

        public Verdict {
            reasons = List.copyOf(reasons);
        }
    }

    // Scores are products of weights: 0.8 may come out as 0.7999999999999999.
    private static final double TOLERANCE = 1e-9;

    private final ScoringThresholds thresholds;

    public FraudScorer(ScoringThresholds thresholds) {
        this.thresholds = thresholds;
    }

    public Verdict decide(FraudFeatures features, Standing standing, long amount) {
        List<String> signals = new ArrayList<>();
        double score = score(features, signals);
        List<String> rules = new ArrayList<>();
        if (!standing.known()) {
            rules.add(CARD_UNKNOWN);
        } else if (standing.blocked()) {
            rules.add(CARD_BLOCKED);
        } else if (amount > standing.availableCredit()) {
            rules.add(INSUFFICIENT_CREDIT);
        }
        boolean review = score + TOLERANCE >= thresholds.reviewScore();
        if (!rules.isEmpty() || score + TOLERANCE >= thresholds.declineScore()) {
            rules.addAll(review ? signals : List.of());
            return new Verdict(Decision.DECLINE, score, rules);
        }
        if (review) {
            return new Verdict(Decision.REVIEW, score, signals);
        }
        return new Verdict(Decision.APPROVE, score, List.of());
    }

    /** The fraud score in [0, 1], adding the signals that fired to {@code signals}. */
    double score(FraudFeatures f, List<String> signals) {
        double clean = 1.0;
        Velocity.Windows v = f.velocity();
        if (v.count1m() > thresholds.maxAttemptsPerMinute()) {
            clean *= 1 - Math.min(90, 70 + 5 * (v.count1m() - thresholds.maxAttemptsPerMinute() - 1)) / 100.0;
            signals.add(VELOCITY_1M);
        }
        if (v.count1h() > thresholds.maxAttemptsPerHour()) {
            clean *= 1 - 0.4;
            signals.add(VELOCITY_1H);
        }
        if (v.count24h() > thresholds.maxAttemptsPerDay()) {
            clean *= 1 - 0.3;
            signals.add(VELOCITY_24H);
        }
        if (v.count1m() >= thresholds.burstAttempts() && v.amount1m() <= thresholds.burstMaxAverageAmount() * v.count1m()) {
            clean *= 1 - 0.6;
            signals.add(SMALL_AMOUNT_BURST);
        }
        if (f.amountZScore() >= thresholds.amountZScore()) {
            clean *= 1 - Math.min(0.9, 0.5 + 0.04 * (f.amountZScore() - thresholds.amountZScore()));
            signals.add(AMOUNT_ANOMALY);
        }
        if (f.travelSpeedKmh() > thresholds.impossibleTravelKmh()) {
            clean *= 1 - 0.75;
            signals.add(IMPOSSIBLE_TRAVEL);
        }
        if (f.newCountry()) {
            clean *= 1 - 0.25;
            signals.add(NEW_COUNTRY);
        }
        if (f.newMerchant() && f.history() >= thresholds.minHistory()) {
            clean *= 1 - 0.1;
            signals.add(NEW_MERCHANT);
        }
        if (f.merchantRisk() >= thresholds.riskyMerchantScore()) {
            clean *= 1 - 0.7 * Math.min(1, f.merchantRisk());
            signals.add(MERCHANT_RISK);
        }
        return 1 - clean;
    }
}
