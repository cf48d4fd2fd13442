package io.millrace.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before a request reaches Javalin (a URI it cannot parse or will not resolve,
 * a request line or headers over the limit), in the platform's JSON error shape instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    // Jetty's reasons are short phrases ("Ambiguous URI empty segment"); anything else is not shown.
    private static final Pattern PLAIN_WORDS = Pattern.compile("[A-Za-z0-9 ,'()<>=-]{1,120}");

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws JsonProcessingException {
        int status = response.getStatus();
        String reason = (String) request.getAttribute(ERROR_MESSAGE);
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException failure) {
            status = failure.getCode();
            reason = failure.getReason();
            response.setStatus(status);
        }
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        // Jetty closes the connection after a request it refused before reading it whole; saying so keeps a keep-alive
        // client from sending its next request down a connection that is gone (and getting no answer at all).
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        if (HttpStatus.hasNoBody(status) || HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        byte[] body = Json.MAPPER.writeValueAsBytes(new ApiException.Body(ApiException.errorOf(status), detail(status, reason)));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private static String detail(int status, String reason) {
        String sentence = switch (status) {
            case 400 -> "The request cannot be read: its URI, headers or framing are malformed (an encoded NUL or control "
                    + "character, a '..' segment, bad percent-encoding or a bad header)";
            case 413 -> RequestLimits.tooLarge();
            case 414 -> "The request line (method, path and query) is longer than " + RequestLimits.MAX_HEAD_BYTES / 1024 + " KiB";
            case 431 -> "The request headers are larger than " + RequestLimits.MAX_HEAD_BYTES / 1024 + " KiB";
            case 500 -> "Something went wrong on our side";
            default -> HttpStatus.getMessage(status);
        };
        return reason != null && PLAIN_WORDS.matcher(reason).matches() && !reason.equals(HttpStatus.getMessage(status))
                ? sentence + ": " + reason : sentence;
    }
}
