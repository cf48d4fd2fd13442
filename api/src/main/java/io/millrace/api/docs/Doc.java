package io.millrace.api.docs;

import io.millrace.api.auth.Access;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/** What the OpenAPI document says of one operation: summary, parameters, request and response types. */
public final class Doc {

    final String summary;
    Access access;
    String tag = "api";
    Type response;
    boolean responseIsList;
    Type requestBody;
    int successStatus = 200;
    String webSocketPath;
    boolean eventStream;
    final List<Param> pathParams = new ArrayList<>();
    final List<Param> queryParams = new ArrayList<>();
    final List<Integer> errorStatuses = new ArrayList<>(List.of(400));

    private Doc(String summary) {
        this.summary = summary;
    }

    public static Doc of(String summary) {
        return new Doc(summary);
    }

    /**
     * A stream of server-sent events ({@code text/event-stream}) that also has a WebSocket at {@code webSocketPath}: the
     * document says so ({@code x-millrace-websocket}) since OpenAPI has no words for a WebSocket.
     */
    public Doc eventStream(String webSocketPath) {
        this.eventStream = true;
        this.webSocketPath = webSocketPath;
        return this;
    }

    /** Who may call the operation; every operation declares it. */
    public Doc access(Access access) {
        this.access = access;
        return this;
    }

    public Access access() {
        return access;
    }

    public Doc tag(String tag) {
        this.tag = tag;
        return this;
    }

    public Doc returns(Type type) {
        this.response = type;
        return this;
    }

    public Doc returnsListOf(Type type) {
        this.response = type;
        this.responseIsList = true;
        return this;
    }

    public Doc accepts(Type type) {
        this.requestBody = type;
        return this;
    }

    public Doc status(int status) {
        this.successStatus = status;
        return this;
    }

    /** A path parameter: what it is and a value that is one (a parameter not declared is documented as a plain string). */
    public Doc path(String name, String description, String example) {
        pathParams.add(new Param(name, "string", description, true, example));
        return this;
    }

    /** An optional query parameter; {@code type} is a JSON Schema type. */
    public Doc query(String name, String type, String description) {
        queryParams.add(new Param(name, type, description, false, null));
        return this;
    }

    public Doc requiredQuery(String name, String type, String description, String example) {
        queryParams.add(new Param(name, type, description, true, example));
        return this;
    }

    /** A lookup by key through the query router: it takes ?maxLag, and answers 503 while the owner is not known. */
    public Doc keyLookup() {
        query("maxLag", "integer", "let a standby answer when it is at most this many records behind (default: the active only)");
        return errors(503);
    }

    public Doc errors(int... statuses) {
        for (int status : statuses) {
            errorStatuses.add(status);
        }
        return this;
    }

    record Param(String name, String type, String description, boolean required, String example) {
    }
}
