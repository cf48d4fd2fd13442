package io.millrace.topology.fraud;

/**
 * Running mean and deviation of a card's approved amounts (Welford's online algorithm: one pass, no
 * history kept, numerically stable). Immutable: {@link #add} returns the next state.
 */
public record RunningStats(long count, double mean, double sumSquaredDeviations) {

    public static final RunningStats EMPTY = new RunningStats(0, 0, 0);

    public RunningStats add(double x) {
        long n = count + 1;
        double delta = x - mean;
        double nextMean = mean + delta / n;
        return new RunningStats(n, nextMean, sumSquaredDeviations + delta * (x - nextMean));
    }

    /** Both sets of values as one (Chan et al.'s parallel combination of Welford states). */
    public RunningStats merge(RunningStats other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        return new RunningStats(n, mean + delta * other.count / n,
                sumSquaredDeviations + other.sumSquaredDeviations + delta * delta * count * other.count / n);
    }

    /** Sample standard deviation; 0 with fewer than two values. */
    public double standardDeviation() {
        return count < 2 ? 0 : Math.sqrt(sumSquaredDeviations / (count - 1));
    }

    /**
     * How many deviations {@code x} lies above the mean. The deviation is floored at a quarter of the mean, so
     * that a card that always spends the same amount is not flagged for a slightly larger one.
     */
    public double zScore(double x) {
        if (count == 0) {
            return 0;
        }
        double deviation = Math.max(standardDeviation(), Math.abs(mean) * 0.25);
        return deviation == 0 ? 0 : (x - mean) / deviation;
    }
}
