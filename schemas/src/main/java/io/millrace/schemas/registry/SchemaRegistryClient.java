package io.millrace.schemas.registry;

import org.apache.avro.Schema;

/** What a serde needs from a schema registry: an id for a writer schema, and the schema behind an id. */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with this global id; 40403 when there is none. */
    Schema schemaById(int id);
}
