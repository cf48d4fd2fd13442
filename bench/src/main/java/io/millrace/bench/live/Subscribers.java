package io.millrace.bench.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.HdrHistogram.Recorder;

/**
 * Many subscribers at once, each a WebSocket (the JDK's client: no thread per connection) following one user's stream,
 * recording for every message event its age on arrival: arrival time minus the message's timestamp (the time its
 * sender sent it). What a user's phone would see, for a thousand phones on one machine.
 */
public final class Subscribers implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_TRACKED_MS = Duration.ofMinutes(10).toMillis();

    private final List<WebSocket> sockets = new ArrayList<>();
    private final Recorder ages = new Recorder(MAX_TRACKED_MS, 3);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong closedByServer = new AtomicLong();

    private Subscribers() {
    }

    /**
     * Opens one socket per user at {@code baseUrl + pathOf(user)} with the user's bearer token, a few at a time, and
     * waits until each said {@code ready}.
     */
    public static Subscribers connect(String baseUrl, List<String> users, Function<String, String> pathOf, Function<String, String> tokenOf)
            throws InterruptedException {
        Subscribers subscribers = new Subscribers();
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (String user : users) {
            CompletableFuture<Void> started = new CompletableFuture<>();
            ready.add(started);
            WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + tokenOf.apply(user))
                    .connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(URI.create(baseUrl + pathOf.apply(user)), subscribers.listener(started)).join();
            subscribers.sockets.add(socket);
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
        return subscribers;
    }

    private WebSocket.Listener listener(CompletableFuture<Void> ready) {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    long now = System.currentTimeMillis();
                    try {
                        JsonNode frame = JSON.readTree(partial.toString());
                        switch (frame.path("event").asText()) {
                            case "ready" -> ready.complete(null);
                            case "resync" -> resyncs.incrementAndGet();
                            case "message" -> {
                                long sentAt = frame.at("/data/message/timestamp").asLong(now);
                                ages.recordValue(Math.min(MAX_TRACKED_MS, Math.max(0, now - sentAt)));
                                events.incrementAndGet();
                            }
                            default -> { }
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException("not a JSON frame", e);
                    }
                    partial.setLength(0);
                }
                socket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                closedByServer.incrementAndGet();
                return null;
            }
        };
    }

    /** What the subscribers saw since the last call (or since they connected). */
    public record Seen(long events, long p50Ms, long p99Ms, long maxMs, long resyncs, long closedByServer) {
    }

    public Seen seen() {
        var histogram = ages.getIntervalHistogram();
        return new Seen(events.getAndSet(0), histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                histogram.getMaxValue(), resyncs.get(), closedByServer.get());
    }

    public int size() {
        return sockets.size();
    }

    @Override
    public void close() {
        sockets.forEach(socket -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS)
                .exceptionally(e -> null));
    }
}
