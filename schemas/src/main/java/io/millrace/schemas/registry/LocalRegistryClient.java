package io.millrace.schemas.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/** A registry client for the registry embedded in this JVM: no HTTP hop. */
public final class LocalRegistryClient extends CachingRegistryClient {

    private final SchemaRegistry registry;

    public LocalRegistryClient(SchemaRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    int registerUncached(String subject, Schema schema) {
        return registry.register(subject, schema.toString()).id();
    }

    @Override
    Schema fetchSchemaById(int id) {
        return new Schema.Parser().parse(registry.schemaById(id));
    }
}
