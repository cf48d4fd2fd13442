package io.millrace.schemas.registry;

import static io.millrace.schemas.registry.TestSchemas.ORDER;
import static io.millrace.schemas.registry.TestSchemas.ORDER_WITH_NOTE;
import static io.millrace.schemas.registry.TestSchemas.ORDER_WITH_REQUIRED_AMOUNT;
import static io.millrace.schemas.registry.TestSchemas.PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryTest {

    private SchemaRegistry registry;

    @BeforeEach
    void startRegistry() {
        registry = new SchemaRegistry(new InMemorySchemaLog());
        registry.start();
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Test
    void givesTheFirstSchemaIdOneAndVersionOne() {
        RegisteredSchema registered = registry.register("orders-value", ORDER);

        assertThat(registered.subject()).isEqualTo("orders-value");
        assertThat(registered.version()).isEqualTo(1);
        assertThat(registered.id()).isEqualTo(1);
        assertThat(new Schema.Parser().parse(registered.schema())).isEqualTo(new Schema.Parser().parse(ORDER));
    }

    @Test
    void returnsTheExistingVersionWhenTheSameSchemaIsRegisteredAgain() {
        RegisteredSchema first = registry.register("orders-value", ORDER);

        RegisteredSchema again = registry.register("orders-value", ORDER.replace(" ", "").replace("\n", ""));

        assertThat(again).isEqualTo(first);
        assertThat(registry.versions("orders-value")).containsExactly(1);
    }

    @Test
    void reusesTheIdOfASchemaRegisteredUnderAnotherSubject() {
        RegisteredSchema underOrders = registry.register("orders-value", ORDER);
        registry.register("payments-value", PAYMENT);

        RegisteredSchema underArchive = registry.register("orders-archive-value", ORDER);

        assertThat(underArchive.id()).isEqualTo(underOrders.id());
        assertThat(underArchive.version()).isEqualTo(1);
    }

    @Test
    void givesADifferentSchemaTheNextId() {
        registry.register("orders-value", ORDER);

        assertThat(registry.register("payments-value", PAYMENT).id()).isEqualTo(2);
    }

    @Test
    void rejectsIncompatibleSchemaWith409() {
        registry.register("orders-value", ORDER);

        assertThatThrownBy(() -> registry.register("orders-value", ORDER_WITH_REQUIRED_AMOUNT))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("orders-value").contains("READER_FIELD_MISSING_DEFAULT_VALUE");
                });
        assertThat(registry.versions("orders-value")).containsExactly(1);
    }

    @Test
    void acceptsAFieldWithADefaultAsVersionTwo() {
        registry.register("orders-value", ORDER);

        RegisteredSchema evolved = registry.register("orders-value", ORDER_WITH_NOTE);

        assertThat(evolved.version()).isEqualTo(2);
        assertThat(evolved.id()).isEqualTo(2);
        assertThat(registry.version("orders-value", "latest")).isEqualTo(evolved);
    }

    @Test
    void rejectsInvalidAvroWith42201() {
        assertThatThrownBy(() -> registry.register("orders-value", "{\"type\": \"record\", \"name\": \"Order\"}"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(42201);
                });
        assertThatThrownBy(() -> registry.register("orders-value", "not json"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42201));
    }

    @Test
    void rejectsAnEmptyUnionAndANegativeDecimalPrecisionWith42201() {
        String negativePrecision = "{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": -5, \"scale\": 0}";

        for (String schema : new String[] {"[]", negativePrecision}) {
            assertThatThrownBy(() -> registry.register("prices-value", schema))
                    .as("schema %s", schema)
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42201));
        }
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void describesInvalidJsonWithoutNamingJavaTypes() {
        assertThatThrownBy(() -> registry.register("orders-value", "not json"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.getMessage())
                        .startsWith("Invalid schema: the schema is not valid JSON")
                        .doesNotContain("com.fasterxml").doesNotContain("SchemaParseException"));
    }

    @Test
    void rejectsABlankSubjectWith42208() {
        assertThatThrownBy(() -> registry.register(" ", ORDER))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42208));
    }

    @Test
    void rejectsSubjectsWithControlCharactersWith42208AsConfluentDoes() {
        for (String subject : new String[] {"orders\r\n-value", "orders\t-value", "orders\u0000-value", "orders\u007f-value", "orders\u0085-value"}) {
            assertThatThrownBy(() -> registry.register(subject, ORDER))
                    .as("subject %s", subject.replaceAll("\\p{Cntrl}", "?"))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(422);
                        assertThat(e.errorCode()).isEqualTo(42208);
                        assertThat(e.getMessage()).isEqualTo("The specified subject is not valid: "
                                + "it contains a control character such as a line break or a tab");
                    });
        }
        assertThatThrownBy(() -> registry.setCompatibility("orders\r\n-value", "FULL"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42208));
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void acceptsSubjectsUpTo255CharactersAndNoLonger() {
        String longest = "orders-" + "x".repeat(242) + "-value";

        assertThat(registry.register(longest, ORDER).subject()).hasSize(255);
        assertThatThrownBy(() -> registry.register(longest + "s", ORDER))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(42208);
                    assertThat(e.getMessage()).contains("it has 256 characters, at most 255 are allowed");
                });
    }

    @Test
    void rejectsTheSubjectNamesConfluentReserves() {
        assertThatThrownBy(() -> registry.register("__GLOBAL", ORDER))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42208));
    }

    @Test
    void acceptsAnyPrintableSubjectConfluentAccepts() {
        String subject = "shop.orders/v1 Bestellungen-value";

        assertThat(registry.register(subject, ORDER).subject()).isEqualTo(subject);
    }

    @Test
    void looksUpTheVersionAndIdOfARegisteredSchema() {
        registry.register("orders-value", ORDER);
        RegisteredSchema evolved = registry.register("orders-value", ORDER_WITH_NOTE);

        assertThat(registry.lookup("orders-value", ORDER_WITH_NOTE)).contains(evolved);
    }

    @Test
    void lookupOfAnUnknownSubjectIs40401() {
        assertThatThrownBy(() -> registry.lookup("nope-value", ORDER))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40401);
                    assertThat(e.getMessage()).isEqualTo("Subject 'nope-value' not found.");
                });
    }

    @Test
    void lookupOfASchemaMissingFromTheSubjectIs40403() {
        registry.register("orders-value", ORDER);
        registry.register("payments-value", PAYMENT);

        assertThatThrownBy(() -> registry.lookup("orders-value", PAYMENT))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                });
    }

    @Test
    void listsSubjectsSortedAndVersionsInOrder() {
        registry.register("payments-value", PAYMENT);
        registry.register("orders-value", ORDER);
        registry.register("orders-value", ORDER_WITH_NOTE);

        assertThat(registry.subjects()).containsExactly("orders-value", "payments-value");
        assertThat(registry.versions("orders-value")).containsExactly(1, 2);
    }

    @Test
    void versionsOfAnUnknownSubjectIs40401() {
        assertThatThrownBy(() -> registry.versions("nope-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    }

    @Test
    void fetchesAVersionByNumberOrLatest() {
        RegisteredSchema first = registry.register("orders-value", ORDER);
        RegisteredSchema second = registry.register("orders-value", ORDER_WITH_NOTE);

        assertThat(registry.version("orders-value", "1")).isEqualTo(first);
        assertThat(registry.version("orders-value", "2")).isEqualTo(second);
        assertThat(registry.version("orders-value", "latest")).isEqualTo(second);
    }

    @Test
    void rejectsAVersionThatIsNotAPositiveNumberWith42202() {
        registry.register("orders-value", ORDER);

        for (String version : new String[] {"0", "-1", "one", ""}) {
            assertThatThrownBy(() -> registry.version("orders-value", version))
                    .as("version '%s'", version)
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(422);
                        assertThat(e.errorCode()).isEqualTo(42202);
                    });
        }
    }

    @Test
    void aMissingVersionIs40402() {
        registry.register("orders-value", ORDER);

        assertThatThrownBy(() -> registry.version("orders-value", "2"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40402);
                });
    }

    @Test
    void fetchesASchemaById() {
        int id = registry.register("payments-value", PAYMENT).id();

        assertThat(new Schema.Parser().parse(registry.schemaById(id))).isEqualTo(new Schema.Parser().parse(PAYMENT));
    }

    @Test
    void anUnknownIdIs40403() {
        assertThatThrownBy(() -> registry.schemaById(42))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.getMessage()).contains("42");
                });
    }

    @Test
    void checksCompatibilityAgainstAChosenVersion() {
        registry.register("orders-value", ORDER);

        assertThat(registry.isCompatible("orders-value", "latest", ORDER_WITH_NOTE)).isTrue();
        assertThat(registry.isCompatible("orders-value", "1", ORDER_WITH_REQUIRED_AMOUNT)).isFalse();
    }

    @Test
    void compatibilityIsBackwardByDefault() {
        assertThat(registry.compatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(registry.compatibility("orders-value")).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void aSubjectLevelOverridesTheGlobalOneForThatSubjectOnly() {
        registry.setCompatibility(null, "FULL");

        assertThat(registry.setCompatibility("orders-value", "NONE")).isEqualTo(CompatibilityLevel.NONE);

        assertThat(registry.compatibility("orders-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(registry.compatibility("payments-value")).isEqualTo(CompatibilityLevel.FULL);
        assertThat(registry.compatibility(null)).isEqualTo(CompatibilityLevel.FULL);
    }

    @Test
    void levelNoneAcceptsAnyEvolution() {
        registry.setCompatibility("orders-value", "NONE");
        registry.register("orders-value", ORDER);

        assertThat(registry.register("orders-value", ORDER_WITH_REQUIRED_AMOUNT).version()).isEqualTo(2);
    }

    @Test
    void rejectsAnUnknownCompatibilityLevelWith42203() {
        assertThatThrownBy(() -> registry.setCompatibility(null, "SIDEWAYS"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(42203);
                });
        assertThat(registry.compatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void rejectsALevelWithATrailingSpaceAndKeepsTheOldOne() {
        registry.setCompatibility("orders-value", "FULL");

        assertThatThrownBy(() -> registry.setCompatibility("orders-value", "NONE "))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42203));
        assertThat(registry.compatibility("orders-value")).isEqualTo(CompatibilityLevel.FULL);
    }

    @Test
    void refusesToRegisterBeforeStart() {
        try (SchemaRegistry notStarted = new SchemaRegistry(new InMemorySchemaLog())) {
            assertThatThrownBy(() -> notStarted.register("orders-value", ORDER)).isInstanceOf(IllegalStateException.class);
        }
    }
}
