package io.millrace.topology.fraud;

import static io.millrace.topology.fraud.FraudDriver.MASTERCARD;
import static io.millrace.topology.fraud.FraudDriver.OTHER_VISA;
import static io.millrace.topology.fraud.FraudDriver.T0;
import static io.millrace.topology.fraud.FraudDriver.VISA;
import static io.millrace.topology.fraud.FraudDriver.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.CreditAccount;
import io.millrace.schemas.fraud.Decision;
import io.millrace.schemas.fraud.Refund;
import io.millrace.schemas.fraud.Settlement;
import io.millrace.topology.Pipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FraudPipelineTest {

    @TempDir
    Path stateDir;
    private FraudDriver fraud;

    @BeforeEach
    void start() {
        fraud = new FraudDriver(stateDir);
    }

    @AfterEach
    void stop() {
        fraud.close();
    }

    @Test
    void approvesAPurchaseWithinTheLimitAndReservesItsAmount() {
        fraud.openCard(VISA, 500_000, "US");

        AuthorizationDecision decision = fraud.decide(purchase("tx-1", VISA, 4_250).build());

        assertThat(decision.getDecision()).isEqualTo(Decision.APPROVE);
        assertThat(decision.getReasons()).isEmpty();
        assertThat(decision.getCardToken()).isEqualTo(fraud.token(VISA));
        assertThat(decision.getLast4()).isEqualTo("1111");
        assertThat(decision.getAvailableCreditAfter()).isEqualTo(495_750);
        CreditAccount account = ledger(VISA);
        assertThat(account.getHeld()).isEqualTo(4_250);
        assertThat(account.getPosted()).isZero();
    }

    @Test
    void declinesWhenTheAmountExceedsTheAvailableCredit() {
        fraud.openCard(VISA, 10_000, "US");
        fraud.decide(purchase("tx-1", VISA, 7_000).build());

        AuthorizationDecision decision = fraud.decide(purchase("tx-2", VISA, 3_500).setTimestamp(T0.plusSeconds(600).toEpochMilli()).build());

        assertThat(decision.getDecision()).isEqualTo(Decision.DECLINE);
        assertThat(decision.getReasons()).containsExactly(FraudScorer.INSUFFICIENT_CREDIT);
        assertThat(decision.getAvailableCreditAfter()).isEqualTo(3_000);
        assertThat(ledger(VISA).getHeld()).as("a decline reserves nothing").isEqualTo(7_000);
    }

    @Test
    void declinesABlockedCardAndACardTheIssuerNeverAnnounced() {
        fraud.openCard(VISA, 500_000, "US");
        fraud.blockCard(VISA);

        assertThat(fraud.decide(purchase("tx-blocked", VISA, 1_000).build()).getReasons()).containsExactly(FraudScorer.CARD_BLOCKED);
        AuthorizationDecision unknown = fraud.decide(purchase("tx-unknown", MASTERCARD, 1_000).build());
        assertThat(unknown.getDecision()).isEqualTo(Decision.DECLINE);
        assertThat(unknown.getReasons()).containsExactly(FraudScorer.CARD_UNKNOWN);
        assertThat(unknown.getAvailableCreditAfter()).isZero();
    }

    @Test
    void answersARetriedTransactionIdWithTheOriginalDecisionAndReservesOnce() {
        fraud.openCard(VISA, 500_000, "US");
        AuthorizationDecision original = fraud.decide(purchase("tx-1", VISA, 12_000).build());

        AuthorizationDecision retried = fraud.decide(purchase("tx-1", VISA, 99_000).setTimestamp(T0.plusSeconds(5).toEpochMilli()).build());

        assertThat(retried).isEqualTo(original);
        assertThat(ledger(VISA).getHeld()).isEqualTo(12_000);
        assertThat(fraud.meters.get("millrace.fraud.duplicates").counter().count()).isEqualTo(1.0);
        assertThat(fraud.pipeline.notifier().waiting()).isZero();
    }

    @Test
    void stopsACardTestingBurstAtItsThirdAttemptAndDeclinesItPastTheVelocityLimit() {
        fraud.openCard(VISA, 500_000, "US");
        List<AuthorizationDecision> decisions = new java.util.ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            decisions.add(fraud.decide(purchase("tx-" + i, VISA, 150).setMerchantId("m-online-" + i).setLatitude(null).setLongitude(null)
                    .setTimestamp(T0.plusSeconds(5L * i).toEpochMilli()).build()));
        }

        assertThat(decisions).extracting(AuthorizationDecision::getDecision).containsExactly(Decision.APPROVE, Decision.APPROVE,
                Decision.REVIEW, Decision.REVIEW, Decision.REVIEW, Decision.DECLINE, Decision.DECLINE);
        assertThat(decisions.get(2).getReasons()).containsExactly(FraudScorer.SMALL_AMOUNT_BURST);
        assertThat(decisions.get(6).getReasons()).containsExactly(FraudScorer.VELOCITY_1M, FraudScorer.SMALL_AMOUNT_BURST);
        assertThat(ledger(VISA).getHeld()).as("only approvals hold credit").isEqualTo(300);
    }

    @Test
    void declinesImpossibleTravelToANewCountry() {
        fraud.openCard(VISA, 500_000, "US");
        fraud.decide(purchase("tx-ny", VISA, 3_000).build());

        AuthorizationDecision london = fraud.decide(purchase("tx-london", VISA, 3_000).setCountry("GB").setMerchantId("m-london")
                .setLatitude(51.5074).setLongitude(-0.1278).setTimestamp(T0.plus(Duration.ofMinutes(30)).toEpochMilli()).build());

        assertThat(london.getDecision()).isEqualTo(Decision.DECLINE);
        assertThat(london.getReasons()).containsExactlyInAnyOrder(FraudScorer.IMPOSSIBLE_TRAVEL, FraudScorer.NEW_COUNTRY);
    }

    @Test
    void flagsAnAmountFarAboveTheCardsHabit() {
        fraud.openCard(VISA, 5_000_000, "US");
        long[] usual = {2_400, 3_100, 2_800, 3_500, 2_900, 3_300, 2_600, 3_000, 3_200, 2_700, 3_100, 2_900};
        for (int i = 0; i < usual.length; i++) {
            fraud.decide(purchase("tx-" + i, VISA, usual[i]).setTimestamp(T0.plus(Duration.ofMinutes(2L * i)).toEpochMilli()).build());
        }

        AuthorizationDecision big = fraud.decide(purchase("tx-big", VISA, 250_000).setTimestamp(T0.plus(Duration.ofMinutes(40)).toEpochMilli()).build());

        assertThat(big.getDecision()).isEqualTo(Decision.DECLINE);
        assertThat(big.getReasons()).contains(FraudScorer.AMOUNT_ANOMALY);
        assertThat(fraud.decide(purchase("tx-ok", VISA, 4_000).setTimestamp(T0.plus(Duration.ofMinutes(42)).toEpochMilli()).build())
                .getDecision()).as("a slightly larger purchase is fine").isEqualTo(Decision.APPROVE);
    }

    @Test
    void takesTheMerchantsRiskFromTheCompactedTopic() {
        fraud.openCard(VISA, 500_000, "US");
        fraud.rateMerchant("m-shady", 0.9);

        AuthorizationDecision decision = fraud.decide(purchase("tx-1", VISA, 2_000).setMerchantId("m-shady").build());

        assertThat(decision.getDecision()).isEqualTo(Decision.REVIEW);
        assertThat(decision.getReasons()).containsExactly(FraudScorer.MERCHANT_RISK);
        assertThat(decision.getScore()).isBetween(0.6, 0.7);
    }

    @Test
    void rejectsInvalidRequestsWithTheirReasonAndGoesOn() {
        fraud.openCard(VISA, 500_000, "US");

        fraud.send(purchase("tx-zero", VISA, 0).build());
        fraud.send(purchase("tx-currency", VISA, 1_000).setCurrency("XYZ").build());
        fraud.send(purchase("tx-no-card", null, 1_000).build());
        fraud.send(purchase("tx-bad-card", "4111 1111 1111 1112", 1_000).build());
        fraud.send(purchase("tx-fine", VISA, 1_000).build());

        List<TestRecord<String, Rejected>> rejections = fraud.rejected.readRecordsToList();
        assertThat(rejections).extracting(r -> r.key() + ":" + r.value().getCode()).containsExactly(
                "tx-zero:INVALID_AMOUNT", "tx-currency:UNKNOWN_CURRENCY", "tx-no-card:MISSING_CARD", "tx-bad-card:MALFORMED_CARD");
        assertThat(rejections).allSatisfy(r -> assertThat(r.value().getEventJson()).doesNotContain("4111").contains("transactionId"));
        assertThat(fraud.decisions.readKeyValuesToList()).singleElement().satisfies(kv -> assertThat(kv.key).isEqualTo("tx-fine"));
        assertThat(fraud.meters.get("millrace.rejected").tags("code", "INVALID_AMOUNT").counter().count()).isEqualTo(1.0);
    }

    @Test
    void anEmptyRawRequestIsRejectedWithoutAValueAndNeverDeadLettered() {
        fraud.rawRequests.pipeInput("tx-empty".getBytes(StandardCharsets.UTF_8), null, T0);

        assertThat(fraud.rejected.readValuesToList()).singleElement().satisfies(rejection -> {
            assertThat(rejection.getCode()).isEqualTo("NO_VALUE");
            assertThat(rejection.getSourceTopic()).isEqualTo(FraudTopics.AUTHORIZATION_REQUESTS);
        });
        assertThat(fraud.deadLettered.isEmpty()).isTrue();
    }

    @Test
    void sendsAnUndecodableRawRecordToTheDeadLetterTopicWithoutItsBytes() {
        fraud.openCard(VISA, 500_000, "US");
        byte[] garbage = ("\u0000garbled{\"cardNumber\":\"" + VISA + "\"}").getBytes(StandardCharsets.UTF_8);

        fraud.rawRequests.pipeInput(VISA.getBytes(StandardCharsets.UTF_8), garbage, T0);
        fraud.send(purchase("tx-after", VISA, 1_000).build());

        TestRecord<String, byte[]> dead = fraud.deadLettered.readRecord();
        String body = new String(dead.value(), StandardCharsets.UTF_8);
        assertThat(body).doesNotContain(VISA).contains("\"valueDigest\":\"" + fraud.tokenizer.digest(garbage) + "\"")
                .contains("\"valueLength\":" + garbage.length);
        assertThat(dead.key()).isEqualTo(fraud.tokenizer.digest(VISA.getBytes(StandardCharsets.UTF_8))).doesNotContain(VISA);
        assertThat(header(dead, "__streams.errors.topic")).isEqualTo(FraudTopics.AUTHORIZATION_REQUESTS);
        assertThat(header(dead, "__streams.errors.exception")).contains("SerializationException");
        assertThat(header(dead, TokenizingEdge.REDACTED_HEADER)).isEqualTo("hmac-sha256");
        assertThat(fraud.deadLetters.attempts("fraud")).isEqualTo(1);
        assertThat(fraud.decisions.readValuesToList()).extracting(AuthorizationDecision::getTransactionId).containsExactly("tx-after");
    }

    @Test
    void settlementTurnsTheHoldIntoAPostedChargeAndARefundRestoresCredit() {
        fraud.openCard(VISA, 100_000, "US");
        fraud.decide(purchase("tx-1", VISA, 40_000).build());

        fraud.settlements.pipeInput("tx-1", new Settlement("tx-1", 38_000L, T0.plusSeconds(60).toEpochMilli()), T0.plusSeconds(60));
        CreditAccount settled = ledger(VISA);
        fraud.refunds.pipeInput("tx-1", new Refund("rf-1", "tx-1", 8_000L, T0.plusSeconds(120).toEpochMilli()), T0.plusSeconds(120));
        CreditAccount refunded = ledger(VISA);

        assertThat(settled.getHeld()).isZero();
        assertThat(settled.getPosted()).isEqualTo(38_000);
        assertThat(refunded.getPosted()).isEqualTo(30_000);
        assertThat(fraud.rejected.isEmpty()).isTrue();
        assertThat(fraud.decide(purchase("tx-2", VISA, 70_000).setTimestamp(T0.plusSeconds(180).toEpochMilli()).build()).getDecision())
                .as("70,000 of 100,000 - 30,000 posted is available again").isEqualTo(Decision.APPROVE);
    }

    @Test
    void appliesEachSettlementAndRefundOnceAndRejectsWhatBelongsToNoApproval() {
        fraud.openCard(VISA, 100_000, "US");
        fraud.decide(purchase("tx-1", VISA, 20_000).build());
        fraud.decide(purchase("tx-declined", VISA, 500_000).setTimestamp(T0.plusSeconds(1).toEpochMilli()).build());

        fraud.settlements.pipeInput("tx-1", new Settlement("tx-1", 20_000L, T0.plusSeconds(60).toEpochMilli()), T0.plusSeconds(60));
        fraud.settlements.pipeInput("tx-1", new Settlement("tx-1", 20_000L, T0.plusSeconds(61).toEpochMilli()), T0.plusSeconds(61));
        fraud.refunds.pipeInput("tx-1", new Refund("rf-1", "tx-1", 5_000L, T0.plusSeconds(62).toEpochMilli()), T0.plusSeconds(62));
        fraud.refunds.pipeInput("tx-1", new Refund("rf-1", "tx-1", 5_000L, T0.plusSeconds(63).toEpochMilli()), T0.plusSeconds(63));
        fraud.refunds.pipeInput("tx-1", new Refund("rf-2", "tx-1", 50_000L, T0.plusSeconds(64).toEpochMilli()), T0.plusSeconds(64));
        fraud.settlements.pipeInput("tx-declined", new Settlement("tx-declined", 1_000L, T0.plusSeconds(65).toEpochMilli()), T0.plusSeconds(65));
        fraud.settlements.pipeInput("tx-nobody", new Settlement("tx-nobody", 1_000L, T0.plusSeconds(66).toEpochMilli()), T0.plusSeconds(66));

        assertThat(fraud.rejected.readValuesToList()).extracting(Rejected::getCode).containsExactly(
                CreditLedger.ALREADY_SETTLED, CreditLedger.DUPLICATE_REFUND, CreditLedger.EXCEEDS_SETTLED,
                LedgerAdjuster.NOT_APPROVED, LedgerAdjuster.UNKNOWN_TRANSACTION);
        CreditAccount account = ledger(VISA);
        assertThat(account.getHeld()).isZero();
        assertThat(account.getPosted()).isEqualTo(15_000);
    }

    @Test
    void keepsTheFirstDecisionForQueriesAndCountsItButAnswersNoOneBeforeItIsCommitted() {
        fraud.openCard(VISA, 500_000, "US");
        CompletableFuture<AuthorizationDecision> waiting = fraud.pipeline.notifier().await("tx-1");

        AuthorizationDecision decision = fraud.decide(purchase("tx-1", VISA, 5_000).build());
        fraud.decide(purchase("tx-1", VISA, 5_000).build());
        fraud.decide(purchase("tx-2", MASTERCARD, 5_000).build());

        assertThat(waiting).as("only the decision listener answers, once the decision is committed").isNotDone();
        var stored = fraud.driver.<String, AuthorizationDecision>getWindowStore(FraudStores.DECISIONS)
                .fetch("tx-1", Instant.EPOCH, Instant.now().plus(Duration.ofDays(1)));
        assertThat(stored.next().value).isEqualTo(decision);
        assertThat(stored.hasNext()).isFalse();
        stored.close();
        var tally = fraud.driver.<String, io.millrace.schemas.fraud.DecisionTally>getWindowStore(FraudStores.DECISION_STATS)
                .fetch(DecisionTallier.KEY, T0.toEpochMilli());
        assertThat(tally.getApprovals()).as("the retry is not counted again").isEqualTo(1);
        assertThat(tally.getDeclines()).isEqualTo(1);
        assertThat(tally.getReasons()).containsEntry(FraudScorer.CARD_UNKNOWN, 1L);
    }

    @Test
    void countsTheDecisionMixPerStepOfASeriesWithEmptyStepsAsZeros() {
        fraud.openCard(VISA, 500_000, "US");
        fraud.decide(purchase("tx-1", VISA, 5_000).build());
        fraud.decide(purchase("tx-2", MASTERCARD, 5_000).build());
        fraud.advance(Duration.ofSeconds(65));
        fraud.decide(purchase("tx-3", VISA, 6_000).setTimestamp(T0.plusSeconds(65).toEpochMilli()).build());

        List<FraudQueries.Step> series = new FraudQueries(fraud.kit.stores())
                .series(T0, T0.plusSeconds(119), Duration.ofSeconds(30).toMillis());

        assertThat(series).extracting(FraudQueries.Step::start).containsExactly(T0.toEpochMilli(),
                T0.plusSeconds(30).toEpochMilli(), T0.plusSeconds(60).toEpochMilli(), T0.plusSeconds(90).toEpochMilli());
        assertThat(series.get(0)).isEqualTo(new FraudQueries.Step(T0.toEpochMilli(), 1, 1, 0));
        assertThat(series.get(1).approvals() + series.get(1).declines() + series.get(1).reviews()).isZero();
        assertThat(series.get(2).approvals() + series.get(2).declines() + series.get(2).reviews()).isEqualTo(1);
        assertThat(series.get(3).approvals() + series.get(3).declines() + series.get(3).reviews()).isZero();
    }

    @Test
    void noCardNumberReachesAnyTopicOrStoreAfterTheEdge() {
        fraud.openCard(VISA, 100_000, "US");
        fraud.openCard(OTHER_VISA, 100_000, "US");
        fraud.rateMerchant("m-ny-grocer", 0.1);
        fraud.send(purchase("tx-1", VISA, 20_000).build());
        fraud.send(purchase("tx-2", OTHER_VISA, 500_000).build());
        fraud.send(purchase("tx-3", VISA, -5).build());
        fraud.send(purchase("tx-4", "4012-8888-8888-1882", 100).build());
        fraud.requests.pipeInput("tx-5", purchase("tx-5", null, 100).setCardToken(VISA).build(), T0);
        fraud.rawRequests.pipeInput("tx-6".getBytes(StandardCharsets.UTF_8), ("junk " + OTHER_VISA).getBytes(StandardCharsets.UTF_8), T0);
        fraud.settlements.pipeInput("tx-1", new Settlement("tx-1", 20_000L, T0.plusSeconds(60).toEpochMilli()), T0.plusSeconds(60));

        PanScan scan = PanScan.of(List.of(VISA, OTHER_VISA, "4012888888881882"));
        for (String topic : fraud.driver.producedTopicNames()) {
            if (!topic.equals(FraudTopics.AUTHORIZATION_REQUESTS) && !topic.equals(FraudTopics.CARD_UPDATES)) {
                fraud.driver.createOutputTopic(topic, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readRecordsToList()
                        .forEach(r -> scan.record(topic, r.key(), r.value(), r.headers()));
            }
        }
        fraud.driver.getAllStateStores().forEach(scan::store);

        assertThat(scan.topicsScanned()).contains(FraudTopics.TOKENIZED_AUTHORIZATIONS, FraudTopics.DECISIONS, Pipeline.rejectedOf(FraudPipeline.NAME),
                Pipeline.dlqOf(FraudPipeline.NAME), FraudTopics.LEDGER_ADJUSTMENTS, "millrace-fraud-fraud-credit-ledger-changelog",
                "millrace-fraud-fraud-card-profiles-changelog", "millrace-fraud-fraud-card-transactions-changelog");
        assertThat(scan.recordsScanned()).isGreaterThan(20);
        assertThat(scan.storeEntriesScanned()).isGreaterThan(5);
        assertThat(scan.findings()).isEmpty();
        PanScan control = PanScan.of(List.of(VISA));
        control.record(FraudTopics.AUTHORIZATION_REQUESTS, null, fraud.pipeline.fraudTopics().authorizationRequests().valueSerde()
                .serializer().serialize(FraudTopics.AUTHORIZATION_REQUESTS, purchase("tx-1", VISA, 1).build()), new RecordHeaders());
        assertThat(control.findings()).as("the scan finds a card number where there is one").hasSize(1);
    }

    private CreditAccount ledger(String pan) {
        return fraud.driver.<String, CreditAccount>getKeyValueStore(FraudStores.CREDIT_LEDGER).get(fraud.token(pan));
    }

    private static String header(TestRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
