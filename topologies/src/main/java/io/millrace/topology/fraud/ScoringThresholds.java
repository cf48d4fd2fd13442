package io.millrace.topology.fraud;

/**
 * The tunable part of fraud scoring: when a signal fires and what score turns an approval into a review
 * or a decline. Velocity limits count attempts including the one being decided.
 */
public record ScoringThresholds(
        double reviewScore,
        double declineScore,
        int maxAttemptsPerMinute,
        int maxAttemptsPerHour,
        int maxAttemptsPerDay,
        double amountZScore,
        double impossibleTravelKmh,
        double riskyMerchantScore,
        int minHistory) {

    public ScoringThresholds {
        if (!(reviewScore > 0 && reviewScore < declineScore && declineScore <= 1)) {
            throw new IllegalArgumentException("Scores must satisfy 0 < review (" + reviewScore + ") < decline (" + declineScore + ") <= 1");
        }
        if (maxAttemptsPerMinute < 1 || maxAttemptsPerHour < maxAttemptsPerMinute || maxAttemptsPerDay < maxAttemptsPerHour) {
            throw new IllegalArgumentException("Velocity limits must grow with the window: " + maxAttemptsPerMinute + "/min, "
                    + maxAttemptsPerHour + "/h, " + maxAttemptsPerDay + "/day");
        }
        if (amountZScore <= 0 || impossibleTravelKmh <= 0 || riskyMerchantScore <= 0 || riskyMerchantScore > 1 || minHistory < 0) {
            throw new IllegalArgumentException("Amount z-score, travel speed and merchant risk thresholds must be positive");
        }
    }

    /** Review at 0.5, decline at 0.8; 5 attempts a minute, 20 an hour, 60 a day; 4 deviations; 900 km/h; merchant risk 0.5. */
    public static ScoringThresholds defaults() {
        return new ScoringThresholds(0.5, 0.8, 5, 20, 60, 4.0, 900.0, 0.5, 3);
    }

    public ScoringThresholds withScores(double review, double decline) {
        return new ScoringThresholds(review, decline, maxAttemptsPerMinute, maxAttemptsPerHour, maxAttemptsPerDay, amountZScore,
                impossibleTravelKmh, riskyMerchantScore, minHistory);
    }
}
