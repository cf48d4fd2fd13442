package io.millrace.topology.fraud;

import io.micrometer.core.instrument.Counter;
import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.fraud.AdjustmentKind;
import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.AuthorizationRequest;
import io.millrace.schemas.fraud.CardProfile;
import io.millrace.schemas.fraud.CardTransaction;
import io.millrace.schemas.fraud.CreditAccount;
import io.millrace.schemas.fraud.DecisionTally;
import io.millrace.schemas.fraud.LedgerAdjustment;
import io.millrace.schemas.fraud.MerchantRisk;
import io.millrace.schemas.fraud.TokenizedAuthorization;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.runtime.GlobalTables;
import io.millrace.topology.runtime.Outcome;
import io.millrace.topology.runtime.Rejections;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Card authorization with fraud scoring and an exactly-once credit ledger.
 *
 * <ol>
 *   <li>Edge: raw requests and card updates, which may carry card numbers, are tokenized (HMAC) and re-keyed by
 *       card token. Nothing after this step ever holds a card number. The HTTP layer tokenizes its own requests
 *       the same way ({@link #tokenize}) and publishes them past the edge.</li>
 *   <li>Card desk (partitioned by card token): authorizations are rated with their merchant's risk, validated,
 *       de-duplicated and decided against the card's ledger and profile; card updates and ledger adjustments
 *       change the same ledger.</li>
 *   <li>Transactions (partitioned by transaction id): the first decision per transaction is kept for queries and
 *       counted; settlements and refunds find their card through it and go back to the card desk.</li>
 * </ol>
 * Waiting HTTP clients are answered by each instance's {@link DecisionListener} once a decision is committed.
 */
public final class FraudPipeline implements Pipeline {

    public static final String NAME = "fraud";

    private final PipelineContext context;
    private final FraudConfig config;
    private final FraudTopics topics;
    private final Rejections rejections;
    private final CardTokenizer tokenizer;
    private final DecisionNotifier notifier = new DecisionNotifier();

    public FraudPipeline(PipelineContext context, FraudConfig config) {
        this.context = context;
        this.config = config;
        this.topics = new FraudTopics(context.serdes());
        this.rejections = new Rejections(this, context);
        this.tokenizer = new CardTokenizer(config.tokenizationKey());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TopicSpec> topics() {
        return topics.specs();
    }

    @Override
    public List<Topic<String, ?>> inputs() {
        return topics.inputs();
    }

    /** Producers may send card numbers on the raw topics: their dead letters never hold the bytes. */
    @Override
    public Set<String> redactedTopics() {
        return Set.of(FraudTopics.AUTHORIZATION_REQUESTS, FraudTopics.CARD_UPDATES);
    }

    @Override
    public List<String> queryableStores() {
        return FraudStores.QUERYABLE;
    }

    @Override
    public Map<String, Object> streamsOverrides() {
        return Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
    }

    public FraudTopics fraudTopics() {
        return topics;
    }

    public DecisionNotifier notifier() {
        return notifier;
    }

    /**
     * An authorization tokenized as the edge would, keyed by its card token: what the HTTP layer publishes straight
     * to {@value FraudTopics#TOKENIZED_AUTHORIZATIONS}, so that card numbers sent over HTTP never reach Kafka.
     */
    public Tokenization.Tokenized<TokenizedAuthorization> tokenize(AuthorizationRequest request) {
        return Tokenization.authorization(request, tokenizer);
    }

    /** Starts this instance's {@link DecisionListener}, which tells the {@link #notifier()} of committed decisions. */
    public DecisionListener listenForDecisions(Map<String, Object> clientConfig) {
        return DecisionListener.start(clientConfig, topics.decisions().valueSerde().deserializer(), notifier, context.meters());
    }

    @Override
    public void build(StreamsBuilder builder) {
        AvroSerdes serdes = context.serdes();
        addStores(builder, serdes);

        // 1. Edge: the only steps that see card numbers.
        tokenizeAtEdge(builder, topics.authorizationRequests(), topics.tokenizedAuthorizations(), Tokenization::authorization, "authorizations");
        tokenizeAtEdge(builder, topics.cardUpdates(), topics.tokenizedCardUpdates(), Tokenization::cardUpdate, "card-updates");

        // 2. Card desk, partitioned by card token.
        GlobalKTable<String, MerchantRisk> merchantRisk = GlobalTables.checked(builder, topics.merchantRisk(),
                topics.checkedMerchantRisk(), FraudStores.MERCHANT_RISK, EventRules::merchantRisk, rejections);
        Counter duplicates = Counter.builder("millrace.fraud.duplicates").description("Retried transaction ids answered with their first decision")
                .tag("pipeline", NAME).register(context.meters());
        KStream<String, Outcome<AuthorizationDecision>> decided = builder.stream(topics.tokenizedAuthorizations().name(),
                        topics.tokenizedAuthorizations().consumed())
                .leftJoin(merchantRisk, (token, auth) -> auth.getMerchantId(),
                        (auth, risk) -> new RatedAuthorization(auth, risk == null ? 0 : risk.getRiskScore()), Named.as("fraud-rate-merchant"))
                .process(() -> new AuthorizationDecider(new FraudScorer(config.thresholds()), rejections, duplicates), Named.as("fraud-decide"),
                        FraudStores.CREDIT_LEDGER, FraudStores.CARD_PROFILES, FraudStores.CARD_TRANSACTIONS);
        KStream<String, Rejected> invalidRequests = decided.filter((txId, outcome) -> outcome.isRejected(), Named.as("fraud-invalid-requests"))
                .mapValues(Outcome::rejected, Named.as("fraud-invalid-request-rejections"));
        decided.filterNot((txId, outcome) -> outcome.isRejected(), Named.as("fraud-decisions-made"))
                .mapValues(Outcome::accepted, Named.as("fraud-decision"))
                .to(topics.decisions().name(), topics.decisions().produced());

        KStream<String, Rejected> invalidCardUpdates = builder.stream(topics.tokenizedCardUpdates().name(), topics.tokenizedCardUpdates().consumed())
                .process(() -> new CardUpdateApplier(rejections), Named.as("fraud-apply-card-update"), FraudStores.CREDIT_LEDGER);
        KStream<String, Rejected> refusedAdjustments = builder.stream(topics.ledgerAdjustments().name(), topics.ledgerAdjustments().consumed())
                .process(() -> new LedgerAdjuster(rejections), Named.as("fraud-adjust-ledger"),
                        FraudStores.CREDIT_LEDGER, FraudStores.CARD_TRANSACTIONS);
        rejections.sink(invalidRequests.merge(invalidCardUpdates, Named.as("fraud-rejections-merge-updates"))
                .merge(refusedAdjustments, Named.as("fraud-rejections-merge-adjustments")));

        // 3. Transactions, partitioned by transaction id.
        builder.stream(topics.decisions().name(), topics.decisions().consumed())
                .process(DecisionRecorder::new, Named.as("fraud-record-first-decision"), FraudStores.DECISIONS)
                .process(DecisionTallier::new, Named.as("fraud-tally-decisions"), FraudStores.DECISION_STATS);
        KStream<String, LedgerAdjustment> settlements = rejections.screen(builder.stream(topics.settlements().name(),
                        topics.settlements().consumed()), topics.settlements(), (key, s) -> EventRules.settlement(s), "fraud-settlements")
                .mapValues(s -> new LedgerAdjustment(AdjustmentKind.SETTLEMENT, s.getTransactionId(), s.getTransactionId(), null,
                        s.getAmount(), s.getTimestamp()), Named.as("fraud-settlement-adjustment"));
        KStream<String, LedgerAdjustment> refunds = rejections.screen(builder.stream(topics.refunds().name(),
                        topics.refunds().consumed()), topics.refunds(), (key, r) -> EventRules.refund(r), "fraud-refunds")
                .mapValues(r -> new LedgerAdjustment(AdjustmentKind.REFUND, r.getRefundId(), r.getTransactionId(), null,
                        r.getAmount(), r.getTimestamp()), Named.as("fraud-refund-adjustment"));
        settlements.merge(refunds, Named.as("fraud-adjustments-merge"))
                .process(LedgerRouter::new, Named.as("fraud-route-to-card"), FraudStores.DECISIONS)
                .to(topics.ledgerAdjustments().name(), topics.ledgerAdjustments().produced());
    }

    private void addStores(StreamsBuilder builder, AvroSerdes serdes) {
        // A cached store writes its changelog once per key and commit (the per-partition tally is written by every
        // decision). The expiring stores stay uncached: a cached window store scans its whole cache on a fetch over time.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.CREDIT_LEDGER),
                Serdes.String(), serdes.value(CreditAccount.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.CARD_PROFILES),
                Serdes.String(), serdes.value(CardProfile.class)).withCachingEnabled());
        builder.addStateStore(ExpiringStore.builder(FraudStores.CARD_TRANSACTIONS, config.cardTransactionRetention(),
                serdes.value(CardTransaction.class)));
        builder.addStateStore(ExpiringStore.builder(FraudStores.DECISIONS, config.decisionRetention(),
                serdes.value(AuthorizationDecision.class)));
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(FraudStores.DECISION_STATS,
                        Duration.ofHours(25), Duration.ofMillis(DecisionTallier.BUCKET_MS), false),
                Serdes.String(), serdes.value(DecisionTally.class)).withCachingEnabled());
    }

    private <R extends SpecificRecord, T extends SpecificRecord> void tokenizeAtEdge(
            StreamsBuilder builder, Topic<String, R> raw, Topic<String, T> tokenized,
            BiFunction<R, CardTokenizer, Tokenization.Tokenized<T>> tokenize, String what) {
        builder.stream(raw.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(raw.name() + "-source"))
                .process(() -> new TokenizingEdge<>(NAME, rejections, raw.eventType(), raw.boundedDeserializer(), tokenized.name(),
                        tokenized.valueSerde().serializer(), tokenizer, tokenize), Named.as("fraud-tokenize-" + what))
                .split(Named.as("fraud-edge-" + what + "-"))
                .branch((key, out) -> out.isRejected(), Branched.<String, TokenizingEdge.Output>withConsumer(empty -> rejections.sink(
                        empty.mapValues(TokenizingEdge.Output::rejected, Named.as("fraud-empty-" + what)), "edge-" + what))
                        .withName("rejected"))
                .branch((key, out) -> out.deadLetter(), Branched.<String, TokenizingEdge.Output>withConsumer(dead -> dead
                        .mapValues(TokenizingEdge.Output::bytes, Named.as("fraud-redacted-" + what))
                        .to(deadLetterTopic(), Produced.with(Serdes.String(), Serdes.ByteArray())
                                .withName("fraud-dead-letter-" + what + "-sink"))).withName("dead-letter"))
                .defaultBranch(Branched.<String, TokenizingEdge.Output>withConsumer(ok -> ok
                        .mapValues(TokenizingEdge.Output::bytes, Named.as("fraud-tokenized-" + what))
                        .to(tokenized.name(), Produced.with(Serdes.String(), Serdes.ByteArray())
                                .withName(tokenized.name() + "-sink"))).withName("tokenized"));
    }
}
