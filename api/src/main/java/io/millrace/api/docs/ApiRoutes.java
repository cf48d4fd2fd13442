package io.millrace.api.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseHandler;
import io.millrace.api.ApiException;
import io.millrace.api.Json;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Authentication;
import io.millrace.api.auth.Caller;
import io.millrace.api.live.Connection;
import io.millrace.api.live.Follow;
import io.millrace.api.live.LiveEvent;
import io.millrace.api.live.LiveHub;
import io.millrace.api.live.Position;
import io.millrace.api.live.Subscription;
import io.millrace.api.live.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Registers routes on Javalin and records each one's {@link Doc}, so the OpenAPI document is never a hand-kept copy. */
public final class ApiRoutes {

    private static final String FOLLOW = "millrace.live.follow";
    private static final String SINCE = "millrace.live.since";
    private static final String CALLER = "millrace.live.caller";
    private static final String CONNECTION = "millrace.live.connection";

    private final RoutesConfig routes;
    private final LiveHub hub;
    private final Handler identify;
    private final List<Operation> operations = new ArrayList<>();

    /** Routes without subscriptions (a subscription's routes answer 503 here). */
    public ApiRoutes(RoutesConfig routes) {
        this(routes, null, ctx -> { });
    }

    /** {@code identify} reads a request's credential: WebSocket upgrades do not pass the HTTP before-handlers, so it runs there too. */
    public ApiRoutes(RoutesConfig routes, LiveHub hub, Handler identify) {
        this.routes = routes;
        this.hub = hub;
        this.identify = identify;
    }

    public ApiRoutes get(String path, Doc doc, Handler handler) {
        return add(HandlerType.GET, path, doc, handler);
    }

    public ApiRoutes post(String path, Doc doc, Handler handler) {
        return add(HandlerType.POST, path, doc, handler);
    }

    public ApiRoutes put(String path, Doc doc, Handler handler) {
        return add(HandlerType.PUT, path, doc, handler);
    }

    public ApiRoutes delete(String path, Doc doc, Handler handler) {
        return add(HandlerType.DELETE, path, doc, handler);
    }

    /** A route that is served but not part of the public API document (the dashboard, SSE streams). */
    public RoutesConfig undocumented() {
        return routes;
    }

    public List<Operation> operations() {
        return List.copyOf(operations);
    }

    /** A server-sent-events stream (documented in the README, not the OpenAPI document), behind its access. */
    public ApiRoutes sse(String path, Access access, java.util.function.Consumer<io.javalin.http.sse.SseClient> client) {
        routes.before(path, ctx -> Authentication.require(ctx, access));
        routes.sse(path, client);
        return this;
    }

    /**
     * A subscription, served at {@code eventsPath} as server-sent events and at {@code socketPath} as a WebSocket, behind the
     * doc's access; the subscription's follow function then checks ownership. A client resumes with {@code Last-Event-ID}
     * (SSE) or {@code ?since=} (either) set to the last id it received.
     */
    public <V> ApiRoutes subscribe(String eventsPath, String socketPath, Doc doc, Subscription<V> subscription) {
        doc.eventStream(socketPath).query("since", "string", "resume after this event id (or send Last-Event-ID)").errors(406, 503);
        add(HandlerType.GET, eventsPath, doc, ctx -> {
            String accept = ctx.header("Accept");
            if (accept == null || !accept.contains("text/event-stream")) {
                throw new ApiException(406, "not_acceptable", "This is a stream of server-sent events: send Accept: text/event-stream "
                        + "(or open the WebSocket at " + socketPath + ")");
            }
            Follow<V> follow = subscription.follow.apply(ctx);
            Optional<Position> since = since(Optional.ofNullable(ctx.header("Last-Event-ID")).or(() -> Optional.ofNullable(ctx.queryParam("since"))));
            LiveHub live = hub();
            new SseHandler(client -> {
                client.keepAlive();
                Connection<V> connection = live.connect(subscription, follow, since, Transport.sse(client));
                client.onClose(connection::close);
            }).handle(ctx);
        });
        Access access = doc.access;
        routes.wsBeforeUpgrade(socketPath, ctx -> {
            identify.handle(ctx);
            Authentication.require(ctx, access);
            hub();
            ctx.attribute(FOLLOW, subscription.follow.apply(ctx));
            ctx.attribute(SINCE, since(Optional.ofNullable(ctx.queryParam("since"))));
            ctx.attribute(CALLER, Authentication.caller(ctx).orElse(null));
        });
        routes.ws(socketPath, ws -> {
            ws.onConnect(ctx -> {
                Follow<V> follow = ctx.attribute(FOLLOW);
                Optional<Position> since = ctx.attribute(SINCE);
                ctx.attribute(CONNECTION, hub.connect(subscription, follow, since, Transport.webSocket(ctx)));
            });
            ws.onMessage(ctx -> {
                Connection<V> connection = ctx.attribute(CONNECTION);
                if (connection != null) {
                    connection.reply(inbound(subscription, ctx.attribute(CALLER), ctx.message()));
                }
            });
            ws.onClose(ctx -> {
                Connection<V> connection = ctx.attribute(CONNECTION);
                if (connection != null) {
                    connection.close();
                }
            });
            ws.onError(ctx -> {
                Connection<V> connection = ctx.attribute(CONNECTION);
                if (connection != null) {
                    connection.close();
                }
            });
        });
        return this;
    }

    private static <V> LiveEvent inbound(Subscription<V> subscription, Caller caller, String text) {
        if (subscription.inbound().isEmpty()) {
            return new LiveEvent("error", new ApiException.Body("not_accepted", "This stream takes no messages"));
        }
        try {
            JsonNode message = Json.MAPPER.readTree(text);
            if (message == null || !message.isObject()) {
                return new LiveEvent("error", new ApiException.Body("bad_request", "A message is one JSON object"));
            }
            return new LiveEvent("ack", subscription.inbound().get().receive(caller, message));
        } catch (ApiException e) {
            return new LiveEvent("error", e.body());
        } catch (java.io.IOException e) {
            return new LiveEvent("error", new ApiException.Body("bad_request", "A message is one JSON object"));
        }
    }

    private static Optional<Position> since(Optional<String> text) {
        if (text.isEmpty() || text.get().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Position.parse(text.get()).orElseThrow(() -> ApiException.badRequest(
                "since (or Last-Event-ID) is the id of an event this stream sent, e.g. 3:1042")));
    }

    private LiveHub hub() {
        if (hub == null) {
            throw ApiException.unavailable("Subscriptions are not served here", 5);
        }
        return hub;
    }

    private ApiRoutes add(HandlerType method, String path, Doc doc, Handler handler) {
        if (doc.access == null) {
            throw new IllegalStateException("Every endpoint declares who may call it (Doc.access): " + method + " " + path);
        }
        Access access = doc.access;
        Handler guarded = ctx -> {
            Authentication.require(ctx, access);
            handler.handle(ctx);
        };
        if (method.equals(HandlerType.GET)) {
            routes.get(path, guarded);
        } else if (method.equals(HandlerType.POST)) {
            routes.post(path, guarded);
        } else if (method.equals(HandlerType.PUT)) {
            routes.put(path, guarded);
        } else {
            routes.delete(path, guarded);
        }
        operations.add(new Operation(method.name().toLowerCase(java.util.Locale.ROOT), path, doc));
        return this;
    }

    /** One documented operation. */
    public record Operation(String method, String path, Doc doc) {
    }
}
