package io.millrace.api.docs;

import io.javalin.config.RoutesConfig;
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

    private ApiRoutes add(HandlerType method, String path, Doc doc, Handler handler) {
        if (method.equals(HandlerType.GET)) {
            routes.get(path, handler);
        } else if (method.equals(HandlerType.POST)) {
            routes.post(path, handler);
        } else if (method.equals(HandlerType.PUT)) {
            routes.put(path, handler);
        } else {
            routes.delete(path, handler);
        }
        operations.add(new Operation(method.name().toLowerCase(java.util.Locale.ROOT), path, doc));
        return this;
    }

    /** One documented operation. */
    public record Operation(String method, String path, Doc doc) {
    }
}
