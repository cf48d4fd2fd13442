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
import org.junit.jupiter.api.function.Executable;

/** Soft and permanent deletes of subjects and versions, as Confluent's REST API defines them. */
class SchemaDeletionTest {

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
    void softDeletingASubjectHidesItsVersionsButKeepsItsIdsResolvable() {
        int v1 = registry.register("orders-value", ORDER).id();
        registry.register("orders-value", ORDER_WITH_NOTE);

        assertThat(registry.deleteSubject("orders-value", false)).containsExactly(1, 2);

        assertThat(registry.subjects()).isEmpty();
        assertError(() -> registry.versions("orders-value"), 404, 40401);
        assertError(() -> registry.version("orders-value", "1"), 404, 40401);
        assertError(() -> registry.lookup("orders-value", ORDER), 404, 40401);
        assertThat(parse(registry.schemaById(v1))).as("records already written still decode").isEqualTo(parse(ORDER));
    }

    @Test
    void softDeletedSubjectsAndVersionsAreListedOnRequest() {
        registry.register("orders-value", ORDER);
        registry.register("payments-value", PAYMENT);
        registry.deleteSubject("orders-value", false);

        assertThat(registry.subjects(true)).containsExactly("orders-value", "payments-value");
        assertThat(registry.versions("orders-value", true)).containsExactly(1);
        assertThat(parse(registry.version("orders-value", "1", true).schema())).isEqualTo(parse(ORDER));
    }

    @Test
    void softDeletingASubjectTwiceIs40404() {
        registry.register("orders-value", ORDER);
        registry.deleteSubject("orders-value", false);

        assertError(() -> registry.deleteSubject("orders-value", false), 404, 40404);
    }

    @Test
    void deletingAnUnknownSubjectIs40401() {
        assertError(() -> registry.deleteSubject("nope-value", false), 404, 40401);
        assertError(() -> registry.deleteVersion("nope-value", "1", false), 404, 40401);
    }

    @Test
    void permanentlyDeletingASubjectThatWasNotSoftDeletedIs40405() {
        registry.register("orders-value", ORDER);

        assertError(() -> registry.deleteSubject("orders-value", true), 404, 40405);
        assertThat(registry.versions("orders-value")).containsExactly(1);
    }

    @Test
    void aPermanentDeleteRemovesTheSubjectItsIdsAndItsLevelAsConfluentDoes() {
        int id = registry.register("orders-value", ORDER).id();
        registry.setCompatibility("orders-value", "NONE");
        registry.deleteSubject("orders-value", false);

        assertThat(registry.deleteSubject("orders-value", true)).containsExactly(1);

        assertThat(registry.subjects(true)).isEmpty();
        assertError(() -> registry.schemaById(id), 404, 40403);
        assertThat(registry.compatibility("orders-value")).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void anIdAnotherSubjectStillUsesResolvesAfterAPermanentDelete() {
        int id = registry.register("orders-value", ORDER).id();
        registry.register("orders-archive-value", ORDER);
        registry.deleteSubject("orders-value", false);
        registry.deleteSubject("orders-value", true);

        assertThat(parse(registry.schemaById(id))).isEqualTo(parse(ORDER));
    }

    @Test
    void aSchemaDeletedForGoodGetsANewIdAndTheSubjectStartsAgainAtVersionOne() {
        int before = registry.register("orders-value", ORDER).id();
        registry.deleteSubject("orders-value", false);
        registry.deleteSubject("orders-value", true);

        RegisteredSchema again = registry.register("orders-value", ORDER);

        assertThat(again.version()).isEqualTo(1);
        assertThat(again.id()).isEqualTo(before + 1);
        assertError(() -> registry.schemaById(before), 404, 40403);
    }

    @Test
    void registeringTheSameSchemaAgainBringsASoftDeletedSubjectBackWithItsId() {
        RegisteredSchema first = registry.register("orders-value", ORDER);
        registry.deleteSubject("orders-value", false);

        RegisteredSchema again = registry.register("orders-value", ORDER);

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.version()).as("soft-deleted version numbers are not reused").isEqualTo(2);
        assertThat(registry.subjects()).containsExactly("orders-value");
        assertThat(registry.lookup("orders-value", ORDER)).contains(again);
        assertThat(registry.versions("orders-value", true)).as("Confluent drops the soft-deleted copy for good").containsExactly(2);
    }

    @Test
    void compatibilityIsCheckedOnlyAgainstLiveVersions() {
        registry.register("orders-value", ORDER);
        registry.deleteSubject("orders-value", false);

        RegisteredSchema incompatibleWithTheDeleted = registry.register("orders-value", ORDER_WITH_REQUIRED_AMOUNT);

        assertThat(incompatibleWithTheDeleted.version()).isEqualTo(2);
    }

    @Test
    void softDeletingAVersionHidesOnlyThatVersion() {
        registry.register("orders-value", ORDER);
        RegisteredSchema second = registry.register("orders-value", ORDER_WITH_NOTE);

        assertThat(registry.deleteVersion("orders-value", "1", false)).isEqualTo(1);

        assertThat(registry.versions("orders-value")).containsExactly(2);
        assertThat(registry.version("orders-value", "latest")).isEqualTo(second);
        assertError(() -> registry.version("orders-value", "1"), 404, 40402);
        assertThat(registry.version("orders-value", "1", true).version()).isEqualTo(1);
    }

    @Test
    void softDeletingASoftDeletedVersionIs40406() {
        registry.register("orders-value", ORDER);
        registry.register("orders-value", ORDER_WITH_NOTE);
        registry.deleteVersion("orders-value", "1", false);

        assertError(() -> registry.deleteVersion("orders-value", "1", false), 404, 40406);
    }

    @Test
    void permanentlyDeletingALiveVersionIs40407() {
        registry.register("orders-value", ORDER);

        assertError(() -> registry.deleteVersion("orders-value", "1", true), 404, 40407);
        assertError(() -> registry.deleteVersion("orders-value", "latest", true), 404, 40407);
    }

    @Test
    void aSoftDeletedVersionCanThenBeDeletedForGood() {
        registry.register("orders-value", ORDER);
        registry.register("orders-value", ORDER_WITH_NOTE);
        registry.deleteVersion("orders-value", "1", false);

        assertThat(registry.deleteVersion("orders-value", "1", true)).isEqualTo(1);

        assertThat(registry.versions("orders-value", true)).containsExactly(2);
        assertError(() -> registry.schemaById(1), 404, 40403);
    }

    @Test
    void deletingLatestDeletesTheLatestLiveVersion() {
        registry.register("orders-value", ORDER);
        registry.register("orders-value", ORDER_WITH_NOTE);
        registry.deleteVersion("orders-value", "2", false);

        assertThat(registry.deleteVersion("orders-value", "latest", false)).isEqualTo(1);
        assertError(() -> registry.deleteVersion("orders-value", "latest", false), 404, 40402);
    }

    @Test
    void aMissingOrMalformedVersionIsRefusedAsConfluentDoes() {
        registry.register("orders-value", ORDER);

        assertError(() -> registry.deleteVersion("orders-value", "7", false), 404, 40402);
        assertError(() -> registry.deleteVersion("orders-value", "0", false), 422, 42202);
    }

    @Test
    void theNextVersionFollowsTheLatestEvenWhenItWasSoftDeleted() {
        registry.register("orders-value", ORDER);
        registry.register("orders-value", ORDER_WITH_NOTE);
        registry.deleteVersion("orders-value", "2", false);

        String orderWithChannel = """
                {"type": "record", "name": "Order", "namespace": "shop",
                 "fields": [{"name": "orderId", "type": "string"}, {"name": "channel", "type": "string", "default": "web"}]}
                """;

        assertThat(registry.register("orders-value", orderWithChannel).version()).isEqualTo(3);
    }

    private static void assertError(Executable call, int status, int errorCode) {
        assertThatThrownBy(call::execute)
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(status);
                    assertThat(e.errorCode()).isEqualTo(errorCode);
                });
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
