package io.millrace.api.iq;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.http.Context;
import io.millrace.api.ApiException;
import io.millrace.api.Json;
import io.millrace.api.auth.Authentication;
import io.millrace.api.Params;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Interactive queries across instances. A key lookup is answered here when this instance owns the
 * key, and otherwise forwarded once to the owner; a query over all keys asks every instance for its
 * local part in parallel and merges what came back within the deadline, saying whether it is complete.
 */
public final class QueryRouter {

    /** Marks a request that another instance forwarded here: it is answered locally, never forwarded again. */
    public static final String FORWARDED_HEADER = "X-Millrace-Forwarded";
    /** On a fan-out part: answer from this instance's local stores only. */
    public static final String SCOPE_HEADER = "X-Millrace-Scope";
    /** Query parameter of a key lookup: a standby may answer when at most this many records behind. */
    public static final String MAX_LAG = "maxLag";
    /** How many records behind the active store the answering store was (0 when it is the active one). */
    public static final String LAG_HEADER = "X-Millrace-Lag";
    /** host:port of the instance whose store answered. */
    public static final String SERVED_BY_HEADER = "X-Millrace-Served-By";

    /** How long a client is told to wait before it asks a pipeline that is not RUNNING again. */
    public static final int RETRY_AFTER_SECONDS = 2;

    private final HostInfo self;
    private final HttpClient http;
    private final Duration timeout;
    private final Supplier<String> peerCredential;

    /** {@code peerCredential} is the token this instance shows another one (see {@code Authentication.peerToken()}). */
    public QueryRouter(HostInfo self, Duration timeout, Supplier<String> peerCredential) {
        this.self = self;
        this.timeout = timeout;
        this.peerCredential = peerCredential;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The headers that make a request to another instance a forwarded one: who forwards, and its credential. */
    public Map<String, String> forwardingHeaders() {
        return Map.of(FORWARDED_HEADER, self.host() + ":" + self.port(), Authentication.PEER_HEADER, peerCredential.get());
    }

    public HostInfo self() {
        return self;
    }

    /** Answers {@code local} here if this instance serves {@code key} of {@code store}, else relays the owner's answer. */
    public void byKey(Context ctx, KafkaStreams streams, String store, String key, Function<Context, Object> local) {
        if (ctx.header(FORWARDED_HEADER) != null) {
            answerLocally(ctx, streams, local, 0);
            return;
        }
        Optional<Long> maxLag = Params.wholeNumber(ctx, MAX_LAG, 0, Long.MAX_VALUE);
        requireRunning(streams);
        KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw ApiException.unavailable("The owner of this key is not known yet (rebalancing)", RETRY_AFTER_SECONDS);
        }
        if (metadata.activeHost().equals(self)) {
            answerLocally(ctx, streams, local, 0);
            return;
        }
        if (maxLag.isPresent() && metadata.standbyHosts().contains(self)) {
            long lag = localLag(streams, store, metadata.partition());
            if (lag <= maxLag.get()) {
                answerLocally(ctx, streams, local, lag);
                return;
            }
        }
        List<HostInfo> candidates = new ArrayList<>();
        candidates.add(metadata.activeHost());
        if (maxLag.isPresent()) {
            candidates.addAll(metadata.standbyHosts());
        }
        ctx.future(() -> relay(ctx, candidates, 0));
    }

    /**
     * Asks every instance hosting {@code store} for its local answer and merges them.
     * {@code merge} gets the parts that came back; the response adds status and the hosts that failed.
     */
    public <T> void scatter(Context ctx, KafkaStreams streams, String store, Function<Context, T> localPart,
                            TypeReference<T> partType, Function<List<T>, Object> merge) {
        if ("local".equals(ctx.header(SCOPE_HEADER))) {
            answerLocally(ctx, streams, localPart::apply, 0);
            return;
        }
        requireRunning(streams);
        List<HostInfo> hosts = streams.streamsMetadataForStore(store).stream().map(StreamsMetadata::hostInfo).distinct().toList();
        List<CompletableFuture<Part<T>>> parts = new ArrayList<>();
        for (HostInfo host : hosts.isEmpty() ? List.of(self) : hosts) {
            if (host.equals(self)) {
                // A local store that is not queryable right now makes this host a failed part, not the whole answer a 500.
                parts.add(CompletableFuture.supplyAsync(() -> new Part<>(host, localPart.apply(ctx), null))
                        .exceptionally(error -> new Part<>(host, null, error)));
            } else {
                parts.add(fetchPart(ctx, host, partType));
            }
        }
        // Every part completes normally (a failure is a part without a value), so allOf completes normally too.
        ctx.future(() -> CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    List<T> answers = new ArrayList<>();
                    List<String> failed = new ArrayList<>();
                    for (CompletableFuture<Part<T>> future : parts) {
                        Part<T> part = future.join();
                        if (part.value() != null) {
                            answers.add(part.value());
                        } else {
                            failed.add(part.host().host() + ":" + part.host().port());
                        }
                    }
                    ctx.json(new Scattered(failed.isEmpty() ? "COMPLETE" : "PARTIAL", failed, merge.apply(answers)));
                    return null;
                }));
    }

    /** Answers from a global store, which every instance holds whole, so here and never forwarded. */
    public void global(Context ctx, KafkaStreams streams, Function<Context, Object> local) {
        requireRunning(streams);
        answerLocally(ctx, streams, local, 0);
    }

    /** Refuses with 503 and Retry-After unless the pipeline is RUNNING: until then its stores and metadata cannot be read. */
    public static void requireRunning(KafkaStreams streams) {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw ApiException.unavailable("The pipeline is " + state + "; its stores are not queryable yet", RETRY_AFTER_SECONDS);
        }
    }

    /** A merged answer from all instances. */
    public record Scattered(String status, List<String> failedHosts, Object result) {
    }

    private record Part<T>(HostInfo host, T value, Throwable error) {
    }

    private <T> CompletableFuture<Part<T>> fetchPart(Context ctx, HostInfo host, TypeReference<T> type) {
        HttpRequest request = forwardRequest(ctx, host).header(SCOPE_HEADER, "local").build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null || response.statusCode() != 200) {
                        return new Part<>(host, null, error);
                    }
                    try {
                        return new Part<>(host, Json.MAPPER.readValue(response.body(), type), null);
                    } catch (java.io.IOException e) {
                        return new Part<>(host, null, e);
                    }
                });
    }

    private CompletableFuture<Void> relay(Context ctx, List<HostInfo> candidates, int index) {
        HostInfo host = candidates.get(index);
        return http.sendAsync(forwardRequest(ctx, host).build(), HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error == null) {
                        ctx.status(response.statusCode());
                        response.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
                        for (String header : List.of(LAG_HEADER, SERVED_BY_HEADER, "Retry-After")) {
                            response.headers().firstValue(header).ifPresent(value -> ctx.header(header, value));
                        }
                        ctx.result(response.body());
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (index + 1 < candidates.size()) {
                        return relay(ctx, candidates, index + 1);
                    }
                    ApiException unavailable = ApiException.unavailable(
                            "The instance that owns this key (" + host.host() + ":" + host.port() + ") did not answer", RETRY_AFTER_SECONDS);
                    unavailable.writeTo(ctx);
                    return CompletableFuture.<Void>completedFuture(null);
                })
                .thenCompose(Function.identity());
    }

    private HttpRequest.Builder forwardRequest(Context ctx, HostInfo host) {
        String query = ctx.queryString();
        URI uri;
        try {
            uri = URI.create("http://" + host.host() + ":" + host.port() + ctx.path() + (query == null ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The path or query holds characters that must be percent-encoded");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header(FORWARDED_HEADER, self.host() + ":" + self.port())
                .header(Authentication.PEER_HEADER, peerCredential.get());
        // The instance that answers applies the caller's rights itself: the caller's credential goes along.
        String authorization = ctx.header("Authorization");
        String session = ctx.cookie(Authentication.SESSION_COOKIE);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        } else if (session != null) {
            builder.header("Authorization", "Bearer " + session);
        }
        return builder;
    }

    private void answerLocally(Context ctx, KafkaStreams streams, Function<Context, Object> local, long lag) {
        try {
            Object answer = local.apply(ctx);
            ctx.header(SERVED_BY_HEADER, self.host() + ":" + self.port());
            ctx.header(LAG_HEADER, String.valueOf(lag));
            ctx.json(answer);
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable("The store is not queryable right now (" + streams.state() + ")", RETRY_AFTER_SECONDS);
        }
    }

    private static long localLag(KafkaStreams streams, String store, int partition) {
        Map<Integer, LagInfo> lags = streams.allLocalStorePartitionLags().getOrDefault(store, Map.of());
        LagInfo info = lags.get(partition);
        return info == null ? Long.MAX_VALUE : info.offsetLag();
    }
}
