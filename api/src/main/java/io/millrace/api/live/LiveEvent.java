package io.millrace.api.live;

/** One event as a client receives it: its type ({@code message}, {@code alert}, {@code decision}, …) and its JSON data. */
public record LiveEvent(String type, Object data) {
}
