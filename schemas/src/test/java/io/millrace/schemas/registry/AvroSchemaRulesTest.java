package io.millrace.schemas.registry;

import static io.millrace.schemas.registry.TestSchemas.ORDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Which Avro schemas the registry takes as new, and how it says why it refuses one. */
class AvroSchemaRulesTest {

    // What a refusal must never show: Java packages and types, or Jackson's description of its own input.
    private static final Pattern JAVA_TALK = Pattern.compile(
            "(?:java|javax|com\\.fasterxml|org\\.apache)\\.|Exception|UnresolvedSchema|StreamReadFeature|\\[Source");

    @Test
    void refusesAnEmptyUnion() {
        assertRefused("[]", "the union at the top level is empty; a union needs at least one branch");
    }

    @Test
    void refusesAnEmptyUnionDeepInsideARecord() {
        assertRefused("""
                {"type": "record", "name": "Basket", "namespace": "shop",
                 "fields": [{"name": "items", "type": {"type": "array", "items": []}}]}
                """, "the union at the items of field 'items' of record shop.Basket is empty");
    }

    @Test
    void refusesADecimalWithANegativePrecision() {
        assertRefused(price("{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": -5, \"scale\": 0}"),
                "logical type 'decimal' at field 'amount' of record shop.Price is not valid: Invalid decimal precision: -5 (must be positive)");
    }

    @Test
    void refusesADecimalWhoseScaleExceedsItsPrecision() {
        assertRefused(price("{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 4, \"scale\": 6}"),
                "Invalid decimal scale: 6 (greater than precision: 4)");
    }

    @Test
    void refusesALogicalTypeOnTheWrongUnderlyingType() {
        assertRefused("{\"type\": \"map\", \"values\": {\"type\": \"int\", \"logicalType\": \"timestamp-millis\"}}",
                "logical type 'timestamp-millis' at the values of the top level is not valid");
    }

    @Test
    void acceptsValidLogicalTypesAndIgnoresUnknownOnesAsAvroSays() {
        Schema amount = AvroSchemaRules.parseNew(price("{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 12, \"scale\": 2}"));
        Schema country = AvroSchemaRules.parseNew("{\"type\": \"string\", \"logicalType\": \"iso-3166-country\"}");

        assertThat(amount.getField("amount").schema().getLogicalType()).isEqualTo(LogicalTypes.decimal(12, 2));
        assertThat(country.getLogicalType()).isNull();
    }

    @Test
    void refusesDuplicateAndNestedUnionBranches() {
        assertRefused("[\"null\", \"string\", \"string\"]", "Duplicate in union");
        assertRefused("[\"null\", [\"int\", \"long\"]]", "Nested union");
    }

    @Test
    void refusesADefaultThatDoesNotFitItsField() {
        assertRefused("""
                {"type": "record", "name": "Order", "namespace": "shop",
                 "fields": [{"name": "quantity", "type": "int", "default": "one"}]}
                """, "Invalid default for field quantity");
    }

    @Test
    void refusesNamesOutsideAvrosStrictRulesAsConfluentDoesForNewSchemas() {
        assertRefused("{\"type\": \"record\", \"name\": \"1Order\", \"fields\": []}", "Illegal initial character: 1Order");
        assertRefused("{\"type\": \"record\", \"name\": \"Comandé\", \"fields\": []}", "Illegal character in: Comandé");
        assertRefused("{\"type\": \"record\", \"name\": \"Order\", \"fields\": [{\"name\": \"order-id\", \"type\": \"string\"}]}",
                "Illegal character in: order-id");
    }

    @Test
    void saysWhereTheSchemaStopsBeingJson() {
        assertRefused("{\"type\": \"record\", \"name\": \"Order\",", "the schema is not valid JSON");
        assertRefused("not json", "(line 1, column 1)");
        assertRefused("{\"type\": \"string\"} {\"type\": \"int\"}", "there is more text after the end of the schema");
    }

    @Test
    void describesEveryRefusalInWordsNeverInJava() {
        List<String> broken = List.of("", "not json", "{\"type\": \"record\"", "\"strin\"", "[\"strin\"]", "{}", "5",
                "{\"type\": \"strin\"}", "{\"type\": \"fixed\", \"name\": \"Digest\", \"size\": -1}",
                "{\"type\": \"record\", \"name\": \"Order\", \"fields\": [{\"name\": \"at\", \"type\": \"long\", \"order\": \"sideways\"}]}",
                "{\"type\": \"record\", \"name\": \"Order\", \"fields\": [{\"name\": \"at\", \"type\": \"long\", \"order\": 5}]}",
                "{\"type\": \"enum\", \"name\": \"Status\", \"symbols\": [\"OPEN\"], \"default\": \"SHUT\"}",
                "{\"type\": \"record\", \"name\": \"Order\", \"fields\": [{\"name\": \"a\", \"type\": \"int\"}, {\"name\": \"a\", \"type\": \"int\"}]}");

        for (String schema : broken) {
            assertThatThrownBy(() -> AvroSchemaRules.parseNew(schema))
                    .as("schema %s", schema)
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(42201);
                        assertThat(e.getMessage()).startsWith("Invalid schema: ").doesNotContainPattern(JAVA_TALK);
                    });
        }
    }

    @Test
    void anUnknownBareNameIsNamedInTheRefusal() {
        assertRefused("\"strin\"", "'strin' is not a primitive type");
    }

    @Test
    void anUnknownFieldOrderIsNamedInTheRefusal() {
        assertRefused("{\"type\": \"record\", \"name\": \"Order\", \"fields\": [{\"name\": \"at\", \"type\": \"long\", \"order\": \"sideways\"}]}",
                "'SIDEWAYS' is not a valid order");
    }

    @Test
    void aLookupStillFindsSchemasRegisteredBeforeTheseRules() {
        assertThat(AvroSchemaRules.parseForLookup("[]").getTypes()).isEmpty();
        assertThat(AvroSchemaRules.parseForLookup(ORDER).getFullName()).isEqualTo("shop.Order");
    }

    @Test
    void keepsTheWordsOfAFailureAndDropsTheJava() {
        assertThat(AvroSchemaRules.inWords("org.apache.avro.SchemaParseException: java.lang.IllegalStateException: Undefined name: x"))
                .isEqualTo("Undefined name: x");
        assertThat(AvroSchemaRules.inWords("Unknown schema: org.apache.avro.compiler.UnresolvedSchema_1"))
                .isEqualTo("it is not a valid Avro schema");
        assertThat(AvroSchemaRules.inWords(null)).isEqualTo("it is not a valid Avro schema");
    }

    private static String price(String amountType) {
        return "{\"type\": \"record\", \"name\": \"Price\", \"namespace\": \"shop\", \"fields\": [{\"name\": \"amount\", \"type\": "
                + amountType + "}]}";
    }

    private static void assertRefused(String schema, String reason) {
        assertThatThrownBy(() -> AvroSchemaRules.parseNew(schema))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(42201);
                    assertThat(e.getMessage()).contains(reason);
                });
    }
}
