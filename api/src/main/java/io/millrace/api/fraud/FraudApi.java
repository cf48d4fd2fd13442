package io.millrace.api.fraud;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.http.Context;
import io.millrace.api.ApiContext;
import io.millrace.api.ApiException;
import io.millrace.api.Json;
import io.millrace.api.JsonBody;
import io.millrace.api.Params;
import io.millrace.api.PipelineApi;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Role;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.api.fraud.FraudViews.AuthorizeRequest;
import io.millrace.api.fraud.FraudViews.CardView;
import io.millrace.api.fraud.FraudViews.DecisionView;
import io.millrace.api.fraud.FraudViews.Series;
import io.millrace.api.fraud.FraudViews.Stats;
import io.millrace.api.fraud.FraudViews.StatsPart;
import io.millrace.api.iq.QueryRouter;
import io.millrace.api.live.Follow;
import io.millrace.api.live.LiveEvent;
import io.millrace.api.live.Subscription;
import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.AuthorizationRequest;
import io.millrace.schemas.fraud.Decision;
import io.millrace.schemas.fraud.TokenizedAuthorization;
import io.millrace.topology.fraud.CardReference;
import io.millrace.topology.fraud.CardTokenizer;
import io.millrace.topology.fraud.DecisionNotifier;
import io.millrace.topology.fraud.EventRules;
import io.millrace.topology.fraud.FraudPipeline;
import io.millrace.topology.fraud.FraudQueries;
import io.millrace.topology.fraud.FraudStores;
import io.millrace.topology.fraud.FraudTopics;
import io.millrace.topology.fraud.Tokenization;
import io.millrace.topology.runtime.RunningPipeline;
import io.millrace.topology.runtime.StoreReader;
import io.millrace.topology.runtime.Violation;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;

/**
 * /api/fraud: decisions by transaction id (optionally waiting for one), cards by token, decision statistics, and
 * a synchronous authorization for web clients that publishes the request and waits up to 2 s for its decision.
 */
public final class FraudApi implements PipelineApi<FraudPipeline> {

    static final Duration AUTHORIZE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration MAX_WAIT = Duration.ofSeconds(4);
    static final Duration MAX_STATS_WINDOW = Duration.ofHours(24);
    static final int MAX_SERIES_STEPS = 1_000;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");
    // Shaped like a token, so that the document's example passes validation; it names no card.
    private static final String EXAMPLE_TOKEN = "A".repeat(CardTokenizer.TOKEN_LENGTH);

    @Override
    public void register(ApiRoutes routes, FraudPipeline pipeline, RunningPipeline running, ApiContext context) {
        new Handlers(pipeline, running.streams(), context).register(routes);
    }

    /** The routes of one running fraud pipeline. */
    private static final class Handlers {

        private final FraudPipeline pipeline;
        private final KafkaStreams streams;
        private final ApiContext context;
        private final FraudQueries queries;
        /** For the figures every instance adds its part to: active partitions only, or a standby would count one twice. */
        private final FraudQueries totals;
        private final DecisionNotifier notifier;

        Handlers(FraudPipeline pipeline, KafkaStreams streams, ApiContext context) {
            this.pipeline = pipeline;
            this.streams = streams;
            this.context = context;
            this.queries = new FraudQueries(StoreReader.of(streams));
            this.totals = new FraudQueries(StoreReader.active(streams));
            this.notifier = pipeline.notifier();
        }

        void register(ApiRoutes routes) {
            // Registered before /api/fraud/decisions/{transactionId}, which would otherwise take "events" for an id.
            routes.subscribe("/api/fraud/decisions/events", "/api/fraud/decisions/socket", Doc.of("Decisions as they are made, "
                            + "pushed (server-sent events; the same as a WebSocket at /api/fraud/decisions/socket): the review desk "
                            + "follows ?outcome=REVIEW. Cards are shown by token and last four digits only")
                    .tag("fraud").access(Access.roles(Role.OPERATOR)).query("outcome", "string", "only APPROVE, DECLINE or REVIEW"),
                    Subscription.of("fraud-decisions", FraudTopics.DECISIONS, pipeline.fraudTopics().decisions().valueSerde().deserializer(),
                            ctx -> {
                                Optional<Decision> outcome = Params.query(ctx, "outcome", value -> Arrays.stream(Decision.values())
                                        .filter(d -> d.name().equals(value)).findFirst(), "APPROVE, DECLINE or REVIEW");
                                return Follow.<AuthorizationDecision>all(decision -> Optional.of(decision)
                                        .filter(d -> outcome.map(d.getDecision()::equals).orElse(true))
                                        .map(d -> new LiveEvent("decision", DecisionView.of(d))));
                            }));
            routes.get("/api/fraud/decisions/{transactionId}", Doc.of("The decision for a transaction; with ?timeout=2s, wait for it")
                    .tag("fraud").access(Access.roles(Role.OPERATOR, Role.SERVICE)).returns(DecisionView.class).path("transactionId", "a transaction id", "tx-1")
                    .query("timeout", "string", "Wait up to this long (e.g. 2s, 500ms; at most 4s) for a decision not made yet")
                    .keyLookup().errors(404), this::decision);
            routes.get("/api/fraud/cards/{cardToken}", Doc.of("A card's available credit, limit, status and recent decisions")
                    .tag("fraud").access(Access.roles(Role.OPERATOR)).returns(CardView.class)
                    .path("cardToken", "the card's token: " + CardTokenizer.TOKEN_LENGTH + " base64url characters", EXAMPLE_TOKEN)
                    .keyLookup().errors(404), this::card);
            routes.get("/api/fraud/stats", Doc.of("Approvals, declines, reviews and top reasons over a recent window")
                    .tag("fraud").access(Access.roles(Role.OPERATOR)).returns(FraudViews.StatsAnswer.class).query("window", "string", "e.g. 1m (default), 15m, 1h, 24h").errors(503),
                    this::stats);
            routes.get("/api/fraud/stats/series", Doc.of("Approvals, declines and reviews per step over a recent window (the decision "
                            + "mix over time), all instances").tag("fraud").access(Access.roles(Role.OPERATOR)).returns(FraudViews.SeriesAnswer.class)
                    .query("window", "string", "e.g. 15m (default), 1h, 24h")
                    .query("step", "string", "10s to 1h, a multiple of 10s (default 30s); at most " + MAX_SERIES_STEPS + " steps").errors(503),
                    this::series);
            routes.post("/api/fraud/authorize", Doc.of("Authorize a card payment and wait (at most 2 s) for the decision; 503 while "
                            + "the fraud pipeline is not RUNNING, since no decision could come")
                    .tag("fraud").access(Access.roles(Role.SERVICE, Role.OPERATOR)).accepts(AuthorizeRequest.class).returns(DecisionView.class).errors(503, 504), this::authorize);
        }

        private void decision(Context ctx) {
            String transactionId = Params.id(ctx, "transactionId");
            Optional<Duration> wait = Params.query(ctx, "timeout").map(value -> duration(value, MAX_WAIT, "timeout"));
            boolean answerHere = ctx.header(QueryRouter.FORWARDED_HEADER) != null || isOwner(transactionId);
            if (wait.isPresent() && answerHere) {
                CompletableFuture<AuthorizationDecision> decided = awaitLocally(transactionId, wait.get());
                ctx.future(() -> decided.handle((decision, error) -> {
                    if (error != null) {
                        ApiException.unavailable("The decisions store is not queryable right now", QueryRouter.RETRY_AFTER_SECONDS)
                                .writeTo(ctx);
                    } else if (decision == null) {
                        ApiException.notFound("No decision for transaction " + transactionId + " yet").writeTo(ctx);
                    } else {
                        ctx.json(DecisionView.of(decision));
                    }
                    return null;
                }));
                return;
            }
            context.router().byKey(ctx, streams, FraudStores.DECISIONS, transactionId, c -> queries.decision(transactionId)
                    .or(() -> notifier.recent(transactionId))
                    .map(DecisionView::of)
                    .orElseThrow(() -> ApiException.notFound("No decision for transaction " + transactionId)));
        }

        private void card(Context ctx) {
            String token = Params.path(ctx, "cardToken", CardTokenizer::isToken, CardTokenizer.TOKEN_LENGTH
                    + " base64url characters: cards are looked up by their token, never by card number");
            context.router().byKey(ctx, streams, FraudStores.CREDIT_LEDGER, token, c -> queries.card(token).map(CardView::of)
                    .orElseThrow(() -> ApiException.notFound("No card with this token")));
        }

        private void stats(Context ctx) {
            String window = Params.query(ctx, "window").orElse("1m");
            Duration length = duration(window, MAX_STATS_WINDOW, "window");
            Instant to = Instant.now();
            Instant from = to.minus(length);
            context.router().scatter(ctx, streams, FraudStores.DECISION_STATS, c -> StatsPart.of(totals.tally(from, to)),
                    new TypeReference<StatsPart>() { }, parts -> Stats.merge(window, from.toEpochMilli(), to.toEpochMilli(), parts));
        }

        private void series(Context ctx) {
            String window = Params.query(ctx, "window").orElse("15m");
            String step = Params.query(ctx, "step").orElse("30s");
            Duration length = duration(window, MAX_STATS_WINDOW, "window");
            long stepMs = duration(step, Duration.ofHours(1), "step").toMillis();
            if (stepMs % FraudQueries.BUCKET_MS != 0) {
                throw ApiException.badRequest("query parameter 'step' must be a multiple of " + FraudQueries.BUCKET_MS / 1000
                        + " s, the buckets decisions are counted in");
            }
            if (length.toMillis() / stepMs > MAX_SERIES_STEPS) {
                throw ApiException.badRequest("window / step is at most " + MAX_SERIES_STEPS + " steps: take a longer step or a shorter window");
            }
            Instant to = Instant.now();
            Instant from = to.minus(length);
            context.router().scatter(ctx, streams, FraudStores.DECISION_STATS, c -> totals.series(from, to, stepMs),
                    new TypeReference<List<FraudQueries.Step>>() { }, parts -> Series.merge(window, step, from.toEpochMilli(),
                            to.toEpochMilli(), parts));
        }

        /**
         * Tokenizes the request here and publishes it, keyed by card token, straight to the card desk's topic (the card
         * number never reaches Kafka), then answers with the decision once this instance's decision listener has read it
         * committed. A transaction already decided is answered with its first decision.
         */
        private void authorize(Context ctx) {
            AuthorizationRequest request = validated(JsonBody.read(ctx, AuthorizeRequest.class));
            String transactionId = request.getTransactionId();
            boolean owner = isOwner(transactionId);
            Tokenization.Tokenized<TokenizedAuthorization> tokenized = pipeline.tokenize(request);
            CompletableFuture<AuthorizationDecision> decided = notifier.await(transactionId);
            notifier.recent(transactionId).ifPresent(decided::complete);
            if (owner && !decided.isDone()) {
                try {
                    queries.decision(transactionId).ifPresent(decided::complete);
                } catch (RuntimeException storeNotReady) {
                    // Not queryable for a moment: the decider answers a retry with its first decision all the same.
                }
            }
            CompletableFuture<?> published = decided.isDone() ? decided : context.publisher().publish(
                    pipeline.fraudTopics().tokenizedAuthorizations(), tokenized.key(), tokenized.value());
            CompletableFuture<Optional<String>> bounded = published.thenCompose(ignored -> decided)
                    .thenApply(decision -> Optional.of(json(DecisionView.of(decision))))
                    .completeOnTimeout(Optional.empty(), AUTHORIZE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            bounded.whenComplete((body, error) -> decided.complete(null));
            ctx.future(() -> bounded.handle((body, error) -> {
                if (error != null) {
                    ApiException.unavailable("The request could not be published or its decision read; try again",
                            QueryRouter.RETRY_AFTER_SECONDS).writeTo(ctx);
                } else if (body.isEmpty()) {
                    new ApiException(504, "timeout", "No decision for transaction " + transactionId + " within "
                            + AUTHORIZE_TIMEOUT.toSeconds() + " s; it may still come: GET /api/fraud/decisions/" + transactionId)
                            .writeTo(ctx);
                } else {
                    ctx.contentType("application/json").result(body.get());
                }
                return null;
            }));
        }

        /** The decision once committed, or null when {@code wait} has passed. */
        private CompletableFuture<AuthorizationDecision> awaitLocally(String transactionId, Duration wait) {
            CompletableFuture<AuthorizationDecision> decided = notifier.await(transactionId);
            try {
                queries.decision(transactionId).or(() -> notifier.recent(transactionId)).ifPresent(decided::complete);
            } catch (RuntimeException storeNotReady) {
                decided.completeExceptionally(storeNotReady);
            }
            return decided.completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        private AuthorizationRequest validated(AuthorizeRequest body) {
            String transactionId = JsonBody.requireId("transactionId",
                    body.transactionId().filter(id -> !id.isBlank()).orElseGet(() -> UUID.randomUUID().toString()));
            JsonBody.requireId("merchantId", body.merchantId());
            body.merchantCategory().ifPresent(category -> JsonBody.requireLabel("merchantCategory", category));
            long now = System.currentTimeMillis();
            long amount = body.amount() == null ? 0 : body.amount();
            long timestamp = body.timestamp().orElse(now);
            String cardNumber = body.cardNumber().orElse(null);
            String cardToken = body.cardToken().orElse(null);
            Double latitude = body.latitude().orElse(null);
            Double longitude = body.longitude().orElse(null);
            Optional<Violation> violation = EventRules.authorization(transactionId,
                    CardReference.classify(cardNumber, cardToken), body.merchantId(), amount, body.currency(), body.country(), latitude,
                    longitude, timestamp, now);
            if (violation.isPresent()) {
                throw ApiException.badRequest(violation.get().code() + ": " + violation.get().reason());
            }
            return AuthorizationRequest.newBuilder()
                    .setTransactionId(transactionId)
                    .setCardNumber(cardNumber)
                    .setCardToken(cardToken)
                    .setMerchantId(body.merchantId())
                    .setMerchantCategory(body.merchantCategory().orElse("0000"))
                    .setAmount(amount)
                    .setCurrency(body.currency())
                    .setCountry(body.country())
                    .setLatitude(latitude)
                    .setLongitude(longitude)
                    .setTimestamp(timestamp)
                    .build();
        }

        private boolean isOwner(String transactionId) {
            return owner(transactionId).activeHost().equals(context.router().self());
        }

        private KeyQueryMetadata owner(String transactionId) {
            if (streams.state() != KafkaStreams.State.RUNNING) {
                throw ApiException.unavailable("The fraud pipeline is " + streams.state() + "; try again shortly",
                        QueryRouter.RETRY_AFTER_SECONDS);
            }
            KeyQueryMetadata metadata = streams.queryMetadataForKey(FraudStores.DECISIONS, transactionId, Serdes.String().serializer());
            if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
                throw ApiException.unavailable("The owner of this transaction is not known yet (rebalancing)",
                        QueryRouter.RETRY_AFTER_SECONDS);
            }
            return metadata;
        }
    }

    /** "2s", "500ms", "15m", "1h" or plain milliseconds, more than zero and at most {@code max}; {@code name} is the query parameter. */
    static Duration duration(String value, Duration max, String name) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw ApiException.badRequest("query parameter '" + name + "': expected a duration like 500ms, 2s, 15m or 1h, was '"
                    + Params.shown(value) + "'");
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
            throw ApiException.badRequest("query parameter '" + name + "' must be more than zero and at most " + max.toSeconds() + " s");
        }
        return d;
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

}
