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

    public static SchemaRegistryException latestVersionNotFound() {
        return new SchemaRegistryException(404, 40402, "Version latest not found.", null);
    }

    public static SchemaRegistryException schemaNotFound() {
        return new SchemaRegistryException(404, 40403, "Schema not found", null);
    }

    public static SchemaRegistryException schemaNotFound(int id) {
        return new SchemaRegistryException(404, 40403, "Schema " + id + " not found", null);
    }

    public static SchemaRegistryException subjectSoftDeleted(String subject) {
        return new SchemaRegistryException(404, 40404, "Subject '" + subject + "' was soft deleted. "
                + "Set permanent=true to delete permanently", null);
    }

    public static SchemaRegistryException subjectNotSoftDeleted(String subject) {
        return new SchemaRegistryException(404, 40405, "Subject '" + subject + "' was not deleted first before being "
                + "permanently deleted", null);
    }

    public static SchemaRegistryException versionSoftDeleted(String subject, int version) {
        return new SchemaRegistryException(404, 40406, "Subject '" + subject + "' Version " + version + " was soft deleted. "
                + "Set permanent=true to delete permanently", null);
    }

    public static SchemaRegistryException versionNotSoftDeleted(String subject, int version) {
        return new SchemaRegistryException(404, 40407, "Subject '" + subject + "' Version " + version + " was not deleted "
                + "first before being permanently deleted", null);
    }

    /** A request that cannot be read at all (not JSON, a malformed parameter): HTTP 400, as Confluent answers it. */
    public static SchemaRegistryException badRequest(String message) {
        return new SchemaRegistryException(400, 400, message, null);
    }

    public static SchemaRegistryException invalidSchema(String reason) {
        return new SchemaRegistryException(422, 42201, "Invalid schema: " + reason, null);
    }

    public static SchemaRegistryException invalidVersion(String version) {
        return new SchemaRegistryException(422, 42202, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"", null);
    }

    public static SchemaRegistryException invalidCompatibilityLevel(String level) {
        return new SchemaRegistryException(422, 42203, "Invalid compatibility level" + (level == null ? "" : " '" + level + "'")
                + ". Valid values are NONE, BACKWARD, FORWARD, FULL, BACKWARD_TRANSITIVE, FORWARD_TRANSITIVE,"
                + " and FULL_TRANSITIVE", null);
    }

    /** {@code reason} says what is wrong in words; the subject itself is not repeated, it may be unprintable. */
    public static SchemaRegistryException invalidSubject(String reason) {
        return new SchemaRegistryException(422, 42208, "The specified subject is not valid: " + reason, null);
    }

    public static SchemaRegistryException incompatibleSchema(String subject, List<String> details) {
        return new SchemaRegistryException(409, 409, "Schema being registered is incompatible with an earlier schema"
                + " for subject \"" + subject + "\", details: " + details, null);
    }

    public static SchemaRegistryException storeError(String message, Throwable cause) {
        return new SchemaRegistryException(500, 50001, message, cause);
    }
}
