package io.millrace.topology.runtime;

import java.util.Optional;

/** Why an event or a request breaks a rule: a machine-readable code and a sentence for people. */
public record Violation(String code, String reason) {

    public static Optional<Violation> of(String code, String reason) {
        return Optional.of(new Violation(code, reason));
    }
}
