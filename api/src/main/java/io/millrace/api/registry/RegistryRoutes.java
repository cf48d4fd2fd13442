package io.millrace.api.registry;

import io.javalin.http.Context;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Role;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.schemas.registry.RegisteredSchema;
import io.millrace.schemas.registry.RegistryRequests;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.registry.SchemaRegistryException;
import java.util.List;
import java.util.Optional;

/**
 * The Confluent Schema Registry REST API (Avro) over our Kafka-backed registry, under /registry, so
 * any Confluent-compatible client can register and fetch schemas here.
 */
public final class RegistryRoutes {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String PREFIX = "/registry";
    private static final String DELETED = "deleted";
    private static final String PERMANENT = "permanent";

    private final SchemaRegistry registry;

    public RegistryRoutes(SchemaRegistry registry) {
        this.registry = registry;
    }

    /**
     * Body of POST /subjects/{subject}/versions and the lookup and compatibility calls. Unknown fields are ignored as
     * Confluent does; {@code references}, if any, must be empty: this registry does not resolve schema references.
     */
    public record SchemaRequest(String schema, Optional<String> schemaType, Optional<List<SchemaReference>> references) {
    }

    /** A schema reference as Confluent's API spells it; only documented, since any reference is refused. */
    public record SchemaReference(String name, String subject, int version) {
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

    /** PUT /config body and answer; the level in any letter case, nothing else (no surrounding spaces). */
    public record ConfigUpdate(String compatibility) {
    }

    /** Confluent's error body; "error" and "detail" repeat it in the shape of the rest of the API. */
    public record RegistryError(int error_code, String message, String error, String detail) {
    }

    public void register(ApiRoutes routes) {
        routes.get(PREFIX + "/subjects", doc("List subjects").returnsListOf(String.class)
                        .query(DELETED, "boolean", "Also list subjects whose versions are all soft-deleted"),
                ctx -> respond(ctx, registry.subjects(flag(ctx, DELETED))));
        routes.delete(PREFIX + "/subjects/{subject}",
                write("Delete a subject: softly, or for good once soft-deleted; answers the versions deleted")
                        .returnsListOf(Integer.class).errors(404)
                        .query(PERMANENT, "boolean",
                                "Delete for good a subject already soft-deleted (40405 otherwise); its schema ids stop resolving"),
                ctx -> respond(ctx, registry.deleteSubject(ctx.pathParam("subject"), flag(ctx, PERMANENT))));
        routes.post(PREFIX + "/subjects/{subject}/versions", write("Register a schema under a subject").accepts(SchemaRequest.class)
                        .returns(Id.class).errors(409, 422),
                ctx -> respond(ctx, new Id(registry.register(ctx.pathParam("subject"), RegistryRequests.schemaOf(ctx.body())).id())));
        routes.get(PREFIX + "/subjects/{subject}/versions", doc("List a subject's versions").returnsListOf(Integer.class).errors(404)
                        .query(DELETED, "boolean", "Also list soft-deleted versions"),
                ctx -> respond(ctx, registry.versions(ctx.pathParam("subject"), flag(ctx, DELETED))));
        routes.get(PREFIX + "/subjects/{subject}/versions/{version}", doc("Get a version (a number or latest)")
                        .returns(SubjectVersion.class).errors(404, 422)
                        .query(DELETED, "boolean", "Also find a soft-deleted version"),
                ctx -> respond(ctx, SubjectVersion.of(version(ctx))));
        routes.delete(PREFIX + "/subjects/{subject}/versions/{version}",
                write("Delete a version: softly, or for good once soft-deleted; answers its number")
                        .returns(Integer.class).errors(404, 422)
                        .query(PERMANENT, "boolean", "Delete for good a version already soft-deleted (40407 otherwise)"),
                ctx -> respond(ctx, registry.deleteVersion(ctx.pathParam("subject"), ctx.pathParam("version"),
                        flag(ctx, PERMANENT))));
        routes.get(PREFIX + "/subjects/{subject}/versions/{version}/schema", doc("Get only the schema of a version")
                        .returns(Object.class).errors(404, 422)
                        .query(DELETED, "boolean", "Also find a soft-deleted version"),
                ctx -> ctx.contentType(CONTENT_TYPE).result(version(ctx).schema()));
        routes.post(PREFIX + "/subjects/{subject}", doc("Find the live version of a schema in a subject").accepts(SchemaRequest.class)
                        .returns(SubjectVersion.class).errors(404, 422),
                ctx -> respond(ctx, SubjectVersion.of(registry.lookup(ctx.pathParam("subject"),
                        RegistryRequests.schemaOf(ctx.body())).orElseThrow(SchemaRegistryException::schemaNotFound))));
        routes.get(PREFIX + "/schemas/ids/{id}", doc("Get a schema by its global id (soft-deleted versions keep theirs)")
                        .returns(SchemaString.class).errors(404),
                ctx -> respond(ctx, new SchemaString(registry.schemaById(id(ctx)))));
        routes.post(PREFIX + "/compatibility/subjects/{subject}/versions/{version}", doc("Test a schema against a version")
                        .accepts(SchemaRequest.class).returns(Compatibility.class).errors(404, 422),
                ctx -> respond(ctx, new Compatibility(registry.isCompatible(ctx.pathParam("subject"), ctx.pathParam("version"),
                        RegistryRequests.schemaOf(ctx.body())))));
        routes.get(PREFIX + "/config", doc("Global compatibility level").returns(ConfigLevel.class),
                ctx -> respond(ctx, new ConfigLevel(registry.compatibility(null).name())));
        routes.put(PREFIX + "/config", write("Set the global compatibility level").accepts(ConfigUpdate.class).returns(ConfigUpdate.class).errors(422),
                ctx -> respond(ctx, new ConfigUpdate(registry.setCompatibility(null,
                        RegistryRequests.compatibilityOf(ctx.body())).name())));
        routes.get(PREFIX + "/config/{subject}", doc("A subject's compatibility level (falls back to global)").returns(ConfigLevel.class),
                ctx -> respond(ctx, new ConfigLevel(registry.compatibility(ctx.pathParam("subject")).name())));
        routes.put(PREFIX + "/config/{subject}", write("Set a subject's compatibility level").accepts(ConfigUpdate.class)
                        .returns(ConfigUpdate.class).errors(422),
                ctx -> respond(ctx, new ConfigUpdate(registry.setCompatibility(ctx.pathParam("subject"),
                        RegistryRequests.compatibilityOf(ctx.body())).name())));
    }

    /** Renders registry failures the way Confluent clients expect them. */
    public static void handle(SchemaRegistryException error, Context ctx) {
        ctx.status(error.httpStatus());
        respond(ctx, new RegistryError(error.errorCode(), error.getMessage(), "registry_" + error.errorCode(), error.getMessage()));
    }

    /** A read: open, since any client must find the schema a record names to decode it. */
    private static Doc doc(String summary) {
        return Doc.of(summary).tag("schema registry").access(Access.open("any client reads schemas to decode records"));
    }

    /** A change to the registry: operators, and services that register their schemas as they produce. */
    private static Doc write(String summary) {
        return Doc.of(summary).tag("schema registry").access(Access.roles(Role.OPERATOR, Role.SERVICE));
    }

    // json() sets application/json itself, so Confluent's media type has to come after it.
    private static void respond(Context ctx, Object body) {
        ctx.json(body).contentType(CONTENT_TYPE);
    }

    private RegisteredSchema version(Context ctx) {
        return registry.version(ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, DELETED));
    }

    // Strict on purpose: "permanent=yes" must not quietly read as false and leave a subject that was meant to go.
    private static boolean flag(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw SchemaRegistryException.badRequest("The query parameter '" + name + "' is true or false");
    }

    private static int id(Context ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw SchemaRegistryException.badRequest("A schema id is a whole number");
        }
    }
}
