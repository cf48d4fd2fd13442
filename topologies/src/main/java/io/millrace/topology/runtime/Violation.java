package io.millrace.topology.runtime;

import java.util.Optional;

/** Why an event or a request breaks a rule: a machine-readable code and a sentence for people. */
public record Violation(String code, String reason) {

    /** An event keyed otherwise than by the field its pipeline partitions on: it would be kept with another key's state. */
    public static final String KEY_MISMATCH = "KEY_MISMATCH";

    public static Optional<Violation> of(String code, String reason) {
        return Optional.of(new Violation(code, reason));
    }
}
