package io.millrace.schemas.registry;

import java.util.List;

/** A registry failure carrying the HTTP status and error code the Confluent REST API uses for it. */
public class SchemaRegistryException extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    public static SchemaRegistryException subjectNotFound(String subject) {
        return new SchemaRegistryException(404, 40401, "Subject '" + subject + "' not found.", null);
    }

    public static SchemaRegistryException versionNotFound(int version) {
        return new SchemaRegistryException(404, 40402, "Version " + version + " not found.", null);
    }

    public static SchemaRegistryException schemaNotFound() {
        return new SchemaRegistryException(404, 40403, "Schema not found", null);
    }

    public static SchemaRegistryException schemaNotFound(int id) {
        return new SchemaRegistryException(404, 40403, "Schema " + id + " not found", null);
    }

    public static SchemaRegistryException invalidSchema(String reason) {
        return new SchemaRegistryException(422, 42201, "Invalid schema: " + reason, null);
    }

    public static SchemaRegistryException invalidVersion(String version) {
        return new SchemaRegistryException(422, 42202, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"", null);
    }

    public static SchemaRegistryException invalidCompatibilityLevel() {
        return new SchemaRegistryException(422, 42203, "Invalid compatibility level. Valid values are none, backward, "
                + "forward, full, backward_transitive, forward_transitive, and full_transitive", null);
    }

    public static SchemaRegistryException invalidSubject(String subject) {
        return new SchemaRegistryException(422, 42208, "The specified subject '" + subject + "' is not valid.", null);
    }

    public static SchemaRegistryException incompatibleSchema(String subject, List<String> details) {
        return new SchemaRegistryException(409, 409, "Schema being registered is incompatible with an earlier schema"
                + " for subject \"" + subject + "\", details: " + details, null);
    }

    public static SchemaRegistryException storeError(String message, Throwable cause) {
        return new SchemaRegistryException(500, 50001, message, cause);
    }
}
