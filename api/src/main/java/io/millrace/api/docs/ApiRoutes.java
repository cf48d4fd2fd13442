package io.millrace.api.docs;

import io.javalin.config.RoutesConfig;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Authentication;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/** Registers routes on Javalin and records each one's {@link Doc}, so the OpenAPI document is never a hand-kept copy. */
public final class ApiRoutes {

    private final RoutesConfig routes;
    private final List<Operation> operations = new ArrayList<>();

    public ApiRoutes(RoutesConfig routes) {
        this.routes = routes;
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
