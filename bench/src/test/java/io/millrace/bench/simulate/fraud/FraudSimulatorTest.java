package io.millrace.bench.simulate.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.schemas.fraud.AuthorizationRequest;
import io.millrace.schemas.fraud.CardUpdate;
import io.millrace.schemas.registry.InMemorySchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.fraud.CardTokenizer;
import io.millrace.topology.fraud.FraudTopics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FraudSimulatorTest {

    private final FraudTopics topics;
    private final FraudSimulator simulator;

    FraudSimulatorTest() {
        SchemaRegistry registry = new SchemaRegistry(new InMemorySchemaLog());
        registry.start();
        AvroSerdes serdes = new AvroSerdes(new LocalRegistryClient(registry));
        topics = new FraudTopics(serdes);
        simulator = new FraudSimulator(new PipelineContext(serdes, new SimpleMeterRegistry()));
    }

    @Test
    void cardNumbersAreValidAndDistinct() {
        Set<String> pans = new HashSet<>();
        for (int card = 0; card < 2_000; card++) {
            String pan = FraudSimulator.pan(card * 499);
            assertThat(CardTokenizer.normalize(pan)).as(pan).contains(pan);
            pans.add(pan);
        }
        assertThat(pans).hasSize(2_000);
    }

    @Test
    void announcesEachCardBeforeItsFirstPurchaseAndLabelsEveryPurchase() {
        SplittableRandom random = new SplittableRandom(42);
        Map<String, Long> announcedAt = new HashMap<>();
        Map<String, Integer> patterns = new HashMap<>();
        int legit = 0;
        int garbage = 0;
        long now = 1_772_445_600_000L;
        for (int i = 0; i < 60_000; i++, now += 1) {
            SimulatedEvent event = simulator.next(random, now);
            if (event.topic().equals(FraudTopics.CARD_UPDATES)) {
                CardUpdate update = topics.cardUpdates().valueSerde().deserializer().deserialize(event.topic(), event.value());
                announcedAt.putIfAbsent(update.getCardNumber(), now);
            } else if (event.topic().equals(FraudTopics.AUTHORIZATION_REQUESTS)) {
                AuthorizationRequest request;
                try {
                    request = topics.authorizationRequests().valueSerde().deserializer().deserialize(event.topic(), event.value());
                } catch (RuntimeException undecodable) {
                    garbage++;
                    continue;
                }
                assertThat(announcedAt).as("card of %s announced first", request.getTransactionId()).containsKey(request.getCardNumber());
                assertThat(now - announcedAt.get(request.getCardNumber())).as("ms from announcement to use")
                        .isGreaterThanOrEqualTo(FraudSimulator.ACTIVATION_MS);
                String label = event.headers().get(FraudSimulator.LABEL_HEADER);
                assertThat(label).isIn(FraudSimulator.LEGIT, FraudSimulator.FRAUD);
                if (label.equals(FraudSimulator.FRAUD)) {
                    patterns.merge(event.headers().get(FraudSimulator.PATTERN_HEADER), 1, Integer::sum);
                } else {
                    legit++;
                }
            }
        }

        assertThat(patterns).containsOnlyKeys("CARD_TESTING", "IMPOSSIBLE_TRAVEL", "LARGE_AMOUNT");
        int fraud = patterns.values().stream().mapToInt(Integer::intValue).sum();
        assertThat((double) fraud / (fraud + legit)).as("share of fraud").isBetween(0.01, 0.10);
        assertThat(garbage).isPositive();
    }
}
