package io.millrace.schemas.registry;

import static io.millrace.schemas.registry.TestSchemas.ORDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class LocalRegistryClientTest {

    @Test
    void registersInTheEmbeddedRegistryAndReadsSchemasBack() {
        try (SchemaRegistry registry = new SchemaRegistry(new InMemorySchemaLog())) {
            registry.start();
            LocalRegistryClient client = new LocalRegistryClient(registry);
            Schema order = new Schema.Parser().parse(ORDER);

            int id = client.register("orders-value", order);

            assertThat(registry.lookup("orders-value", ORDER)).hasValueSatisfying(found -> assertThat(found.id()).isEqualTo(id));
            assertThat(client.schemaById(id)).isEqualTo(order).isSameAs(client.schemaById(id));
            assertThatThrownBy(() -> client.schemaById(id + 1))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        }
    }
}
