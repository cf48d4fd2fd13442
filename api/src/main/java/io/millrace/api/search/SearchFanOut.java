package io.millrace.api.search;

import io.javalin.http.Context;
import io.millrace.api.Json;
import io.millrace.api.iq.QueryRouter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The two rounds of a search over every instance: the same request, marked local and with its round, sent to each
 * instance in parallel (this one answers in-process); what fails or comes late makes the answer partial, not an error.
 */
final class SearchFanOut {

    /** Which round an instance answers: {@code stats} or {@code top}. */
    static final String ROUND_HEADER = "X-Millrace-Search-Round";
    /** The global figures of the first round, for the second (base64url JSON). */
    static final String RANKING_HEADER = "X-Millrace-Search-Ranking";

    /** What came back from the instances, and which did not answer. */
    record Parts<T>(List<T> answers, List<String> failedHosts) {
    }

    private final QueryRouter router;
    private final Duration timeout;
    private final HttpClient http;

    SearchFanOut(QueryRouter router, Duration timeout) {
        this.router = router;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    <T> CompletableFuture<Parts<T>> ask(Context ctx, List<HostInfo> hosts, Map<String, String> roundHeaders, Class<T> type,
                                        Supplier<T> local) {
        List<CompletableFuture<T>> futures = new ArrayList<>(java.util.Collections.nCopies(hosts.size(), null));
        for (int i = 0; i < hosts.size(); i++) {
            if (!hosts.get(i).equals(router.self())) {
                futures.set(i, remote(ctx, hosts.get(i), roundHeaders, type));
            }
        }
        // The local part last, in the request's own thread, while the others work: the common pool has one thread on a
        // two-core machine, and would queue every search's local part behind the others'.
        for (int i = 0; i < hosts.size(); i++) {
            if (futures.get(i) == null) {
                futures.set(i, inline(local));
            }
        }
        return CompletableFuture.allOf(futures.stream().map(f -> f.handle((value, error) -> null)).toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    List<T> answers = new ArrayList<>();
                    List<String> failed = new ArrayList<>();
                    for (int i = 0; i < hosts.size(); i++) {
                        CompletableFuture<T> future = futures.get(i);
                        if (!future.isCompletedExceptionally() && future.join() != null) {
                            answers.add(future.join());
                        } else {
                            failed.add(hosts.get(i).host() + ":" + hosts.get(i).port());
                        }
                    }
                    return new Parts<>(answers, failed);
                });
    }

    private static <T> CompletableFuture<T> inline(Supplier<T> local) {
        try {
            return CompletableFuture.completedFuture(local.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> CompletableFuture<T> remote(Context ctx, HostInfo host, Map<String, String> roundHeaders, Class<T> type) {
        String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + ctx.path() + query))
                .timeout(timeout).header(QueryRouter.SCOPE_HEADER, "local").GET();
        router.forwardingHeaders().forEach(request::header);
        roundHeaders.forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(host + " answered " + response.statusCode());
                    }
                    try {
                        return Json.MAPPER.readValue(response.body(), type);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }
}
