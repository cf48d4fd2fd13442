package io.millrace.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How the bodies of Confluent's REST calls are read: leniently where Confluent is, never by dropping what matters. */
class RegistryRequestsTest {

    private static final String STRING_SCHEMA = "{\\\"type\\\": \\\"string\\\"}";

    @Test
    void readsTheSchemaAndIgnoresUnknownFieldsAsConfluentDoes() {
        String body = "{\"schema\": \"" + STRING_SCHEMA + "\", \"schemaType\": \"AVRO\", \"references\": [], \"normalizedBy\": \"cli-2.1\"}";

        assertThat(RegistryRequests.schemaOf(body)).isEqualTo("{\"type\": \"string\"}");
    }

    @Test
    void refusesSchemaReferencesInsteadOfIgnoringThem() {
        String body = "{\"schema\": \"" + STRING_SCHEMA + "\", \"references\": "
                + "[{\"name\": \"shop.Address\", \"subject\": \"address-value\", \"version\": 1}]}";

        assertThatThrownBy(() -> RegistryRequests.schemaOf(body))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(42201);
                    assertThat(e.getMessage()).contains("schema references are not supported");
                });
    }

    @Test
    void refusesSchemaTypesOtherThanAvro() {
        assertThatThrownBy(() -> RegistryRequests.schemaOf("{\"schema\": \"syntax = \\\"proto3\\\";\", \"schemaType\": \"PROTOBUF\"}"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(42201);
                    assertThat(e.getMessage()).contains("only AVRO schemas are supported here, not \"PROTOBUF\"");
                });
    }

    @Test
    void aBodyThatIsNotJsonIs400AndSaysWhere() {
        assertThatThrownBy(() -> RegistryRequests.schemaOf("schema={\"type\": \"string\"}"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("The body is not valid JSON (at line 1, column 1); send JSON like {\"schema\": \"...\"}");
                });
    }

    @Test
    void aBodyThatIsNotAJsonObjectIs400() {
        for (String body : new String[] {"", "[\"" + STRING_SCHEMA + "\"]", "{\"schema\": \"x\"} {}"}) {
            assertThatThrownBy(() -> RegistryRequests.schemaOf(body))
                    .as("body %s", body)
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
        }
    }

    @Test
    void aBodyWithoutASchemaStringIs42201() {
        assertThatThrownBy(() -> RegistryRequests.schemaOf("{\"schema\": {\"type\": \"string\"}}"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(42201);
                    assertThat(e.getMessage()).isEqualTo("Invalid schema: the body must have a \"schema\" string");
                });
    }

    @Test
    void readsTheCompatibilityAsGivenForTheLevelToJudge() {
        assertThat(RegistryRequests.compatibilityOf("{\"compatibility\": \"NONE \"}")).isEqualTo("NONE ");
        assertThatThrownBy(() -> RegistryRequests.compatibilityOf("{\"compatibilityLevel\": \"NONE\"}"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42203));
    }
}
