package io.millrace.api.pricealerts;

import io.javalin.http.Context;
import io.millrace.api.ApiContext;
import io.millrace.api.ApiException;
import io.millrace.api.EventPublisher;
import io.millrace.api.JsonBody;
import io.millrace.api.Params;
import io.millrace.api.PipelineApi;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Ownership;
import io.millrace.api.auth.Role;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.api.iq.QueryRouter;
import io.millrace.api.live.Follow;
import io.millrace.api.live.LiveEvent;
import io.millrace.api.live.Subscription;
import io.millrace.schemas.pricealerts.PriceAlert;
import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.WatchCancelled;
import io.millrace.schemas.pricealerts.WatchMode;
import io.millrace.topology.pricealerts.Money;
import io.millrace.topology.pricealerts.OfferKeys;
import io.millrace.topology.pricealerts.PricealertsPipeline;
import io.millrace.topology.pricealerts.PricealertsQueries;
import io.millrace.topology.pricealerts.PricealertsQueries.AlertView;
import io.millrace.topology.pricealerts.PricealertsQueries.Best;
import io.millrace.topology.pricealerts.PricealertsQueries.History;
import io.millrace.topology.pricealerts.PricealertsQueries.SearchPage;
import io.millrace.topology.pricealerts.PricealertsQueries.TravelPackage;
import io.millrace.topology.pricealerts.PricealertsQueries.WatchView;
import io.millrace.topology.pricealerts.PricealertsStores;
import io.millrace.topology.pricealerts.PricealertsTopics;
import io.millrace.topology.pricealerts.WatchRules;
import io.millrace.topology.runtime.RunningPipeline;
import io.millrace.topology.runtime.StoreReader;
import io.millrace.topology.runtime.Violation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;

/**
 * /api/pricealerts: searches and best prices (any signed-in caller: prices are what the site shows everyone), price
 * history, packages; a user's own watches and alerts, placed and cancelled as the caller, and followed live.
 *
 * <p>Everything about a search lives in the partition of its search key, so a search, an offer's best price or history is
 * answered by the one instance that owns the key (forwarded there); a package by the owner of its package key; a user's
 * watches and alerts by the owner of the user.
 */
public final class PricealertsApi implements PipelineApi<PricealertsPipeline> {

    private static final String TAG = "pricealerts";
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 200;
    private static final Duration DEFAULT_HISTORY = Duration.ofDays(7);
    private static final Duration MAX_HISTORY = Duration.ofDays(31);
    private static final Access PRICES = Access.roles(Role.USER, Role.SERVICE, Role.OPERATOR);
    private static final String KEY_EXAMPLE = "flight:LHR:JFK:2027-03-02:BA:0830";

    /** POST /api/pricealerts/watches: what to watch and when to fire; the user is the caller. */
    public record WatchRequest(Optional<String> watchId, Optional<String> user, String target, Optional<String> mode,
                               Optional<Long> thresholdMinor, String currency) {
    }

    /** The 202 answer to a watch placed or cancelled: its id and where the event landed. */
    public record Accepted(String watchId, String topic, int partition, long offset) {
    }

    @Override
    public void register(ApiRoutes routes, PricealertsPipeline pipeline, RunningPipeline running, ApiContext context) {
        new Handlers(pipeline, running.streams(), context).register(routes);
    }

    /** The routes of one running pricealerts pipeline. */
    private static final class Handlers {

        private final PricealertsPipeline pipeline;
        private final KafkaStreams streams;
        private final ApiContext context;
        private final QueryRouter router;
        private final PricealertsQueries queries;

        Handlers(PricealertsPipeline pipeline, KafkaStreams streams, ApiContext context) {
            this.pipeline = pipeline;
            this.streams = streams;
            this.context = context;
            this.router = context.router();
            this.queries = pipeline.queries(StoreReader.of(streams));
        }

        void register(ApiRoutes routes) {
            routes.get("/api/pricealerts/search", Doc.of("The live offers of a search, cheapest first: a flight route and date, a "
                                    + "hotel city and stay (optionally one star rating), or a car location and rental days. Any "
                                    + "signed-in caller may search")
                            .tag(TAG).access(PRICES).returns(SearchPage.class)
                            .requiredQuery("kind", "string", "FLIGHT, HOTEL or CAR", "FLIGHT")
                            .query("origin", "string", "FLIGHT: IATA code it leaves from")
                            .query("destination", "string", "FLIGHT: IATA code it arrives at")
                            .query("date", "string", "FLIGHT: departure date, yyyy-MM-dd")
                            .query("city", "string", "HOTEL: IATA city code")
                            .query("checkIn", "string", "HOTEL: yyyy-MM-dd")
                            .query("checkOut", "string", "HOTEL: yyyy-MM-dd, after checkIn")
                            .query("stars", "integer", "HOTEL: only hotels of this rating (1-5)")
                            .query("location", "string", "CAR: IATA code")
                            .query("pickup", "string", "CAR: yyyy-MM-dd")
                            .query("dropOff", "string", "CAR: yyyy-MM-dd, not before pickup")
                            .query("currency", "string", "show prices in this ISO 4217 currency (default USD)")
                            .query("limit", "integer", "at most this many (1-200, default 50)")
                            .query("after", "string", "the previous page's next")
                            .keyLookup(),
                    this::search);
            routes.get("/api/pricealerts/offers/{key}/best", Doc.of("The best live price of an offer (with every provider's live "
                                    + "quote) or of a search (its cheapest offer). Any signed-in caller may ask")
                            .tag(TAG).access(PRICES).returns(Best.class)
                            .path("key", "an offer key or a search key (see the README: offer keys)", KEY_EXAMPLE)
                            .query("currency", "string", "show prices in this ISO 4217 currency (default USD)").keyLookup().errors(404),
                    this::best);
            routes.get("/api/pricealerts/offers/{key}/history", Doc.of("The lowest price of each hour an offer was quoted in (kept "
                                    + "30 days). Any signed-in caller may ask")
                            .tag(TAG).access(PRICES).returns(History.class)
                            .path("key", "an offer key (see the README: offer keys)", KEY_EXAMPLE)
                            .query("from", "string", "epoch millis or ISO-8601 (default: 7 days before 'to')")
                            .query("to", "string", "epoch millis or ISO-8601 (default: now); at most 31 days after 'from'")
                            .query("currency", "string", "show prices in this ISO 4217 currency (default USD)").keyLookup(),
                    this::history);
            routes.get("/api/pricealerts/packages", Doc.of("The cheapest flight into a destination on the first day with the "
                                    + "cheapest hotel there until the last (and car, with car=true), kept current as quotes change. "
                                    + "Any signed-in caller may ask")
                            .tag(TAG).access(PRICES).returns(TravelPackage.class)
                            .requiredQuery("destination", "string", "IATA code of the destination (its airport, city and car location)", "LIS")
                            .requiredQuery("from", "string", "arrival and check-in day, yyyy-MM-dd", "2027-03-02")
                            .requiredQuery("to", "string", "check-out day, yyyy-MM-dd", "2027-03-05")
                            .query("car", "boolean", "add the cheapest rental car for the same days")
                            .query("origin", "string", "only flights from this IATA code")
                            .query("currency", "string", "show prices in this ISO 4217 currency (default USD)").keyLookup().errors(404),
                    this::packages);
            routes.post("/api/pricealerts/watches", Doc.of("Watch an offer or a search as the caller: fire once each time its best "
                                    + "price crosses to or below a threshold (or, with mode ANY_DROP, drops below the price first "
                                    + "seen). Accepted while the pipeline is down too, since Kafka keeps the watch")
                            .tag(TAG).access(Access.ownData("watches: the user is the caller")).accepts(WatchRequest.class)
                            .returns(Accepted.class).status(202).errors(503),
                    this::watch);
            routes.delete("/api/pricealerts/watches/{id}", Doc.of("Cancel one of the caller's watches; a watch the caller does not "
                                    + "have is refused by the pipeline (pricealerts.rejected, UNKNOWN_WATCH) and nothing changes")
                            .tag(TAG).access(Access.ownData("watches: the user is the caller")).returns(Accepted.class).status(202)
                            .path("id", "a watch id", "w-1").errors(503),
                    this::cancel);
            routes.get("/api/pricealerts/users/{user}/watches", Doc.of("A user's watches, by id").tag(TAG)
                            .access(Access.ownData("watches")).returnsListOf(WatchView.class).path("user", "a user id", "ana").keyLookup(),
                    ctx -> {
                        String user = Params.id(ctx, "user");
                        Ownership.requireSelf(ctx, user, "watches");
                        router.byKey(ctx, streams, PricealertsStores.USER_WATCHES, user, local -> queries.watches(user));
                    });
            routes.get("/api/pricealerts/users/{user}/alerts", Doc.of("A user's alerts, newest first (kept 30 days)").tag(TAG)
                            .access(Access.ownData("alerts")).returnsListOf(AlertView.class).path("user", "a user id", "ana")
                            .query("limit", "integer", "at most this many (1-200, default 50)").keyLookup(),
                    ctx -> {
                        String user = Params.id(ctx, "user");
                        int limit = limit(ctx);
                        Ownership.requireSelf(ctx, user, "alerts");
                        router.byKey(ctx, streams, PricealertsStores.USER_ALERTS, user, local -> queries.alerts(user, limit));
                    });
            routes.subscribe("/api/pricealerts/users/{user}/alerts/events", "/api/pricealerts/users/{user}/alerts/socket",
                    Doc.of("A user's alerts as they fire, pushed (server-sent events; the same as a WebSocket at "
                                    + "/api/pricealerts/users/{user}/alerts/socket)").tag(TAG).access(Access.ownData("alerts"))
                            .path("user", "a user id", "ana"),
                    Subscription.of("pricealerts-user-alerts", PricealertsTopics.NOTIFICATIONS,
                            pipeline.pricealertsTopics().notifications().valueSerde().deserializer(), ctx -> {
                                String user = Params.id(ctx, "user");
                                Ownership.requireSelf(ctx, user, "alerts");
                                return Follow.<PriceAlert>key(user, alert -> Optional.of(new LiveEvent("alert", AlertView.of(alert))));
                            }));
        }

        private void search(Context ctx) {
            String kind = Params.required(ctx, "kind").toUpperCase(Locale.ROOT);
            String searchKey = switch (kind) {
                case "FLIGHT" -> OfferKeys.flightSearch(place(ctx, "origin"), place(ctx, "destination"), day(ctx, "date").toString());
                case "HOTEL" -> hotelSearch(ctx);
                case "CAR" -> {
                    LocalDate pickup = day(ctx, "pickup");
                    LocalDate dropOff = day(ctx, "dropOff");
                    if (dropOff.isBefore(pickup)) {
                        throw ApiException.badRequest("query parameter 'dropOff' must not be before 'pickup'");
                    }
                    yield OfferKeys.carSearch(place(ctx, "location"), pickup.toString(), dropOff.toString());
                }
                default -> throw ApiException.badRequest("query parameter 'kind': expected FLIGHT, HOTEL or CAR, was '"
                        + Params.shown(kind) + "'");
            };
            if (OfferKeys.parse(searchKey).isEmpty()) {
                throw ApiException.badRequest("not a search: " + searchKey + " (origin and destination must differ)");
            }
            Optional<String> after = Params.query(ctx, "after", PricealertsQueries::cursor, "the 'next' of a previous page");
            int limit = limit(ctx);
            String currency = currency(ctx);
            router.byKey(ctx, streams, PricealertsStores.SEARCH_INDEX, OfferKeys.searchKeyOf(searchKey), local ->
                    queries.search(searchKey, after, limit, shown(currency), System.currentTimeMillis()));
        }

        private String hotelSearch(Context ctx) {
            LocalDate checkIn = day(ctx, "checkIn");
            LocalDate checkOut = day(ctx, "checkOut");
            if (!checkOut.isAfter(checkIn)) {
                throw ApiException.badRequest("query parameter 'checkOut' must be after 'checkIn'");
            }
            String city = place(ctx, "city");
            Optional<Long> stars = Params.wholeNumber(ctx, "stars", 1, 5);
            return stars.map(s -> OfferKeys.hotelSearch(city, checkIn.toString(), checkOut.toString(), s.intValue()))
                    .orElseGet(() -> OfferKeys.hotelSearch(city, checkIn.toString(), checkOut.toString()));
        }

        private void best(Context ctx) {
            OfferKeys.Target target = target(ctx);
            String currency = currency(ctx);
            router.byKey(ctx, streams, PricealertsStores.OFFERS, target.searchKey(), local ->
                    queries.best(target, shown(currency), System.currentTimeMillis())
                            .orElseThrow(() -> ApiException.notFound("No live price for " + target.key())));
        }

        private void history(Context ctx) {
            OfferKeys.Target target = target(ctx);
            if (!target.offer()) {
                throw ApiException.badRequest("path parameter 'key': history is kept per offer, and " + target.key() + " is a search");
            }
            Instant to = time(ctx, "to").orElseGet(Instant::now);
            Instant from = time(ctx, "from").orElse(to.minus(DEFAULT_HISTORY));
            if (!from.isBefore(to) || Duration.between(from, to).compareTo(MAX_HISTORY) > 0) {
                throw ApiException.badRequest("query parameters 'from' and 'to': 'from' before 'to', at most 31 days apart");
            }
            String currency = currency(ctx);
            router.byKey(ctx, streams, PricealertsStores.HISTORY, target.searchKey(), local ->
                    queries.history(target.key(), from, to, shown(currency)));
        }

        private void packages(Context ctx) {
            String destination = place(ctx, "destination");
            LocalDate from = day(ctx, "from");
            LocalDate to = day(ctx, "to");
            if (!to.isAfter(from)) {
                throw ApiException.badRequest("query parameter 'to' must be after 'from'");
            }
            boolean car = Params.query(ctx, "car", v -> v.equals("true") ? Optional.of(true) : v.equals("false") ? Optional.of(false)
                    : Optional.empty(), "true or false").orElse(false);
            Optional<String> origin = Params.query(ctx, "origin").map(o -> {
                if (!OfferKeys.isPlace(o) || o.equals(destination)) {
                    throw ApiException.badRequest("query parameter 'origin' must be a 3-letter IATA code other than the destination");
                }
                return o;
            });
            String currency = currency(ctx);
            router.byKey(ctx, streams, PricealertsStores.PACKAGES, OfferKeys.packageKey(destination, from.toString()), local -> {
                PricealertsQueries.PackageAnswer answer = queries.packageOf(destination, from.toString(), to.toString(), car, origin,
                        shown(currency), System.currentTimeMillis());
                return answer.found().orElseThrow(() -> ApiException.notFound("No package: no live price for "
                        + String.join(", nor for ", answer.missing())));
            });
        }

        private void watch(Context ctx) {
            WatchRequest request = JsonBody.read(ctx, WatchRequest.class);
            String user = Ownership.actingUser(ctx, request.user().orElse(null), "user");
            WatchMode mode = request.mode().map(m -> switch (m) {
                case "THRESHOLD" -> WatchMode.THRESHOLD;
                case "ANY_DROP" -> WatchMode.ANY_DROP;
                default -> throw ApiException.badRequest("field 'mode': expected THRESHOLD or ANY_DROP, was '" + Params.shown(m) + "'");
            }).orElse(WatchMode.THRESHOLD);
            String watchId = request.watchId().orElseGet(() -> UUID.randomUUID().toString());
            PriceWatch watch = new PriceWatch(watchId, user, request.target(), mode, request.thresholdMinor().orElse(null),
                    request.currency(), System.currentTimeMillis());
            Optional<Violation> violation = WatchRules.check(user, watch, System.currentTimeMillis());
            if (violation.isPresent()) {
                throw ApiException.badRequest(violation.get().code() + ": " + violation.get().reason());
            }
            answer(ctx, watchId, context.publisher().publish(pipeline.pricealertsTopics().watches(), user, watch));
        }

        private void cancel(Context ctx) {
            String user = Ownership.actingUser(ctx, null, "user");
            String watchId = Params.id(ctx, "id");
            WatchCancelled cancelled = new WatchCancelled(watchId, user, System.currentTimeMillis());
            answer(ctx, watchId, context.publisher().publish(pipeline.pricealertsTopics().cancellations(), user, cancelled));
        }

        private static void answer(Context ctx, String watchId, CompletableFuture<EventPublisher.Coordinates> published) {
            ctx.future(() -> published.handle((landed, error) -> {
                if (error != null) {
                    throw ApiException.unavailable("The watch could not be written to Kafka; try again", QueryRouter.RETRY_AFTER_SECONDS);
                }
                ctx.status(202).json(new Accepted(watchId, landed.topic(), landed.partition(), landed.offset()));
                return null;
            }));
        }

        /** The key of the path, parsed; a key that is none of the documented ones is a 400. */
        private static OfferKeys.Target target(Context ctx) {
            String key = Params.path(ctx, "key", k -> OfferKeys.parse(k).isPresent(),
                    "an offer key or a search key, such as " + KEY_EXAMPLE + " or flight:LHR:JFK:2027-03-02");
            return OfferKeys.parse(key).orElseThrow();
        }

        /** The currency asked for, checked against the rates on the instance that answers. */
        private String currency(Context ctx) {
            String currency = Params.query(ctx, "currency").orElse(Money.USD);
            if (!Money.isCurrency(currency)) {
                throw ApiException.badRequest("query parameter 'currency' must be an ISO 4217 code, was '" + Params.shown(currency) + "'");
            }
            return currency;
        }

        private String shown(String currency) {
            if (!queries.canShowIn(currency)) {
                throw ApiException.badRequest("No exchange rate for " + currency + " on " + PricealertsTopics.FX_RATES + " yet");
            }
            return currency;
        }

        private static String place(Context ctx, String name) {
            String place = Params.required(ctx, name);
            if (!OfferKeys.isPlace(place)) {
                throw ApiException.badRequest("query parameter '" + name + "' must be a 3-letter IATA code such as LIS, was '"
                        + Params.shown(place) + "'");
            }
            return place;
        }

        private static LocalDate day(Context ctx, String name) {
            String value = Params.required(ctx, name);
            return OfferKeys.date(value).orElseThrow(() -> ApiException.badRequest("query parameter '" + name
                    + "': expected a date, yyyy-MM-dd, was '" + Params.shown(value) + "'"));
        }

        private static int limit(Context ctx) {
            return Params.wholeNumber(ctx, "limit", 1, MAX_LIMIT).map(Long::intValue).orElse(DEFAULT_LIMIT);
        }

        private static Optional<Instant> time(Context ctx, String name) {
            return Params.query(ctx, name, value -> {
                try {
                    return Optional.of(value.matches("\\d{1,15}") ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.parse(value));
                } catch (DateTimeParseException e) {
                    return Optional.empty();
                }
            }, "epoch millis or an ISO-8601 instant");
        }
    }
}
