package io.millrace.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Role;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The OpenAPI document declares every parameter with its type and required-ness, and every request body's type. */
class OpenApiDocumentTest {

    record Objective(Optional<String> endpoint, Long p99ThresholdMicros) {
    }

    @Test
    void declaresPathAndQueryParametersWithTypesRequiredNessAndExamples() {
        Doc doc = Doc.of("A series").access(Access.roles(Role.OPERATOR)).path("service", "a service id", "checkout").query("n", "integer", "how many")
                .requiredQuery("q", "string", "terms", "ferry");

        JsonNode parameters = operation("get", "/api/services/{service}/{endpoint}", doc).get("parameters");

        assertThat(parameters).extracting(p -> p.get("name").asText() + " in " + p.get("in").asText() + ": "
                        + p.get("schema").get("type").asText() + (p.get("required").asBoolean() ? ", required" : ""))
                .containsExactly("service in path: string, required", "endpoint in path: string, required", "n in query: integer",
                        "q in query: string, required");
        assertThat(parameters.get(0).get("example").asText()).isEqualTo("checkout");
    }

    @Test
    void declaresTheRequestBodyAndItsRefusals() {
        JsonNode operation = operation("put", "/api/slos/{service}", Doc.of("Set an SLO").access(Access.open("test"))
                .accepts(Objective.class).status(202));

        assertThat(operation.at("/requestBody/content/application~1json/schema/$ref").asText()).isEqualTo("#/components/schemas/Objective");
        assertThat(operation.get("responses").fieldNames()).toIterable().containsExactly("202", "400", "413", "415");
    }

    @Test
    void declaresWhoMayCallEachOperationAndHowTheyAuthenticate() {
        JsonNode owned = operation("get", "/api/messenger/users/{user}/inbox", Doc.of("An inbox").access(Access.ownData("inbox")));
        JsonNode open = operation("get", "/health", Doc.of("Liveness").access(Access.open("orchestrators' probes")));
        JsonNode document = OpenApiDocument.build("Millrace", "1", "", List.of(new ApiRoutes.Operation("get", "/health",
                Doc.of("Liveness").access(Access.open("probes")))));

        assertThat(owned.get("x-millrace-roles")).extracting(JsonNode::asText).containsExactly("user");
        assertThat(owned.get("description").asText()).isEqualTo("Who may call it: user: the caller's own inbox.");
        assertThat(owned.get("security").toString()).isEqualTo("[{\"bearerAuth\":[]},{\"sessionCookie\":[]}]");
        assertThat(owned.get("responses").fieldNames()).toIterable().contains("401", "403");
        assertThat(open.get("security").toString()).isEqualTo("[{}]");
        assertThat(document.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void statesTheRequestLimitsInItsDescription() {
        JsonNode document = OpenApiDocument.build("Millrace", "1", "At most 1 MiB.", List.of());

        assertThat(document.at("/info/description").asText()).isEqualTo("At most 1 MiB.");
    }

    private static JsonNode operation(String method, String path, Doc doc) {
        JsonNode document = OpenApiDocument.build("Millrace", "1", "", List.of(new ApiRoutes.Operation(method, path, doc)));
        return document.get("paths").get(path).get(method);
    }
}
