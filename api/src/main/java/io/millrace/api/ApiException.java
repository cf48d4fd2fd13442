package io.millrace.api;

import io.javalin.http.Context;
import java.util.Map;

/** A client-facing failure: its HTTP status and the JSON body {"error", "detail"} the client sees. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final Map<String, String> headers;

    public ApiException(int status, String error, String detail) {
        this(status, error, detail, Map.of());
    }

    public ApiException(int status, String error, String detail, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad_request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not_found", detail);
    }

    /** No credential, or one that is not valid: the client must authenticate (RFC 6750's challenge in the header). */
    public static ApiException unauthorized(String detail, boolean invalidToken) {
        return new ApiException(401, "unauthorized", detail, Map.of("WWW-Authenticate",
                "Bearer realm=\"millrace\"" + (invalidToken ? ", error=\"invalid_token\"" : "")));
    }

    /** A valid credential that does not allow this. */
    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", detail);
    }

    /** The body is not JSON in UTF-8, whatever it may hold. */
    public static ApiException unsupportedMediaType(String detail) {
        return new ApiException(415, errorOf(415), detail);
    }

    /** The data is there but not readable right now (rebalance, restoration): try again shortly. */
    public static ApiException unavailable(String detail, int retryAfterSeconds) {
        return new ApiException(503, "unavailable", detail, Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** The "error" word of a status, for failures that arrive as a bare status (from Jetty or Javalin). */
    public static String errorOf(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            case 504 -> "timeout";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }

    /** Answers the request with this error: status, headers and the JSON body. */
    public void writeTo(Context ctx) {
        headers.forEach(ctx::header);
        ctx.status(status).json(new Body(error, getMessage()));
    }

    /** The JSON error as a client receives it. */
    public Body body() {
        return new Body(error, getMessage());
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The JSON body of every error response. */
    public record Body(String error, String detail) {
    }
}
