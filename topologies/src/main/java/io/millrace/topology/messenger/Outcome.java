package io.millrace.topology.messenger;

import io.millrace.schemas.common.Rejected;

/** What a step of the topology made of one event: the value to pass on, or its rejection for messenger.rejected. */
record Outcome<T>(T value, Rejected rejection) {

    static <T> Outcome<T> accept(T value) {
        return new Outcome<>(value, null);
    }

    static <T> Outcome<T> reject(Rejected rejection) {
        return new Outcome<>(null, rejection);
    }

    boolean accepted() {
        return rejection == null;
    }
}
