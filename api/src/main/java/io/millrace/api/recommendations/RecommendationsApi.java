package io.millrace.api.recommendations;

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
import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.FeedUpdate;
import io.millrace.schemas.recommendations.Interaction;
import io.millrace.schemas.recommendations.InteractionKind;
import io.millrace.topology.recommendations.InteractionRules;
import io.millrace.topology.recommendations.RecommendationsPipeline;
import io.millrace.topology.recommendations.RecommendationsQueries;
import io.millrace.topology.recommendations.RecommendationsStores;
import io.millrace.topology.recommendations.RecommendationsTopics;
import io.millrace.topology.runtime.RunningPipeline;
import io.millrace.topology.runtime.StoreReader;
import io.millrace.topology.runtime.Violation;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;

/**
 * /api/recommendations: a user's feed and interest profile (their own: answered by the instance that owns the user,
 * forwarded there), an item's similar items and the trending items (any signed-in caller: what the site shows everyone,
 * answered by any instance from its global stores), the feed's new entries live; interactions sent as the caller, the
 * catalog written by services and operators.
 */
public final class RecommendationsApi implements PipelineApi<RecommendationsPipeline> {

    private static final String TAG = "recommendations";
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;
    /** Not personal: aggregates of everyone's interactions, shown to every signed-in caller, as a site shows them. */
    private static final Access SHOWN_TO_EVERYONE = Access.roles(Role.USER, Role.SERVICE, Role.OPERATOR);
    private static final Access CATALOG = Access.roles(Role.SERVICE, Role.OPERATOR);
    private static final String ITEM_EXAMPLE = "item-1";

    /** POST /api/recommendations/interactions: what the caller did with an item. */
    public record InteractionRequest(Optional<String> user, String item, String kind, Optional<Long> timestamp) {
    }

    /** POST /api/recommendations/items: an item published or updated. */
    public record ItemRequest(String itemId, String title, String url, String category, String author, Optional<List<String>> tags,
                              Optional<Long> publishedAt) {
    }

    /** The 202 answer: where the event landed. */
    public record Accepted(String topic, int partition, long offset) {
    }

    /** A feed's new entries, as a live event. */
    public record FeedChange(String user, List<String> entered, List<String> top, long timestamp) {
        static FeedChange of(FeedUpdate update) {
            return new FeedChange(update.getUser(), List.copyOf(update.getEntered()), List.copyOf(update.getTop()), update.getTimestamp());
        }
    }

    @Override
    public void register(ApiRoutes routes, RecommendationsPipeline pipeline, RunningPipeline running, ApiContext context) {
        new Handlers(pipeline, running.streams(), context).register(routes);
    }

    /** The routes of one running recommendations pipeline. */
    private static final class Handlers {

        private final RecommendationsPipeline pipeline;
        private final KafkaStreams streams;
        private final ApiContext context;
        private final QueryRouter router;
        private final RecommendationsQueries queries;
        private final FeedFreshness freshness;

        Handlers(RecommendationsPipeline pipeline, KafkaStreams streams, ApiContext context) {
            this.pipeline = pipeline;
            this.streams = streams;
            this.context = context;
            this.router = context.router();
            this.queries = pipeline.queries(StoreReader.of(streams));
            this.freshness = new FeedFreshness(context.meters(), System::currentTimeMillis);
        }

        void register(ApiRoutes routes) {
            routes.get("/api/recommendations/users/{user}/feed", Doc.of("The user's feed: items from their interests, from what "
                                    + "was seen with their recent items and from what is trending, without what they saw, dismissed "
                                    + "or what was deleted, at most 3 of a category in the first 10; trending for a user without "
                                    + "interests yet").tag(TAG).access(Access.ownData("feed"))
                            .returns(RecommendationsQueries.Feed.class).path("user", "a user id", "ana")
                            .query("limit", "integer", "at most this many (1-100, default 20)").keyLookup(),
                    ctx -> {
                        String user = Params.id(ctx, "user");
                        int limit = limit(ctx);
                        Ownership.requireSelf(ctx, user, "feed");
                        router.byKey(ctx, streams, RecommendationsStores.PROFILES, user, local -> {
                            RecommendationsQueries.Feed feed = queries.feed(user, limit, System.currentTimeMillis());
                            feed.items().stream().mapToLong(item -> item.item().publishedAt()).max().ifPresent(freshness::served);
                            return feed;
                        });
                    });
            routes.get("/api/recommendations/users/{user}/profile", Doc.of("The user's interests: their shares of categories, "
                                    + "authors and tags (decayed: recent interactions count most), the current session, how many "
                                    + "items they saw and dismissed; empty for a user without interactions")
                            .tag(TAG).access(Access.ownData("profile")).returns(RecommendationsQueries.Profile.class)
                            .path("user", "a user id", "ana").keyLookup(),
                    ctx -> {
                        String user = Params.id(ctx, "user");
                        Ownership.requireSelf(ctx, user, "profile");
                        router.byKey(ctx, streams, RecommendationsStores.PROFILES, user, local -> queries.interests(user,
                                System.currentTimeMillis()).orElseGet(() -> new RecommendationsQueries.Profile(user, 0, 0, List.of(),
                                List.of(), List.of(), List.of(), 0, 0)));
                    });
            routes.get("/api/recommendations/items/{item}/similar", Doc.of("People who saw this also saw: the items seen most in "
                                    + "sessions with the item, most first (deleted items left out). Any signed-in caller may ask")
                            .tag(TAG).access(SHOWN_TO_EVERYONE).returns(RecommendationsQueries.Similar.class)
                            .path("item", "an item id", ITEM_EXAMPLE)
                            .query("limit", "integer", "at most this many (1-100, default 20)").errors(404),
                    ctx -> {
                        String item = Params.id(ctx, "item");
                        int limit = limit(ctx);
                        router.global(ctx, streams, local -> queries.similar(item, limit)
                                .orElseThrow(() -> ApiException.notFound("No item " + item + " in the catalog")));
                    });
            routes.get("/api/recommendations/trending", Doc.of("The items trending now, in a category or overall: scores decay "
                                    + "exponentially (half-life 2 h by default), each kind of interaction weighing its own. Any "
                                    + "signed-in caller may ask")
                            .tag(TAG).access(SHOWN_TO_EVERYONE).returns(RecommendationsQueries.Trending.class)
                            .query("category", "string", "only this category (default: all)")
                            .query("limit", "integer", "at most this many (1-100, default 20)"),
                    ctx -> {
                        Optional<String> category = Params.queryLabel(ctx, "category");
                        int limit = limit(ctx);
                        router.global(ctx, streams, local -> queries.trending(category, limit, System.currentTimeMillis()));
                    });
            routes.get("/api/recommendations/freshness", Doc.of("How fresh the feeds this instance served in the last minute are: "
                                    + "the age of the newest item of each, median and oldest")
                            .tag(TAG).access(Access.roles(Role.SERVICE, Role.OPERATOR)).returns(FeedFreshness.Figures.class),
                    ctx -> ctx.json(freshness.figures()));
            routes.post("/api/recommendations/interactions", Doc.of("Record what the caller did with an item (VIEW, LIKE, SHARE, "
                                    + "COMMENT, PURCHASE, DOWNLOAD or DISMISS). Accepted while the pipeline is down too, since Kafka "
                                    + "keeps it; an item not in the catalog within a few seconds is rejected by the pipeline")
                            .tag(TAG).access(Access.ownData("interactions: the user is the caller")).accepts(InteractionRequest.class)
                            .returns(Accepted.class).status(202).errors(503),
                    this::interact);
            routes.post("/api/recommendations/items", Doc.of("Publish or update an item of the catalog; new items reach feeds "
                                    + "within seconds").tag(TAG).access(CATALOG).accepts(ItemRequest.class).returns(Accepted.class)
                            .status(202).errors(503),
                    this::publish);
            routes.delete("/api/recommendations/items/{item}", Doc.of("Delete an item of the catalog: it leaves feeds, similar and "
                                    + "trending items").tag(TAG).access(CATALOG).returns(Accepted.class).status(202)
                            .path("item", "an item id", "retired-1").errors(503),
                    ctx -> {
                        String item = Params.id(ctx, "item");
                        answer(ctx, context.publisher().publish(pipeline.recommendationsTopics().items(), item, null));
                    });
            routes.subscribe("/api/recommendations/users/{user}/feed/events", "/api/recommendations/users/{user}/feed/socket",
                    Doc.of("New items entering the top of the user's feed, pushed (server-sent events; the same as a WebSocket at "
                                    + "/api/recommendations/users/{user}/feed/socket)").tag(TAG).access(Access.ownData("feed"))
                            .path("user", "a user id", "ana"),
                    Subscription.of("recommendations-feed", RecommendationsTopics.FEED_UPDATES,
                            pipeline.recommendationsTopics().feedUpdates().valueSerde().deserializer(), ctx -> {
                                String user = Params.id(ctx, "user");
                                Ownership.requireSelf(ctx, user, "feed");
                                return Follow.<FeedUpdate>key(user, update -> Optional.of(new LiveEvent("feed", FeedChange.of(update))));
                            }));
        }

        private void interact(Context ctx) {
            InteractionRequest request = JsonBody.read(ctx, InteractionRequest.class);
            String user = Ownership.actingUser(ctx, request.user().orElse(null), "user");
            InteractionKind kind = kind(request.kind());
            Interaction interaction = new Interaction(user, request.item(), kind, request.timestamp().orElseGet(System::currentTimeMillis));
            refuse(InteractionRules.check(user, interaction));
            answer(ctx, context.publisher().publish(pipeline.recommendationsTopics().interactions(), user, interaction));
        }

        private void publish(Context ctx) {
            ItemRequest request = JsonBody.read(ctx, ItemRequest.class);
            long now = System.currentTimeMillis();
            ContentItem item = new ContentItem(request.itemId(), request.title(), request.url(), request.category(), request.author(),
                    request.tags().orElse(List.of()), request.publishedAt().orElse(now), now);
            refuse(InteractionRules.item(request.itemId(), item));
            answer(ctx, context.publisher().publish(pipeline.recommendationsTopics().items(), request.itemId(), item));
        }

        private static InteractionKind kind(String kind) {
            try {
                InteractionKind parsed = InteractionKind.valueOf(kind == null ? "" : kind.toUpperCase(Locale.ROOT));
                if (parsed != InteractionKind.UNKNOWN) {
                    return parsed;
                }
            } catch (IllegalArgumentException e) {
                // answered below
            }
            throw ApiException.badRequest("field 'kind': expected VIEW, LIKE, SHARE, COMMENT, PURCHASE, DOWNLOAD or DISMISS, was '"
                    + Params.shown(String.valueOf(kind)) + "'");
        }

        private static void refuse(Optional<Violation> violation) {
            if (violation.isPresent()) {
                throw ApiException.badRequest(violation.get().code() + ": " + violation.get().reason());
            }
        }

        private static void answer(Context ctx, CompletableFuture<EventPublisher.Coordinates> published) {
            ctx.future(() -> published.handle((landed, error) -> {
                if (error != null) {
                    throw ApiException.unavailable("The event could not be written to Kafka; try again", QueryRouter.RETRY_AFTER_SECONDS);
                }
                ctx.status(202).json(new Accepted(landed.topic(), landed.partition(), landed.offset()));
                return null;
            }));
        }

        private static int limit(Context ctx) {
            return Params.wholeNumber(ctx, "limit", 1, MAX_LIMIT).map(Long::intValue).orElse(DEFAULT_LIMIT);
        }
    }
}
