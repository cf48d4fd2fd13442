package io.millrace.api.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.millrace.api.ApiException;
import io.millrace.api.Json;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.schemas.registry.RegisteredSchema;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.registry.SchemaRegistryException;

/**
 * The Confluent Schema Registry REST API (Avro) over our Kafka-backed registry, under /registry, so
 * any Confluent-compatible client can register and fetch schemas here.
 */
public final class RegistryRoutes {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String PREFIX = "/registry";

    private final SchemaRegistry registry;

    public RegistryRoutes(SchemaRegistry registry) {
        this.registry = registry;
    }

    /** Body of POST /subjects/{subject}/versions and the lookup and compatibility calls. */
    public record SchemaRequest(String schema, String schemaType) {
    }

    /** GET /schemas/ids/{id}. */
    public record SchemaString(String schema) {
    }

    /** Answer of a registration. */
    public record Id(int id) {
    }

    /** One version of a subject, as Confluent returns it. */
    public record SubjectVersion(String subject, int version, int id, String schema) {
        static SubjectVersion of(RegisteredSchema registered) {
            return new SubjectVersion(registered.subject(), registered.version(), registered.id(), registered.schema());
        }
    }

    /** Answer of a compatibility check. */
    public record Compatibility(boolean is_compatible) {
    }

    /** GET /config. */
    public record ConfigLevel(String compatibilityLevel) {
    }

    /** PUT /config body and answer. */
    public record ConfigUpdate(String compatibility) {
    }

    /** Confluent's error body; "error" and "detail" repeat it in the shape of the rest of the API. */
    public record RegistryError(int error_code, String message, String error, String detail) {
    }

    public void register(ApiRoutes routes) {
        routes.get(PREFIX + "/subjects", doc("List subjects").returnsListOf(String.class),
                ctx -> respond(ctx, registry.subjects()));
        routes.post(PREFIX + "/subjects/{subject}/versions", doc("Register a schema under a subject").accepts(SchemaRequest.class)
                        .returns(Id.class).errors(409, 422),
                ctx -> respond(ctx, new Id(registry.register(ctx.pathParam("subject"), schemaOf(ctx)).id())));
        routes.get(PREFIX + "/subjects/{subject}/versions", doc("List a subject's versions").returnsListOf(Integer.class).errors(404),
                ctx -> respond(ctx, registry.versions(ctx.pathParam("subject"))));
        routes.get(PREFIX + "/subjects/{subject}/versions/{version}", doc("Get a version (a number or latest)")
                        .returns(SubjectVersion.class).errors(404, 422),
                ctx -> respond(ctx, SubjectVersion.of(registry.version(ctx.pathParam("subject"), ctx.pathParam("version")))));
        routes.get(PREFIX + "/subjects/{subject}/versions/{version}/schema", doc("Get only the schema of a version")
                        .returns(Object.class).errors(404, 422),
                ctx -> {
                    String schema = registry.version(ctx.pathParam("subject"), ctx.pathParam("version")).schema();
                    ctx.contentType(CONTENT_TYPE).result(schema);
                });
        routes.post(PREFIX + "/subjects/{subject}", doc("Find the version of a schema in a subject").accepts(SchemaRequest.class)
                        .returns(SubjectVersion.class).errors(404),
                ctx -> respond(ctx, SubjectVersion.of(registry.lookup(ctx.pathParam("subject"), schemaOf(ctx))
                        .orElseThrow(() -> SchemaRegistryException.schemaNotFound()))));
        routes.get(PREFIX + "/schemas/ids/{id}", doc("Get a schema by its global id").returns(SchemaString.class).errors(404),
                ctx -> respond(ctx, new SchemaString(registry.schemaById(id(ctx)))));
        routes.post(PREFIX + "/compatibility/subjects/{subject}/versions/{version}", doc("Test a schema against a version")
                        .accepts(SchemaRequest.class).returns(Compatibility.class).errors(404, 422),
                ctx -> respond(ctx, new Compatibility(registry.isCompatible(ctx.pathParam("subject"), ctx.pathParam("version"), schemaOf(ctx)))));
        routes.get(PREFIX + "/config", doc("Global compatibility level").returns(ConfigLevel.class),
                ctx -> respond(ctx, new ConfigLevel(registry.compatibility(null).name())));
        routes.put(PREFIX + "/config", doc("Set the global compatibility level").accepts(ConfigUpdate.class).returns(ConfigUpdate.class).errors(422),
                ctx -> respond(ctx, new ConfigUpdate(registry.setCompatibility(null, level(ctx)).name())));
        routes.get(PREFIX + "/config/{subject}", doc("A subject's compatibility level (falls back to global)").returns(ConfigLevel.class),
                ctx -> respond(ctx, new ConfigLevel(registry.compatibility(ctx.pathParam("subject")).name())));
        routes.put(PREFIX + "/config/{subject}", doc("Set a subject's compatibility level").accepts(ConfigUpdate.class)
                        .returns(ConfigUpdate.class).errors(422),
                ctx -> respond(ctx, new ConfigUpdate(registry.setCompatibility(ctx.pathParam("subject"), level(ctx)).name())));
    }

    /** Renders registry failures the way Confluent clients expect them. */
    public static void handle(SchemaRegistryException error, Context ctx) {
        ctx.status(error.httpStatus()).contentType(CONTENT_TYPE).json(
                new RegistryError(error.errorCode(), error.getMessage(), "registry_" + error.errorCode(), error.getMessage()));
    }

    private static Doc doc(String summary) {
        return Doc.of(summary).tag("schema registry");
    }

    private static void respond(Context ctx, Object body) {
        ctx.contentType(CONTENT_TYPE).json(body);
    }

    private static String schemaOf(Context ctx) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.body());
        } catch (Exception e) {
            throw ApiException.badRequest("The body must be JSON like {\"schema\": \"...\"}");
        }
        if (body == null || !body.hasNonNull("schema") || !body.get("schema").isTextual()) {
            throw SchemaRegistryException.invalidSchema("The body must have a \"schema\" string");
        }
        JsonNode type = body.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
            throw SchemaRegistryException.invalidSchema("Only AVRO schemas are supported, not " + type.asText());
        }
        return body.get("schema").asText();
    }

    private static String level(Context ctx) {
        try {
            JsonNode body = Json.MAPPER.readTree(ctx.body());
            if (body != null && body.hasNonNull("compatibility")) {
                return body.get("compatibility").asText();
            }
        } catch (Exception e) {
            throw ApiException.badRequest("The body must be JSON like {\"compatibility\": \"BACKWARD\"}");
        }
        throw SchemaRegistryException.invalidCompatibilityLevel();
    }

    private static int id(Context ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("A schema id is a whole number");
        }
    }
}
