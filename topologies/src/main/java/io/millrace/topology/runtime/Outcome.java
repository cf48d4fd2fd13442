package io.millrace.topology.runtime;

import io.millrace.schemas.common.Rejected;

/** What a step made of an event: its result, or the event's rejection. Lives between two steps, never on a topic. */
public record Outcome<T>(T accepted, Rejected rejected) {

    public static <T> Outcome<T> accept(T value) {
        return new Outcome<>(value, null);
    }

    public static <T> Outcome<T> reject(Rejected rejection) {
        return new Outcome<>(null, rejection);
    }

    public boolean isRejected() {
        return rejected != null;
    }
}
