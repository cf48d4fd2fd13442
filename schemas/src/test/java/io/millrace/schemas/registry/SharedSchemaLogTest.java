package io.millrace.schemas.registry;

import static io.millrace.schemas.registry.TestSchemas.ORDER;
import static io.millrace.schemas.registry.TestSchemas.ORDER_WITH_NOTE;
import static io.millrace.schemas.registry.TestSchemas.PAYMENT;
import static io.millrace.schemas.registry.TestSchemas.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Registries that share one log: restarts, races and compaction must all leave them agreeing. */
class SharedSchemaLogTest {

    private final InMemorySchemaLog log = new InMemorySchemaLog();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        executor.shutdownNow();
    }

    @Test
    void keepsIdsVersionsAndSettingsAcrossARestart() {
        SchemaRegistry before = started(log);
        before.register("orders-value", ORDER);
        before.register("payments-value", PAYMENT);
        before.register("orders-value", ORDER_WITH_NOTE);
        before.setCompatibility("payments-value", "FULL");
        before.setCompatibility("payments-value", "NONE");
        Map<String, List<RegisteredSchema>> stateBefore = state(before);
        before.close();

        SchemaRegistry after = started(log);

        assertThat(state(after)).isEqualTo(stateBefore);
        assertThat(after.compatibility("payments-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(after.register("audit-value", event("Audited")).id()).isEqualTo(4);
    }

    @Test
    void aCandidateThatLostTheRaceForAnIdRetriesWithTheNextId() throws Exception {
        HeldBackLog heldBack = new HeldBackLog(log);
        SchemaRegistry slow = started(heldBack);
        SchemaRegistry fast = started(log);

        Future<RegisteredSchema> slowOrder = executor.submit(() -> slow.register("orders-value", ORDER));
        heldBack.awaitHeldAppend();
        RegisteredSchema fastPayment = fast.register("payments-value", PAYMENT);
        heldBack.release();

        assertThat(fastPayment.id()).isEqualTo(1);
        assertThat(slowOrder.get(10, TimeUnit.SECONDS).id()).isEqualTo(2);
        assertThat(state(slow)).isEqualTo(state(fast));
        assertThat(slow.schemaById(1)).isEqualTo(fast.schemaById(1)).isEqualTo(fastPayment.schema());
    }

    @Test
    void aCandidateThatLostTheRaceForAVersionBecomesTheNextVersion() throws Exception {
        HeldBackLog heldBack = new HeldBackLog(log);
        SchemaRegistry slow = started(heldBack);
        SchemaRegistry fast = started(log);

        Future<RegisteredSchema> slowRegistration = executor.submit(() -> slow.register("orders-value", ORDER_WITH_NOTE));
        heldBack.awaitHeldAppend();
        fast.register("orders-value", ORDER);
        heldBack.release();

        RegisteredSchema slowResult = slowRegistration.get(10, TimeUnit.SECONDS);
        assertThat(slowResult.version()).isEqualTo(2);
        assertThat(slowResult.id()).isEqualTo(2);
        assertThat(state(slow)).isEqualTo(state(fast));
    }

    @Test
    void registriesRacingOnOneLogEndIdenticalAndNeverShareAnIdBetweenSchemas() throws Exception {
        SchemaRegistry first = started(log);
        SchemaRegistry second = started(log);
        first.setCompatibility(null, "NONE");
        int threads = 8;
        int distinctSchemas = 12;
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<RegisteredSchema> answers = new ConcurrentLinkedQueue<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SchemaRegistry registry = t % 2 == 0 ? first : second;
            int thread = t;
            workers.add(executor.submit(() -> {
                go.await();
                for (int i = 0; i < 30; i++) {
                    answers.add(registry.register("topic-" + (thread + i) % 5 + "-value", event("E" + (i + 5 * thread) % distinctSchemas)));
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }

        Map<String, List<RegisteredSchema>> state = state(first);
        assertThat(state(second)).isEqualTo(state);
        Map<Integer, List<String>> schemasById = state.values().stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(RegisteredSchema::id,
                        Collectors.mapping(RegisteredSchema::schema, Collectors.collectingAndThen(Collectors.toSet(), ArrayList::new))));
        assertThat(schemasById.keySet()).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, distinctSchemas).boxed().toList());
        assertThat(schemasById.values()).allSatisfy(schemas -> assertThat(schemas).hasSize(1));
        assertThat(answers).allSatisfy(answer ->
                assertThat(state.get(answer.subject()).get(answer.version() - 1)).isEqualTo(answer));
    }

    @Test
    void replayingTheLogAfterCompactionRebuildsTheSameState() throws Exception {
        List<Map.Entry<String, byte[]>> appended = new ArrayList<>();
        log.start((key, value) -> appended.add(Map.entry(key, value)));
        HeldBackLog heldBack = new HeldBackLog(log);
        SchemaRegistry slow = started(heldBack);
        SchemaRegistry fast = started(log);
        // The slow instance's candidate for version 1 is identical to the fast one's but lands after version 2,
        // the case where a content-derived key would let compaction move version 1 behind version 2.
        Future<RegisteredSchema> slowRegistration = executor.submit(() -> slow.register("orders-value", ORDER));
        heldBack.awaitHeldAppend();
        fast.register("orders-value", ORDER);
        fast.register("orders-value", ORDER_WITH_NOTE);
        fast.setCompatibility(null, "FULL");
        fast.setCompatibility(null, "FORWARD");
        heldBack.release();
        slowRegistration.get(10, TimeUnit.SECONDS);
        Map<String, List<RegisteredSchema>> live = state(fast);

        InMemorySchemaLog compacted = new InMemorySchemaLog();
        compact(appended).forEach(compacted::append);
        SchemaRegistry replayed = started(compacted);

        assertThat(state(replayed)).isEqualTo(live);
        assertThat(replayed.compatibility(null)).isEqualTo(CompatibilityLevel.FORWARD);
    }

    @Test
    void aDeleteOnOneInstanceIsSeenByAnotherSharingTheLog() {
        SchemaRegistry first = started(log);
        SchemaRegistry second = started(log);
        int orderId = first.register("orders-value", ORDER).id();
        first.register("payments-value", PAYMENT);

        second.deleteSubject("orders-value", false);
        second.deleteSubject("payments-value", false);
        second.deleteSubject("payments-value", true);

        assertThat(first.subjects()).isEmpty();
        assertThat(first.subjects(true)).containsExactly("orders-value");
        assertThat(first.schemaById(orderId)).isEqualTo(second.schemaById(orderId));
        assertThat(first.register("payments-value", PAYMENT).version()).as("a subject deleted for good starts again").isEqualTo(1);
    }

    @Test
    void deletesSurviveARestart() {
        SchemaRegistry before = started(log);
        int orderId = before.register("orders-value", ORDER).id();
        before.register("orders-value", ORDER_WITH_NOTE);
        int paymentId = before.register("payments-value", PAYMENT).id();
        before.setCompatibility("payments-value", "NONE");
        before.deleteVersion("orders-value", "1", false);
        before.deleteSubject("payments-value", false);
        before.deleteSubject("payments-value", true);
        Map<String, List<RegisteredSchema>> stateBefore = stateWithDeleted(before);
        String orderSchema = before.schemaById(orderId);
        before.close();

        SchemaRegistry after = started(log);

        assertThat(stateWithDeleted(after)).isEqualTo(stateBefore);
        assertThat(after.versions("orders-value")).containsExactly(2);
        assertThat(after.schemaById(orderId)).isEqualTo(orderSchema);
        assertThatThrownBy(() -> after.schemaById(paymentId)).isInstanceOf(SchemaRegistryException.class);
        assertThat(after.compatibility("payments-value")).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(after.register("audit-value", event("Audited")).id()).as("a retired id is not given again").isEqualTo(paymentId + 1);
    }

    @Test
    void replayingACompactedLogWithDeletesRebuildsTheSameState() {
        List<Map.Entry<String, byte[]>> appended = new ArrayList<>();
        log.start((key, value) -> appended.add(Map.entry(key, value)));
        SchemaRegistry live = started(log);
        live.register("orders-value", ORDER);
        live.setCompatibility("orders-value", "FULL");
        live.deleteSubject("orders-value", false);
        live.deleteSubject("orders-value", true);
        live.setCompatibility("orders-value", "NONE");
        live.register("orders-value", ORDER_WITH_NOTE);
        live.register("payments-value", PAYMENT);
        live.deleteVersion("payments-value", "latest", false);
        live.register("payments-value", PAYMENT);

        InMemorySchemaLog compacted = new InMemorySchemaLog();
        compact(appended).forEach(compacted::append);
        SchemaRegistry replayed = started(compacted);

        assertThat(stateWithDeleted(replayed)).isEqualTo(stateWithDeleted(live));
        assertThat(replayed.compatibility("orders-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(replayed.versions("payments-value", true)).containsExactly(2);
    }

    private static SchemaRegistry started(SchemaLog log) {
        SchemaRegistry registry = new SchemaRegistry(log);
        registry.start();
        return registry;
    }

    private static Map<String, List<RegisteredSchema>> state(SchemaRegistry registry) {
        Map<String, List<RegisteredSchema>> state = new HashMap<>();
        for (String subject : registry.subjects()) {
            state.put(subject, registry.versions(subject).stream()
                    .map(version -> registry.version(subject, String.valueOf(version)))
                    .toList());
        }
        return state;
    }

    private static Map<String, List<RegisteredSchema>> stateWithDeleted(SchemaRegistry registry) {
        Map<String, List<RegisteredSchema>> state = new HashMap<>();
        for (String subject : registry.subjects(true)) {
            state.put(subject, registry.versions(subject, true).stream()
                    .map(version -> registry.version(subject, String.valueOf(version), true))
                    .toList());
        }
        return state;
    }

    /** What Kafka's log cleaner leaves: the last record per key, in the order of those last records. */
    private static Map<String, byte[]> compact(List<Map.Entry<String, byte[]>> records) {
        Map<String, byte[]> survivors = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> record : records) {
            survivors.remove(record.getKey());
            survivors.put(record.getKey(), record.getValue());
        }
        return survivors;
    }

    /** A view of a shared log whose first append waits until the test lets it through. */
    private static final class HeldBackLog implements SchemaLog {

        private final SchemaLog shared;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        HeldBackLog(SchemaLog shared) {
            this.shared = shared;
        }

        @Override
        public void start(BiConsumer<String, byte[]> listener) {
            shared.start(listener);
        }

        @Override
        public void append(String key, byte[] value) {
            if (held.getCount() > 0) {
                held.countDown();
                awaitUninterruptibly(released);
            }
            shared.append(key, value);
        }

        @Override
        public void close() {
            shared.close();
        }

        void awaitHeldAppend() {
            awaitUninterruptibly(held);
        }

        void release() {
            released.countDown();
        }

        private static void awaitUninterruptibly(CountDownLatch latch) {
            try {
                assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch opened in time").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
