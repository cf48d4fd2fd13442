package io.millrace.topology.fraud;

/**
 * The tunable part of fraud scoring: when a signal fires and what score turns an approval into a review
 * or a decline. Velocity limits count attempts including the one being decided; a burst of small amounts is how
 * stolen card numbers are tested before they are used.
 */
public record ScoringThresholds(
        double reviewScore,
        double declineScore,
        int maxAttemptsPerMinute,
        int maxAttemptsPerHour,
        int maxAttemptsPerDay,
        int burstAttempts,
        long burstMaxAverageAmount,
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
        if (burstAttempts < 2 || burstMaxAverageAmount <= 0) {
            throw new IllegalArgumentException("A burst is at least 2 attempts of a positive average amount");
        }
        if (amountZScore <= 0 || impossibleTravelKmh <= 0 || riskyMerchantScore <= 0 || riskyMerchantScore > 1 || minHistory < 0) {
            throw new IllegalArgumentException("Amount z-score, travel speed and merchant risk thresholds must be positive");
        }
    }

    /**
     * Review at 0.5, decline at 0.8; 5 attempts a minute, 20 an hour, 60 a day; a burst is 3 attempts in a minute
     * averaging at most 10.00; 4 deviations; 900 km/h; merchant risk 0.5.
     */
    public static ScoringThresholds defaults() {
        return new ScoringThresholds(0.5, 0.8, 5, 20, 60, 3, 1_000, 4.0, 900.0, 0.5, 3);
    }

    public ScoringThresholds withScores(double review, double decline) {
        return new ScoringThresholds(review, decline, maxAttemptsPerMinute, maxAttemptsPerHour, maxAttemptsPerDay, burstAttempts,
                burstMaxAverageAmount, amountZScore, impossibleTravelKmh, riskyMerchantScore, minHistory);
    }
}
