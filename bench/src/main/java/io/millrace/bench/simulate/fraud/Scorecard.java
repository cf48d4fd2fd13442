package io.millrace.bench.simulate.fraud;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How well decisions matched the simulator's ground truth. A decision "flags fraud" when it is a review or a
 * decline with at least one fraud reason; a decline for credit, a blocked or an unknown card alone does not.
 */
public final class Scorecard {

    static final Set<String> NOT_FRAUD_REASONS = Set.of("INSUFFICIENT_CREDIT", "CARD_BLOCKED", "CARD_UNKNOWN");

    private long truePositives;
    private long falsePositives;
    private long falseNegatives;
    private long trueNegatives;
    private final Map<String, long[]> byPattern = new TreeMap<>();
    private final Map<String, Long> decisions = new TreeMap<>();
    private final Map<String, Long> falsePositiveReasons = new TreeMap<>();

    /** Adds one labelled transaction and its decision; {@code pattern} is null for legitimate traffic. */
    public void add(boolean fraud, String pattern, String decision, List<String> reasons) {
        boolean flagged = flagsFraud(decision, reasons);
        decisions.merge(decision, 1L, Long::sum);
        if (fraud) {
            long[] caught = byPattern.computeIfAbsent(pattern == null ? "unspecified" : pattern, p -> new long[2]);
            caught[0]++;
            if (flagged) {
                caught[1]++;
                truePositives++;
            } else {
                falseNegatives++;
            }
        } else if (flagged) {
            falsePositives++;
            reasons.forEach(reason -> falsePositiveReasons.merge(reason, 1L, Long::sum));
        } else {
            trueNegatives++;
        }
    }

    static boolean flagsFraud(String decision, List<String> reasons) {
        return !"APPROVE".equals(decision) && reasons.stream().anyMatch(r -> !NOT_FRAUD_REASONS.contains(r));
    }

    public double precision() {
        return truePositives + falsePositives == 0 ? 0 : (double) truePositives / (truePositives + falsePositives);
    }

    public double recall() {
        return truePositives + falseNegatives == 0 ? 0 : (double) truePositives / (truePositives + falseNegatives);
    }

    public long labelled() {
        return truePositives + falsePositives + falseNegatives + trueNegatives;
    }

    public String summary() {
        StringBuilder out = new StringBuilder(String.format("%,d labelled transactions decided: %s%n", labelled(), decisions));
        out.append(String.format("fraud flagged (REVIEW/DECLINE with a fraud reason): precision %.3f, recall %.3f "
                + "(TP %,d, FP %,d, FN %,d, TN %,d)%n", precision(), recall(), truePositives, falsePositives, falseNegatives, trueNegatives));
        byPattern.forEach((pattern, caught) -> out.append(String.format("  %-18s recall %.3f (%,d of %,d)%n", pattern,
                caught[0] == 0 ? 0 : (double) caught[1] / caught[0], caught[1], caught[0])));
        out.append(String.format("reasons given on legitimate transactions flagged: %s%n", falsePositiveReasons));
        return out.toString();
    }
}
