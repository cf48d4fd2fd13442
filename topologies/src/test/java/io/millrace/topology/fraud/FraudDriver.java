package io.millrace.topology.fraud;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.AuthorizationRequest;
import io.millrace.schemas.fraud.CardStatus;
import io.millrace.schemas.fraud.CardUpdate;
import io.millrace.schemas.fraud.MerchantRisk;
import io.millrace.schemas.fraud.Refund;
import io.millrace.schemas.fraud.Settlement;
import io.millrace.topology.runtime.DeadLetters;
import io.millrace.topology.testkit.PipelineTestDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The fraud pipeline in a TopologyTestDriver, with typed topics and events built the way a terminal sends them. */
final class FraudDriver implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final String VISA = "4111111111111111";
    static final String MASTERCARD = "5555555555554444";
    static final String OTHER_VISA = "4012888888881881";

    final PipelineTestDriver<FraudPipeline> kit;
    final SimpleMeterRegistry meters;
    final DeadLetters deadLetters;
    final FraudConfig config = FraudConfig.development();
    final CardTokenizer tokenizer = new CardTokenizer(config.tokenizationKey());
    final FraudPipeline pipeline;
    final TopologyTestDriver driver;
    final TestInputTopic<String, AuthorizationRequest> requests;
    final TestInputTopic<byte[], byte[]> rawRequests;
    final TestInputTopic<String, CardUpdate> cardUpdates;
    final TestInputTopic<String, MerchantRisk> merchantRisk;
    final TestInputTopic<String, Settlement> settlements;
    final TestInputTopic<String, Refund> refunds;
    final TestOutputTopic<String, AuthorizationDecision> decisions;
    final TestOutputTopic<String, Rejected> rejected;
    final TestOutputTopic<String, byte[]> deadLettered;

    FraudDriver(Path stateDir) {
        kit = PipelineTestDriver.start(context -> new FraudPipeline(context, config), stateDir, T0);
        meters = kit.meters;
        deadLetters = kit.deadLetters;
        pipeline = kit.pipeline;
        driver = kit.driver;
        FraudTopics topics = pipeline.fraudTopics();
        requests = driver.createInputTopic(topics.authorizationRequests().name(), Serdes.String().serializer(),
                topics.authorizationRequests().valueSerde().serializer());
        rawRequests = driver.createInputTopic(topics.authorizationRequests().name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        cardUpdates = driver.createInputTopic(topics.cardUpdates().name(), Serdes.String().serializer(),
                topics.cardUpdates().valueSerde().serializer());
        merchantRisk = driver.createInputTopic(topics.merchantRisk().name(), Serdes.String().serializer(),
                topics.merchantRisk().valueSerde().serializer());
        settlements = driver.createInputTopic(topics.settlements().name(), Serdes.String().serializer(),
                topics.settlements().valueSerde().serializer());
        refunds = driver.createInputTopic(topics.refunds().name(), Serdes.String().serializer(), topics.refunds().valueSerde().serializer());
        decisions = driver.createOutputTopic(topics.decisions().name(), Serdes.String().deserializer(),
                topics.decisions().valueSerde().deserializer());
        rejected = driver.createOutputTopic(pipeline.rejectedTopic(), Serdes.String().deserializer(),
                kit.serdes.value(Rejected.class).deserializer());
        deadLettered = driver.createOutputTopic(pipeline.deadLetterTopic(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    String token(String pan) {
        return tokenizer.token(pan);
    }

    void openCard(String pan, long creditLimit, String homeCountry) {
        cardUpdates.pipeInput("account-" + CardTokenizer.last4(pan), CardUpdate.newBuilder().setCardNumber(pan).setCreditLimit(creditLimit)
                .setStatus(CardStatus.ACTIVE).setHomeCountry(homeCountry).setTimestamp(T0.toEpochMilli()).build(), T0);
    }

    void blockCard(String pan) {
        cardUpdates.pipeInput("account-" + CardTokenizer.last4(pan), CardUpdate.newBuilder().setCardNumber(pan)
                .setStatus(CardStatus.BLOCKED).setTimestamp(T0.toEpochMilli()).build(), T0);
    }

    void rateMerchant(String merchantId, double risk) {
        merchantRisk.pipeInput(merchantId, new MerchantRisk(merchantId, risk, T0.toEpochMilli()), T0);
    }

    /** A card-present purchase at a New York grocery, unless changed. */
    static AuthorizationRequest.Builder purchase(String transactionId, String pan, long amount) {
        return AuthorizationRequest.newBuilder()
                .setTransactionId(transactionId)
                .setCardNumber(pan)
                .setMerchantId("m-ny-grocer")
                .setMerchantCategory("5411")
                .setAmount(amount)
                .setCurrency("USD")
                .setCountry("US")
                .setLatitude(40.7128)
                .setLongitude(-74.0060)
                .setTimestamp(T0.toEpochMilli());
    }

    /** Sends the request at its own timestamp, as wall clock moves on to it. */
    void send(AuthorizationRequest request) {
        Instant at = Instant.ofEpochMilli(request.getTimestamp());
        requests.pipeInput(request.getTransactionId(), request, at);
    }

    AuthorizationDecision decide(AuthorizationRequest request) {
        send(request);
        List<AuthorizationDecision> made = decisions.readValuesToList();
        if (made.isEmpty()) {
            throw new AssertionError("no decision for " + request.getTransactionId() + "; rejected: " + rejected.readValuesToList());
        }
        return made.get(made.size() - 1);
    }

    void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    @Override
    public void close() {
        kit.close();
    }
}
