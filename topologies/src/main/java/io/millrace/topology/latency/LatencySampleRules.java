package io.millrace.topology.latency;

import io.millrace.schemas.latency.LatencySample;
import io.millrace.topology.runtime.Identifiers;
import io.millrace.topology.runtime.Violation;
import java.util.Optional;

/** What a latency sample must satisfy to be aggregated; anything else is rejected with a reason. */
public final class LatencySampleRules {

    /** One hour: anything slower is a broken clock or a unit mistake, not a latency. */
    public static final long MAX_DURATION_MICROS = 3_600_000_000L;

    private LatencySampleRules() {
    }

    public static Optional<Violation> check(LatencySample sample) {
        Optional<String> badName = nameProblem("service", sample.getService())
                .or(() -> labelProblem("endpoint", sample.getEndpoint()))
                .or(() -> labelProblem("region", sample.getRegion()));
        if (badName.isPresent()) {
            return Optional.of(new Violation(Identifiers.INVALID_NAME, badName.get()));
        }
        if (sample.getDurationMicros() < 0 || sample.getDurationMicros() > MAX_DURATION_MICROS) {
            return Optional.of(new Violation("DURATION_OUT_OF_RANGE",
                    "durationMicros must be between 0 and " + MAX_DURATION_MICROS + ", was " + sample.getDurationMicros()));
        }
        if (sample.getStatusCode() < 100 || sample.getStatusCode() > 599) {
            return Optional.of(new Violation("INVALID_STATUS", "statusCode must be between 100 and 599, was " + sample.getStatusCode()));
        }
        return Optional.empty();
    }

    /**
     * A service is an id (it names a URL path segment, a series key and an SLO key); endpoints and regions are labels.
     * Neither may hold the series-key separator '|'.
     */
    static Optional<String> nameProblem(String field, String value) {
        return Identifiers.id(field, value).map(Violation::reason);
    }

    static Optional<String> labelProblem(String field, String value) {
        return Identifiers.label(field, value).map(Violation::reason);
    }
}
