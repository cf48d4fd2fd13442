package io.millrace.api;

import io.javalin.http.Context;
import io.millrace.topology.runtime.Identifiers;
import io.millrace.topology.runtime.Violation;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Path and query parameters, read and checked in one place: a bad one is a 400 that names the parameter and says
 * what is wrong with it. A query parameter is given at most once and never empty; leaving it out means the default.
 */
public final class Params {

    private static final int SHOWN_LENGTH = 80;

    private Params() {
    }

    /** A path parameter that must be an id ({@link Identifiers}). */
    public static String id(Context ctx, String name) {
        String value = ctx.pathParam(name);
        refuse(Identifiers.id("path parameter '" + name + "'", value));
        return value;
    }

    /** A path parameter that must be a label ({@link Identifiers}). */
    public static String label(Context ctx, String name) {
        String value = ctx.pathParam(name);
        refuse(Identifiers.label("path parameter '" + name + "'", value));
        return value;
    }

    /** A path parameter that a pipeline's own rule accepts; {@code rule} completes "must be ..." in words. */
    public static String path(Context ctx, String name, Predicate<String> accepted, String rule) {
        String value = ctx.pathParam(name);
        if (!accepted.test(value)) {
            throw ApiException.badRequest("path parameter '" + name + "' must be " + rule);
        }
        return value;
    }

    /** A query parameter as given; empty when it is left out. */
    public static Optional<String> query(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.isEmpty() && ctx.queryParamMap().containsKey(name)) {
            throw ApiException.badRequest("query parameter '" + name + "' is not valid percent-encoded UTF-8");
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("query parameter '" + name + "' is given " + values.size() + " times; give it once");
        }
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.get(0).isBlank()) {
            throw ApiException.badRequest("query parameter '" + name + "' is empty; leave it out for the default");
        }
        return Optional.of(values.get(0));
    }

    /** A query parameter read by {@code parse}, which is empty for what it cannot read; {@code expected} says what it can. */
    public static <T> Optional<T> query(Context ctx, String name, Function<String, Optional<T>> parse, String expected) {
        return query(ctx, name).map(value -> parse.apply(value).orElseThrow(() -> ApiException.badRequest(
                "query parameter '" + name + "': expected " + expected + ", was '" + shown(value) + "'")));
    }

    /** A query parameter that is a whole number from {@code min} to {@code max}. */
    public static Optional<Long> wholeNumber(Context ctx, String name, long min, long max) {
        return query(ctx, name, value -> wholeNumber(value).filter(n -> n >= min && n <= max),
                "a whole number from " + min + " to " + max);
    }

    /** A query parameter that must be a label ({@link Identifiers}). */
    public static Optional<String> queryLabel(Context ctx, String name) {
        Optional<String> value = query(ctx, name);
        value.ifPresent(label -> refuse(Identifiers.label("query parameter '" + name + "'", label)));
        return value;
    }

    /** A query parameter that must be an id ({@link Identifiers}). */
    public static Optional<String> queryId(Context ctx, String name) {
        Optional<String> value = query(ctx, name);
        value.ifPresent(id -> refuse(Identifiers.id("query parameter '" + name + "'", id)));
        return value;
    }

    /** A query parameter the request cannot do without. */
    public static String required(Context ctx, String name) {
        return query(ctx, name).orElseThrow(() -> ApiException.badRequest("query parameter '" + name + "' is required"));
    }

    /** At most 80 characters of a client's value, control and invisible characters as '?', for an error detail. */
    public static String shown(String value) {
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(SHOWN_LENGTH).forEach(c -> shown.appendCodePoint(visible(c) ? c : '?'));
        return value.codePointCount(0, value.length()) > SHOWN_LENGTH ? shown + "…" : shown.toString();
    }

    private static Optional<Long> wholeNumber(String value) {
        if (!value.matches("-?\\d{1,19}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    private static boolean visible(int codePoint) {
        int type = Character.getType(codePoint);
        return !Character.isISOControl(codePoint) && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.UNASSIGNED && type != Character.PRIVATE_USE && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR;
    }

    private static void refuse(Optional<Violation> violation) {
        violation.ifPresent(v -> {
            throw ApiException.badRequest(v.reason());
        });
    }
}
