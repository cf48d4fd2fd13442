package io.millrace.api.docs;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/** What the OpenAPI document says of one operation: summary, parameters, request and response types. */
public final class Doc {

    final String summary;
    String tag = "api";
    Type response;
    boolean responseIsList;
    Type requestBody;
    int successStatus = 200;
    final List<Param> queryParams = new ArrayList<>();
    final List<Integer> errorStatuses = new ArrayList<>(List.of(400));

    private Doc(String summary) {
        this.summary = summary;
    }

    public static Doc of(String summary) {
        return new Doc(summary);
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

    public Doc query(String name, String type, String description) {
        queryParams.add(new Param(name, type, description));
        return this;
    }

    public Doc errors(int... statuses) {
        for (int status : statuses) {
            errorStatuses.add(status);
        }
        return this;
    }

    record Param(String name, String type, String description) {
    }
}
