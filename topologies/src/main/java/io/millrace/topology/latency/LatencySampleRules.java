package io.millrace.topology.latency;

import io.millrace.schemas.latency.LatencySample;
import java.util.Optional;

/** What a latency sample must satisfy to be aggregated; anything else is rejected with a reason. */
public final class LatencySampleRules {

    /** One hour: anything slower is a broken clock or a unit mistake, not a latency. */
    public static final long MAX_DURATION_MICROS = 3_600_000_000L;
    static final int MAX_NAME_LENGTH = 200;

    private LatencySampleRules() {
    }

    /** A broken rule: machine-readable code and a human-readable reason. */
    public record Violation(String code, String reason) {
    }

    public static Optional<Violation> check(LatencySample sample) {
        Optional<String> badName = nameProblem("service", sample.getService())
                .or(() -> nameProblem("endpoint", sample.getEndpoint()))
                .or(() -> nameProblem("region", sample.getRegion()));
        if (badName.isPresent()) {
            return Optional.of(new Violation("INVALID_NAME", badName.get()));
        }
        if (SeriesKey.GLOBAL_KEY.equals(sample.getService())) {
            return Optional.of(new Violation("INVALID_NAME", "service '*' is reserved for the global roll-up"));
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

    /** Names become parts of series keys, so they may not be blank, overlong, or hold the key separator. */
    static Optional<String> nameProblem(String field, String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(field + " must not be blank");
        }
        if (value.length() > MAX_NAME_LENGTH) {
            return Optional.of(field + " must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (value.indexOf(SeriesKey.SEPARATOR) >= 0 || value.chars().anyMatch(Character::isISOControl)) {
            return Optional.of(field + " must not contain '" + SeriesKey.SEPARATOR + "' or control characters");
        }
        return Optional.empty();
    }
}
