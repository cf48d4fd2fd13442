package io.millrace.schemas.registry;

import static io.millrace.schemas.registry.TestSchemas.ORDER;
import static io.millrace.schemas.registry.TestSchemas.ORDER_WITH_NOTE;
import static io.millrace.schemas.registry.TestSchemas.ORDER_WITH_REQUIRED_AMOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityLevelTest {

    private static final Schema ORDER_V1 = parse(ORDER);
    private static final Schema ORDER_V2_NOTE = parse(ORDER_WITH_NOTE);
    private static final Schema ORDER_V2_AMOUNT = parse(ORDER_WITH_REQUIRED_AMOUNT);
    private static final Schema ORDER_NOTE_ONLY = parse("""
            {"type": "record", "name": "Order", "namespace": "shop",
             "fields": [{"name": "note", "type": "string", "default": ""}]}
            """);

    @Test
    void backwardLetsTheNewSchemaReadOldDataOnly() {
        assertThat(CompatibilityLevel.BACKWARD.isCompatible(ORDER_V2_NOTE, List.of(ORDER_V1))).isTrue();
        assertThat(CompatibilityLevel.BACKWARD.isCompatible(ORDER_V2_AMOUNT, List.of(ORDER_V1))).isFalse();
    }

    @Test
    void forwardLetsTheOldSchemaReadNewData() {
        assertThat(CompatibilityLevel.FORWARD.isCompatible(ORDER_V2_AMOUNT, List.of(ORDER_V1))).isTrue();
        assertThat(CompatibilityLevel.FORWARD.isCompatible(ORDER_V1, List.of(ORDER_V2_AMOUNT))).isFalse();
    }

    @Test
    void fullRequiresBothDirections() {
        assertThat(CompatibilityLevel.FULL.isCompatible(ORDER_V2_NOTE, List.of(ORDER_V1))).isTrue();
        assertThat(CompatibilityLevel.FULL.isCompatible(ORDER_V2_AMOUNT, List.of(ORDER_V1))).isFalse();
    }

    @Test
    void nonTransitiveLevelsCheckOnlyTheLatestVersion() {
        List<Schema> history = List.of(ORDER_NOTE_ONLY, ORDER_V1);

        assertThat(CompatibilityLevel.BACKWARD.isCompatible(ORDER_V2_NOTE, history)).isTrue();
    }

    @Test
    void transitiveLevelsCheckEveryVersion() {
        List<Schema> history = List.of(ORDER_NOTE_ONLY, ORDER_V1);

        assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.incompatibilities(ORDER_V2_NOTE, history))
                .singleElement().asString().contains("orderId");
    }

    @Test
    void noneAcceptsAnything() {
        assertThat(CompatibilityLevel.NONE.incompatibilities(ORDER_V2_AMOUNT, List.of(ORDER_V1, ORDER_NOTE_ONLY))).isEmpty();
    }

    @Test
    void describesEachIncompatibility() {
        assertThat(CompatibilityLevel.BACKWARD.incompatibilities(ORDER_V2_AMOUNT, List.of(ORDER_V1)))
                .singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("amountCents").contains("BACKWARD");
    }

    @Test
    void parsesLevelNamesExactlyAsConfluentWritesThem() {
        assertThat(CompatibilityLevel.parse("FULL_TRANSITIVE")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(CompatibilityLevel.parse("NONE")).isEqualTo(CompatibilityLevel.NONE);
        assertThatThrownBy(() -> CompatibilityLevel.parse("backward")).isInstanceOf(SchemaRegistryException.class);
        assertThatThrownBy(() -> CompatibilityLevel.parse("Full_Transitive")).isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void refusesALevelWithSurroundingWhitespaceWith42203() {
        for (String level : new String[] {"NONE ", " BACKWARD", "FULL\n", "\tFORWARD"}) {
            assertThatThrownBy(() -> CompatibilityLevel.parse(level))
                    .as("level '%s'", level)
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(422);
                        assertThat(e.errorCode()).isEqualTo(42203);
                    });
        }
    }

    @Test
    void refusesWhatOnlyResemblesALevelWith42203() {
        // The last two fold to a level name only under Unicode case rules: a Kelvin sign and a dotless i.
        for (String level : new String[] {"LATERAL", "", "BACKWARD-TRANSITIVE", "FULL TRANSITIVE", "BAC\u212AWARD", "full_trans\u0131t\u0131ve"}) {
            assertThatThrownBy(() -> CompatibilityLevel.parse(level))
                    .as("level '%s'", level)
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42203));
        }
        assertThatThrownBy(() -> CompatibilityLevel.parse(null))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42203));
    }

    @Test
    void theRefusalQuotesTheLevelSoASpaceShows() {
        assertThatThrownBy(() -> CompatibilityLevel.parse("NONE "))
                .hasMessageStartingWith("Invalid compatibility level 'NONE '.");
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
