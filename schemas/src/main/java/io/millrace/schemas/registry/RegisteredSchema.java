package io.millrace.schemas.registry;

/** One version of a subject: the schema text and the global id it was given. */
public record RegisteredSchema(String subject, int version, int id, String schema) {
}
