package io.millrace.api;

import io.javalin.http.Context;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * What any request must be to be read at all: within the size limits, and in UTF-8 when it declares a charset.
 * Jetty and Javalin are configured from here, every request is checked before routing, and the OpenAPI document
 * states the same limits.
 */
public final class RequestLimits {

    /** A larger body is refused with 413, by its Content-Length before it is read, or once reading passes this. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** The request line and headers together: a longer request line is refused with 414, larger headers with 431. */
    public static final int MAX_HEAD_BYTES = 8 * 1024;

    private RequestLimits() {
    }

    /** The limits in words, for the API's description. */
    public static String description() {
        return "Every request: the request line (method, path and query) and the headers together hold at most "
                + MAX_HEAD_BYTES / 1024 + " KiB; a longer URI is answered 414, larger headers 431. A body holds at most "
                + MAX_BODY_BYTES / (1024 * 1024) + " MiB (413) and is one JSON object in UTF-8 sent as application/json "
                + "(another content type or charset is answered 415). Every error is {\"error\", \"detail\"} JSON; a query "
                + "whose pipeline is not RUNNING is answered 503 with Retry-After.";
    }

    /** Refuses, before any parameter or body is read, what could not be read correctly. */
    static void check(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType != null) {
            charset(contentType).filter(charset -> !isUtf8(charset)).ifPresent(charset -> {
                throw ApiException.unsupportedMediaType("The request must be in UTF-8, not charset '" + Params.shown(charset) + "'");
            });
        }
        if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
            throw new ApiException(413, ApiException.errorOf(413), tooLarge());
        }
    }

    static String tooLarge() {
        return "The body is larger than " + MAX_BODY_BYTES / (1024 * 1024) + " MiB";
    }

    /**
     * The charset of a content type as written, possibly malformed; empty when there is none. Any part that starts
     * with "charset" counts, since that is how Javalin finds the charset it decodes the query string and body with.
     */
    private static Optional<String> charset(String contentType) {
        for (String parameter : contentType.split(";")) {
            if (parameter.trim().toLowerCase(Locale.ROOT).startsWith("charset")) {
                String[] nameValue = parameter.split("=", 2);
                boolean wellFormed = nameValue.length == 2 && nameValue[0].trim().equalsIgnoreCase("charset");
                return Optional.of(wellFormed ? nameValue[1].trim().replaceAll("^\"|\"$", "") : parameter.trim());
            }
        }
        return Optional.empty();
    }

    private static boolean isUtf8(String charset) {
        try {
            return Charset.isSupported(charset) && Charset.forName(charset).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedName) {
            return false;
        }
    }
}
