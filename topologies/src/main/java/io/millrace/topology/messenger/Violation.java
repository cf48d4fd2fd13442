package io.millrace.topology.messenger;

/** Why an event breaks a messenger rule: a machine-readable code and a sentence for people. */
public record Violation(String code, String reason) {
}
