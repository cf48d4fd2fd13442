package io.millrace.api.fraud;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.http.Context;
import io.millrace.api.ApiContext;
import io.millrace.api.ApiException;
import io.millrace.api.Json;
import io.millrace.api.PipelineApi;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.api.fraud.FraudViews.AuthorizeRequest;
import io.millrace.api.fraud.FraudViews.CardView;
import io.millrace.api.fraud.FraudViews.DecisionView;
import io.millrace.api.fraud.FraudViews.Stats;
import io.millrace.api.fraud.FraudViews.StatsPart;
import io.millrace.api.iq.QueryRouter;
import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.AuthorizationRequest;
import io.millrace.topology.fraud.CardReference;
import io.millrace.topology.fraud.CardTokenizer;
import io.millrace.topology.fraud.DecisionNotifier;
import io.millrace.topology.fraud.EventRules;
import io.millrace.topology.fraud.FraudPipeline;
import io.millrace.topology.fraud.FraudQueries;
import io.millrace.topology.fraud.FraudStores;
import io.millrace.topology.runtime.RunningPipeline;
import io.millrace.topology.runtime.Violation;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * /api/fraud: decisions by transaction id (optionally waiting for one), cards by token, decision statistics, and
 * a synchronous authorization for web clients that publishes the request and waits up to 2 s for its decision.
 */
public final class FraudApi implements PipelineApi {

    static final Duration AUTHORIZE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration MAX_WAIT = Duration.ofSeconds(4);
    static final Duration MAX_STATS_WINDOW = Duration.ofHours(24);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");
    private static final int RETRY_AFTER_SECONDS = 2;

    @Override
    public String pipeline() {
        return FraudPipeline.NAME;
    }

    @Override
    public void register(ApiRoutes routes, RunningPipeline running, ApiContext context) {
        new Handlers((FraudPipeline) running.pipeline(), running.streams(), context).register(routes);
    }

    /** The routes of one running fraud pipeline. */
    private static final class Handlers {

        private final FraudPipeline pipeline;
        private final KafkaStreams streams;
        private final ApiContext context;
        private final FraudQueries queries;
        private final DecisionNotifier notifier;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(AUTHORIZE_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).build();

        Handlers(FraudPipeline pipeline, KafkaStreams streams, ApiContext context) {
            this.pipeline = pipeline;
            this.streams = streams;
            this.context = context;
            this.queries = new FraudQueries(streams);
            this.notifier = pipeline.notifier();
        }

        void register(ApiRoutes routes) {
            routes.get("/api/fraud/decisions/{transactionId}", Doc.of("The decision for a transaction; with ?timeout=2s, wait for it")
                    .tag("fraud").returns(DecisionView.class)
                    .query("timeout", "string", "Wait up to this long (e.g. 2s, 500ms; at most 4s) for a decision not made yet")
                    .errors(404, 503), this::decision);
            routes.get("/api/fraud/cards/{cardToken}", Doc.of("A card's available credit, limit, status and recent decisions")
                    .tag("fraud").returns(CardView.class).errors(404, 503), this::card);
            routes.get("/api/fraud/stats", Doc.of("Approvals, declines, reviews and top reasons over a recent window")
                    .tag("fraud").returns(Stats.class).query("window", "string", "e.g. 1m (default), 15m, 1h, 24h"), this::stats);
            routes.post("/api/fraud/authorize", Doc.of("Authorize a card payment and wait (at most 2 s) for the decision")
                    .tag("fraud").accepts(AuthorizeRequest.class).returns(DecisionView.class).errors(503, 504), this::authorize);
        }

        private void decision(Context ctx) {
            String transactionId = ctx.pathParam("transactionId");
            Optional<Duration> wait = duration(ctx.queryParam("timeout"), MAX_WAIT, "timeout");
            boolean answerHere = ctx.header(QueryRouter.FORWARDED_HEADER) != null || isOwner(transactionId);
            if (wait.isPresent() && answerHere) {
                CompletableFuture<AuthorizationDecision> decided = awaitLocally(transactionId, wait.get());
                ctx.future(() -> decided.handle((decision, error) -> {
                    if (error != null) {
                        fail(ctx, ApiException.unavailable("The decisions store is not queryable right now", RETRY_AFTER_SECONDS));
                    } else if (decision == null) {
                        fail(ctx, ApiException.notFound("No decision for transaction " + transactionId + " yet"));
                    } else {
                        ctx.json(DecisionView.of(decision));
                    }
                    return null;
                }));
                return;
            }
            context.router().byKey(ctx, streams, FraudStores.DECISIONS, transactionId, c -> queries.decision(transactionId)
                    .map(DecisionView::of)
                    .orElseThrow(() -> ApiException.notFound("No decision for transaction " + transactionId)));
        }

        private void card(Context ctx) {
            String token = ctx.pathParam("cardToken");
            if (!CardTokenizer.isToken(token)) {
                throw ApiException.badRequest("Cards are looked up by their token (" + CardTokenizer.TOKEN_LENGTH
                        + " base64url characters), never by card number");
            }
            context.router().byKey(ctx, streams, FraudStores.CREDIT_LEDGER, token, c -> queries.card(token).map(CardView::of)
                    .orElseThrow(() -> ApiException.notFound("No card with this token")));
        }

        private void stats(Context ctx) {
            String window = Optional.ofNullable(ctx.queryParam("window")).orElse("1m");
            Duration length = duration(window, MAX_STATS_WINDOW, "window").orElseThrow();
            Instant to = Instant.now();
            Instant from = to.minus(length);
            context.router().scatter(ctx, streams, FraudStores.DECISION_STATS, c -> StatsPart.of(queries.tally(from, to)),
                    new TypeReference<StatsPart>() { }, parts -> Stats.merge(window, from.toEpochMilli(), to.toEpochMilli(), parts));
        }

        private void authorize(Context ctx) {
            AuthorizationRequest request = validated(ctx.bodyAsClass(AuthorizeRequest.class));
            String transactionId = request.getTransactionId();
            KeyQueryMetadata owner = owner(transactionId);
            long deadline = System.nanoTime() + AUTHORIZE_TIMEOUT.toNanos();
            CompletableFuture<Optional<String>> answer;
            if (owner.activeHost().equals(context.router().self())) {
                CompletableFuture<AuthorizationDecision> decided = awaitLocally(transactionId, AUTHORIZE_TIMEOUT);
                CompletableFuture<?> published = decided.isDone() ? decided : context.publisher().publish(
                        pipeline.fraudTopics().authorizationRequests(), transactionId, request);
                answer = published.thenCompose(ignored -> decided)
                        .thenApply(decision -> Optional.ofNullable(decision).map(d -> json(DecisionView.of(d))));
            } else {
                answer = context.publisher().publish(pipeline.fraudTopics().authorizationRequests(), transactionId, request)
                        .thenCompose(ignored -> awaitRemotely(owner.activeHost(), transactionId, remaining(deadline)));
            }
            CompletableFuture<Optional<String>> bounded = answer.completeOnTimeout(Optional.empty(), remaining(deadline).toMillis(),
                    TimeUnit.MILLISECONDS);
            ctx.future(() -> bounded.handle((body, error) -> {
                if (error != null) {
                    fail(ctx, ApiException.unavailable("The request could not be published or its decision read; try again",
                            RETRY_AFTER_SECONDS));
                } else if (body.isEmpty()) {
                    fail(ctx, new ApiException(504, "timeout", "No decision for transaction " + transactionId + " within "
                            + AUTHORIZE_TIMEOUT.toSeconds() + " s; it may still come: GET /api/fraud/decisions/" + transactionId));
                } else {
                    ctx.contentType("application/json").result(body.get());
                }
                return null;
            }));
        }

        /** The decision once stored in this instance, or null when {@code wait} has passed. */
        private CompletableFuture<AuthorizationDecision> awaitLocally(String transactionId, Duration wait) {
            CompletableFuture<AuthorizationDecision> decided = notifier.await(transactionId);
            try {
                queries.decision(transactionId).ifPresent(decided::complete);
            } catch (RuntimeException storeNotReady) {
                decided.completeExceptionally(storeNotReady);
            }
            return decided.completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Long-polls the instance that owns the transaction's decision; its JSON, or empty when it had none in time. */
        private CompletableFuture<Optional<String>> awaitRemotely(HostInfo host, String transactionId, Duration wait) {
            URI uri = URI.create("http://" + host.host() + ":" + host.port() + "/api/fraud/decisions/"
                    + URLEncoder.encode(transactionId, StandardCharsets.UTF_8).replace("+", "%20") + "?timeout=" + wait.toMillis() + "ms");
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(wait.plusSeconds(1)).GET()
                    .header(QueryRouter.FORWARDED_HEADER, context.router().self().host() + ":" + context.router().self().port()).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> response.statusCode() == 200 ? Optional.of(response.body()) : Optional.<String>empty());
        }

        private AuthorizationRequest validated(AuthorizeRequest body) {
            String transactionId = body.transactionId() == null || body.transactionId().isBlank()
                    ? UUID.randomUUID().toString() : body.transactionId();
            long now = System.currentTimeMillis();
            long amount = body.amount() == null ? 0 : body.amount();
            long timestamp = body.timestamp() == null ? now : body.timestamp();
            Optional<Violation> violation = EventRules.authorization(transactionId,
                    CardReference.classify(body.cardNumber(), body.cardToken()), body.merchantId(), amount, body.currency(),
                    body.country(), body.latitude(), body.longitude(), timestamp, now);
            if (violation.isPresent()) {
                throw new ApiException(400, "bad_request", violation.get().code() + ": " + violation.get().reason());
            }
            return AuthorizationRequest.newBuilder()
                    .setTransactionId(transactionId)
                    .setCardNumber(body.cardNumber())
                    .setCardToken(body.cardToken())
                    .setMerchantId(body.merchantId())
                    .setMerchantCategory(body.merchantCategory() == null ? "0000" : body.merchantCategory())
                    .setAmount(amount)
                    .setCurrency(body.currency())
                    .setCountry(body.country())
                    .setLatitude(body.latitude())
                    .setLongitude(body.longitude())
                    .setTimestamp(timestamp)
                    .build();
        }

        private boolean isOwner(String transactionId) {
            return owner(transactionId).activeHost().equals(context.router().self());
        }

        private KeyQueryMetadata owner(String transactionId) {
            if (streams.state() != KafkaStreams.State.RUNNING) {
                throw ApiException.unavailable("The fraud pipeline is " + streams.state() + "; try again shortly", RETRY_AFTER_SECONDS);
            }
            KeyQueryMetadata metadata = streams.queryMetadataForKey(FraudStores.DECISIONS, transactionId, Serdes.String().serializer());
            if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
                throw ApiException.unavailable("The owner of this transaction is not known yet (rebalancing)", RETRY_AFTER_SECONDS);
            }
            return metadata;
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** "2s", "500ms", "15m", "1h" or plain milliseconds; empty when absent. */
    static Optional<Duration> duration(String value, Duration max, String name) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw ApiException.badRequest(name + " must look like 500ms, 2s, 15m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        Duration d = switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMillis(n);
        };
        if (d.isZero() || d.compareTo(max) > 0) {
            throw ApiException.badRequest(name + " must be more than zero and at most " + max.toSeconds() + " s");
        }
        return Optional.of(d);
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    private static void fail(Context ctx, ApiException error) {
        error.headers().forEach(ctx::header);
        ctx.status(error.status()).json(new ApiException.Body(error.error(), error.getMessage()));
    }
}
