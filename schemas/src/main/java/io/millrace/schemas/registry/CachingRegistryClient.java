package io.millrace.schemas.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/** Remembers ids and schemas, which never change once assigned, so each is asked of the registry once. */
abstract class CachingRegistryClient implements SchemaRegistryClient {

    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    @Override
    public final int register(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema),
                key -> registerUncached(key.subject(), key.schema()));
    }

    @Override
    public final Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, this::fetchSchemaById);
    }

    abstract int registerUncached(String subject, Schema schema);

    abstract Schema fetchSchemaById(int id);

    private record SubjectSchema(String subject, Schema schema) {
    }
}
