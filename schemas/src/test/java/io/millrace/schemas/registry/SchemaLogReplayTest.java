package io.millrace.schemas.registry;

import static io.millrace.schemas.registry.TestSchemas.ORDER;
import static io.millrace.schemas.registry.TestSchemas.ORDER_WITH_NOTE;
import static io.millrace.schemas.registry.TestSchemas.PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** How a registry rebuilds its state from records in the log, including records it must refuse. */
class SchemaLogReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemorySchemaLog log = new InMemorySchemaLog();

    @Test
    void rebuildsSubjectsVersionsAndIdsFromRegistrationRecords() {
        appendRegistration("orders-value", 1, 1, ORDER);
        appendRegistration("payments-value", 1, 2, PAYMENT);

        SchemaRegistry registry = replay();

        assertThat(registry.subjects()).containsExactly("orders-value", "payments-value");
        assertThat(registry.version("payments-value", "1").id()).isEqualTo(2);
        assertThat(parse(registry.schemaById(1))).isEqualTo(parse(ORDER));
    }

    @Test
    void refusesARecordClaimingAnIdThatHoldsAnotherSchema() {
        appendRegistration("orders-value", 1, 1, ORDER);
        appendRegistration("payments-value", 1, 1, PAYMENT);

        SchemaRegistry registry = replay();

        assertThat(registry.subjects()).containsExactly("orders-value");
        assertThat(parse(registry.schemaById(1))).isEqualTo(parse(ORDER));
    }

    @Test
    void refusesARecordGivingAKnownSchemaASecondId() {
        appendRegistration("orders-value", 1, 1, ORDER);
        appendRegistration("orders-archive-value", 1, 2, ORDER);

        SchemaRegistry registry = replay();

        assertThat(registry.subjects()).containsExactly("orders-value");
        assertThatThrownBy(() -> registry.schemaById(2)).isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void refusesARecordThatIsNotTheSubjectsNextVersion() {
        appendRegistration("orders-value", 2, 1, ORDER);

        assertThat(replay().subjects()).isEmpty();
    }

    @Test
    void refusesASchemaAlreadyInTheSubject() {
        appendRegistration("orders-value", 1, 1, ORDER);
        appendRegistration("orders-value", 2, 1, ORDER);

        assertThat(replay().versions("orders-value")).containsExactly(1);
    }

    @Test
    void skipsUnreadableRecordsAndKeepsGoing() {
        log.append("schema:orders-value:1:1:x", "{not json".getBytes(StandardCharsets.UTF_8));
        log.append("config:", json(Map.of("compatibilityLevel", "SIDEWAYS")));
        log.append("someone-elses-key", json(Map.of("keytype", "NOOP")));
        appendRegistration("orders-value", 1, 1, ORDER);

        SchemaRegistry registry = replay();

        assertThat(registry.versions("orders-value")).containsExactly(1);
        assertThat(registry.compatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void theLastConfigRecordForASubjectWins() {
        log.append("config:orders-value", json(Map.of("compatibilityLevel", "FULL")));
        log.append("config:", json(Map.of("compatibilityLevel", "FORWARD")));
        log.append("config:orders-value", json(Map.of("compatibilityLevel", "NONE")));

        SchemaRegistry registry = replay();

        assertThat(registry.compatibility("orders-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(registry.compatibility(null)).isEqualTo(CompatibilityLevel.FORWARD);
    }

    @Test
    void keepsSchemasAndSubjectsRegisteredBeforeTheStricterRules() {
        appendRegistration("orders\r\nvalue", 1, 1, ORDER);
        appendRegistration("legacy-value", 1, 2, "[]");

        SchemaRegistry registry = replay();

        assertThat(registry.subjects()).containsExactly("legacy-value", "orders\r\nvalue");
        assertThat(registry.schemaById(2)).isEqualTo("[]");
    }

    @Test
    void aJunkSubjectFromBeforeTheStricterRulesCanBeDeletedForGood() {
        appendRegistration("orders\r\nvalue", 1, 1, ORDER);
        SchemaRegistry registry = replay();

        assertThat(registry.deleteSubject("orders\r\nvalue", false)).containsExactly(1);
        assertThat(registry.deleteSubject("orders\r\nvalue", true)).containsExactly(1);

        assertThat(registry.subjects(true)).isEmpty();
    }

    @Test
    void appliesASoftDeletionRecord() {
        appendRegistration("orders-value", 1, 1, ORDER);
        appendRegistration("orders-value", 2, 2, ORDER_WITH_NOTE);
        appendDeletion("orders-value", List.of(1), false);

        SchemaRegistry registry = replay();

        assertThat(registry.versions("orders-value")).containsExactly(2);
        assertThat(registry.versions("orders-value", true)).containsExactly(1, 2);
        assertThat(parse(registry.schemaById(1))).isEqualTo(parse(ORDER));
    }

    @Test
    void ignoresAPermanentDeletionOfAVersionThatWasNotSoftDeletedFirst() {
        appendRegistration("orders-value", 1, 1, ORDER);
        appendDeletion("orders-value", List.of(1), true);

        assertThat(replay().versions("orders-value")).containsExactly(1);
    }

    @Test
    void anIdDeletedForGoodIsNeverGivenToAnotherSchema() {
        appendRegistration("orders-value", 1, 1, ORDER);
        appendDeletion("orders-value", List.of(1), false);
        appendDeletion("orders-value", List.of(1), true);
        appendRegistration("payments-value", 1, 1, PAYMENT);
        appendRegistration("payments-value", 1, 2, PAYMENT);

        SchemaRegistry registry = replay();

        assertThat(registry.version("payments-value", "1").id()).isEqualTo(2);
        assertThatThrownBy(() -> registry.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    }

    @Test
    void aSubjectDeletedForGoodStartsAgainAtVersionOne() {
        appendRegistration("orders-value", 1, 1, ORDER);
        appendDeletion("orders-value", List.of(1), false);
        appendDeletion("orders-value", List.of(1), true);
        appendRegistration("orders-value", 2, 2, ORDER);
        appendRegistration("orders-value", 1, 2, ORDER);

        assertThat(replay().versions("orders-value")).containsExactly(1);
    }

    private void appendDeletion(String subject, List<Integer> versions, boolean permanent) {
        log.append("delete:" + subject + ":test", json(Map.of("subject", subject, "versions", versions, "permanent", permanent)));
    }

    private void appendRegistration(String subject, int version, int id, String schema) {
        log.append("schema:" + subject + ":" + version + ":" + id + ":test",
                json(Map.of("subject", subject, "version", version, "id", id, "schema", schema)));
    }

    private SchemaRegistry replay() {
        SchemaRegistry registry = new SchemaRegistry(log);
        registry.start();
        return registry;
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
