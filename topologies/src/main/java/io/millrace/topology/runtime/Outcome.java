package io.millrace.topology.runtime;

import io.millrace.schemas.common.Rejected;
import java.util.Objects;

/**
 * The one accept/reject result of the platform. A rule answers {@link #accept} or {@link #refuse} (a {@link Violation});
 * a topology step that read the event answers {@link #accept} or {@link #reject} with the stamped rejection that goes to
 * the pipeline's rejected topic ({@link Rejections#reject}). Lives between steps, never on a topic.
 */
public record Outcome<T>(T accepted, Violation violation, Rejected rejected) {

    public static <T> Outcome<T> accept(T value) {
        return new Outcome<>(Objects.requireNonNull(value, "an accepted value"), null, null);
    }

    /** A rule's refusal, before any step has stamped it as the rejection of an event. */
    public static <T> Outcome<T> refuse(Violation violation) {
        return new Outcome<>(null, Objects.requireNonNull(violation), null);
    }

    public static <T> Outcome<T> refuse(String code, String reason) {
        return refuse(new Violation(code, reason));
    }

    /** A step's rejection of the event it read, ready for the rejected topic. */
    public static <T> Outcome<T> reject(Rejected rejection) {
        return new Outcome<>(null, new Violation(rejection.getCode(), rejection.getReason()), rejection);
    }

    public boolean isRejected() {
        return violation != null;
    }
}
