package io.millrace.topology.latency;

import io.millrace.schemas.latency.AlertState;
import io.millrace.schemas.latency.SloDefinition;
import io.millrace.topology.runtime.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Service-level objectives: what a valid one is, whether a window breaches it, and when an alert changes
 * state. Alerts are edge-triggered: FIRING once when breaching starts, RESOLVED once when it stops.
 */
public final class SloPolicy {

    public static final String INVALID_SLO = "INVALID_SLO";
    public static final String KEY_MISMATCH = Violation.KEY_MISMATCH;

    private SloPolicy() {
    }

    /** An objective: p99 at most this many microseconds and error rate at most this share, judged on this window. */
    public record Objective(long p99ThresholdMicros, double errorRateThreshold, WindowSize window) {
    }

    /** Whether a window breached its objective, and in words why (or why not). */
    public record Judgement(boolean breached, String reason) {
    }

    /** The key of an objective in the SLO topic and of its alert: the service, or service|endpoint. */
    public static String key(String service, String endpoint) {
        return endpoint == null ? SeriesKey.service(service).key() : SeriesKey.endpoint(service, endpoint).key();
    }

    /** Everything wrong with a requested objective; empty when it can be stored. */
    public static List<String> problems(String service, String endpoint, Long p99ThresholdMicros, Double errorRateThreshold,
                                        String window) {
        List<String> problems = new ArrayList<>();
        LatencySampleRules.nameProblem("service", service).ifPresent(problems::add);
        if (endpoint != null) {
            LatencySampleRules.labelProblem("endpoint", endpoint).ifPresent(problems::add);
        }
        if (p99ThresholdMicros == null || p99ThresholdMicros <= 0 || p99ThresholdMicros > LatencySampleRules.MAX_DURATION_MICROS) {
            problems.add("p99ThresholdMicros must be between 1 and " + LatencySampleRules.MAX_DURATION_MICROS);
        }
        if (errorRateThreshold == null || !(errorRateThreshold >= 0 && errorRateThreshold <= 1)) {
            problems.add("errorRateThreshold must be between 0 and 1");
        }
        if (window != null && WindowSize.parse(window).isEmpty()) {
            problems.add("window must be 1m or 5m");
        }
        return problems;
    }

    /**
     * Why an SLO update read from the SLO topic cannot be applied: its value breaks a rule, or its key is not the key
     * its service and endpoint give (the table would hold it under a key no alert uses).
     */
    public static Optional<Violation> check(String key, SloDefinition slo) {
        List<String> problems = problems(slo.getService(), slo.getEndpoint(), slo.getP99ThresholdMicros(),
                slo.getErrorRateThreshold(), slo.getWindow());
        if (!problems.isEmpty()) {
            return Violation.of(INVALID_SLO, String.join("; ", problems));
        }
        String expected = key(slo.getService(), slo.getEndpoint());
        if (!expected.equals(key)) {
            return Violation.of(KEY_MISMATCH, "an SLO of " + expected + " must be keyed by it");
        }
        return Optional.empty();
    }

    public static Judgement judge(Objective objective, LatencyFigures figures) {
        boolean slow = figures.p99Micros() > objective.p99ThresholdMicros();
        boolean failing = figures.errorRate() > objective.errorRateThreshold();
        String p99 = String.format(Locale.ROOT, "p99 %s %s %s", millis(figures.p99Micros()), slow ? ">" : "<=",
                millis(objective.p99ThresholdMicros()));
        String errors = String.format(Locale.ROOT, "error rate %.2f%% %s %.2f%%", figures.errorRate() * 100, failing ? ">" : "<=",
                objective.errorRateThreshold() * 100);
        return new Judgement(figures.count() > 0 && (slow || failing), p99 + ", " + errors + " over " + figures.count()
                + " requests in " + objective.window().label());
    }

    /** The alert to emit, if any, given whether the alert is firing now and whether the latest window breached. */
    public static Optional<AlertState> transition(boolean firing, boolean breached) {
        if (breached && !firing) {
            return Optional.of(AlertState.FIRING);
        }
        if (!breached && firing) {
            return Optional.of(AlertState.RESOLVED);
        }
        return Optional.empty();
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }
}
