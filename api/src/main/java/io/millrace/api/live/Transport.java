package io.millrace.api.live;

import io.javalin.http.sse.SseClient;
import io.javalin.websocket.WsContext;
import io.millrace.api.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;

/** How events reach one client: server-sent events or a WebSocket. A send blocks until the client took it, or fails. */
public interface Transport {

    /** "sse" or "websocket", for metrics. */
    String kind();

    void send(String id, String type, String json) throws IOException;

    void heartbeat() throws IOException;

    void close();

    /**
     * {@code id:}, {@code event:} and {@code data:} lines as the EventSource specification has them; a heartbeat is a
     * comment line, which browsers ignore and proxies see as traffic.
     */
    static Transport sse(SseClient client) {
        return new Transport() {
            @Override
            public String kind() {
                return "sse";
            }

            @Override
            public void send(String id, String type, String json) throws IOException {
                client.sendEvent(type, json, id);
                if (client.terminated()) {
                    throw new IOException("the client went away");
                }
            }

            @Override
            public void heartbeat() throws IOException {
                client.sendComment("heartbeat");
                if (client.terminated()) {
                    throw new IOException("the client went away");
                }
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** Each event a text frame {@code {"id": …, "event": …, "data": …}}; a heartbeat is a ping frame. */
    static Transport webSocket(WsContext ws) {
        return new Transport() {
            @Override
            public String kind() {
                return "websocket";
            }

            @Override
            public void send(String id, String type, String json) throws IOException {
                String frame = "{\"id\":" + Json.MAPPER.writeValueAsString(id) + ",\"event\":" + Json.MAPPER.writeValueAsString(type)
                        + ",\"data\":" + json + "}";
                CompletableFuture<Void> sent = new CompletableFuture<>();
                ws.session.sendText(frame, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
                await(sent);
            }

            @Override
            public void heartbeat() throws IOException {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                ws.session.sendPing(ByteBuffer.allocate(0), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
                await(sent);
            }

            @Override
            public void close() {
                if (ws.session.isOpen()) {
                    ws.session.close(4000, "closed by the server", Callback.NOOP);
                }
            }

            private void await(CompletableFuture<Void> sent) throws IOException {
                try {
                    sent.get(LiveHub.SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IOException("the client did not take the frame: " + e, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        };
    }
}
