package io.millrace.topology.recommendations;

import java.time.Duration;

/**
 * Exponentially decayed scores kept in log space: an event of weight w at time t adds w·2^(t/halfLife), and a score is the
 * natural log of the sum. Decaying every score by the same factor changes no order, so two scores compare as they are,
 * at any time, and nothing stored is rewritten as time passes; the value at a time {@code now} is
 * {@code exp(logScore − now·ln2/halfLife)}.
 */
final class LogScore {

    static final double NONE = Double.NEGATIVE_INFINITY;
    private static final double LN2 = Math.log(2);

    private LogScore() {
    }

    /** The log score of one event of {@code weight} at {@code at} (epoch millis). */
    static double of(double weight, long at, Duration halfLife) {
        return Math.log(weight) + at * LN2 / halfLife.toMillis();
    }

    /** The log of the sum of two scores given as logs. */
    static double add(double a, double b) {
        if (a == NONE) {
            return b;
        }
        if (b == NONE) {
            return a;
        }
        double high = Math.max(a, b);
        return high + Math.log1p(Math.exp(Math.min(a, b) - high));
    }

    /** The decayed score at {@code now}. */
    static double valueAt(double logScore, long now, Duration halfLife) {
        return Math.exp(logScore - now * LN2 / halfLife.toMillis());
    }
}
