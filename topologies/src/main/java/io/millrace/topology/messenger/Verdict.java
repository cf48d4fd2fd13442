package io.millrace.topology.messenger;

import java.util.Objects;

/** A rule's answer: the new value, or the violation that refused it. */
public record Verdict<T>(T value, Violation violation) {

    public static <T> Verdict<T> accept(T value) {
        return new Verdict<>(Objects.requireNonNull(value), null);
    }

    public static <T> Verdict<T> refuse(String code, String reason) {
        return new Verdict<>(null, new Violation(code, reason));
    }

    public boolean accepted() {
        return violation == null;
    }
}
