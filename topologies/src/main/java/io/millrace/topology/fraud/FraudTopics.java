package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.AuthorizationRequest;
import io.millrace.schemas.fraud.CardUpdate;
import io.millrace.schemas.fraud.LedgerAdjustment;
import io.millrace.schemas.fraud.MerchantRisk;
import io.millrace.schemas.fraud.Refund;
import io.millrace.schemas.fraud.Settlement;
import io.millrace.schemas.fraud.TokenizedAuthorization;
import io.millrace.schemas.fraud.TokenizedCardUpdate;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the fraud pipeline. The two raw topics are the only ones that may hold card numbers, and
 * keep them for a day; everything keyed by card token or by transaction id has the same partition count,
 * so that each stateful step is co-partitioned.
 */
public final class FraudTopics {

    public static final int PARTITIONS = 6;
    private static final String ONE_DAY_MS = String.valueOf(24L * 3600 * 1000);

    /** Raw authorization requests as producers send them (key: transaction id); may carry PANs. */
    public static final String AUTHORIZATION_REQUESTS = "fraud.authorization-requests";
    /** Raw card updates from the issuer (key: an account reference, never the PAN); may carry PANs. */
    public static final String CARD_UPDATES = "fraud.card-updates";
    /** Authorization requests after the edge, keyed by card token. */
    public static final String TOKENIZED_AUTHORIZATIONS = "fraud.tokenized-authorizations";
    /** Card updates after the edge, keyed by card token. */
    public static final String TOKENIZED_CARD_UPDATES = "fraud.tokenized-card-updates";
    /** Latest risk score per merchant (key: merchant id). */
    public static final String MERCHANT_RISK = "fraud.merchant-risk";
    /** Merchant risk after its rules, as the global table reads it; written only by the pipeline. */
    public static final String MERCHANT_RISK_CHECKED = "fraud.merchant-risk-checked";
    /** Settlements (key: transaction id). */
    public static final String SETTLEMENTS = "fraud.settlements";
    /** Refunds (key: transaction id). */
    public static final String REFUNDS = "fraud.refunds";
    /** Settlements and refunds routed to their card (key: card token). */
    public static final String LEDGER_ADJUSTMENTS = "fraud.ledger-adjustments";
    /** The decisions (key: transaction id). */
    public static final String DECISIONS = "fraud.decisions";

    private final Topic<String, AuthorizationRequest> authorizationRequests;
    private final Topic<String, CardUpdate> cardUpdates;
    private final Topic<String, TokenizedAuthorization> tokenizedAuthorizations;
    private final Topic<String, TokenizedCardUpdate> tokenizedCardUpdates;
    private final Topic<String, MerchantRisk> merchantRisk;
    private final Topic<String, MerchantRisk> checkedMerchantRisk;
    private final Topic<String, Settlement> settlements;
    private final Topic<String, Refund> refunds;
    private final Topic<String, LedgerAdjustment> ledgerAdjustments;
    private final Topic<String, AuthorizationDecision> decisions;

    public FraudTopics(AvroSerdes serdes) {
        authorizationRequests = new Topic<>(TopicSpec.events(AUTHORIZATION_REQUESTS, PARTITIONS).with("retention.ms", ONE_DAY_MS),
                Serdes.String(), serdes.value(AuthorizationRequest.class));
        cardUpdates = new Topic<>(TopicSpec.events(CARD_UPDATES, PARTITIONS).with("retention.ms", ONE_DAY_MS),
                Serdes.String(), serdes.value(CardUpdate.class));
        tokenizedAuthorizations = new Topic<>(TopicSpec.events(TOKENIZED_AUTHORIZATIONS, PARTITIONS), Serdes.String(),
                serdes.value(TokenizedAuthorization.class));
        tokenizedCardUpdates = new Topic<>(TopicSpec.events(TOKENIZED_CARD_UPDATES, PARTITIONS), Serdes.String(),
                serdes.value(TokenizedCardUpdate.class));
        merchantRisk = new Topic<>(TopicSpec.compacted(MERCHANT_RISK, 1), Serdes.String(), serdes.value(MerchantRisk.class));
        checkedMerchantRisk = new Topic<>(TopicSpec.compacted(MERCHANT_RISK_CHECKED, 1), Serdes.String(),
                serdes.value(MerchantRisk.class));
        settlements = new Topic<>(TopicSpec.events(SETTLEMENTS, PARTITIONS), Serdes.String(), serdes.value(Settlement.class));
        refunds = new Topic<>(TopicSpec.events(REFUNDS, PARTITIONS), Serdes.String(), serdes.value(Refund.class));
        ledgerAdjustments = new Topic<>(TopicSpec.events(LEDGER_ADJUSTMENTS, PARTITIONS), Serdes.String(),
                serdes.value(LedgerAdjustment.class));
        decisions = new Topic<>(TopicSpec.events(DECISIONS, PARTITIONS), Serdes.String(), serdes.value(AuthorizationDecision.class));
    }

    public List<TopicSpec> specs() {
        return List.of(authorizationRequests.spec(), cardUpdates.spec(), tokenizedAuthorizations.spec(), tokenizedCardUpdates.spec(),
                merchantRisk.spec(), checkedMerchantRisk.spec(), settlements.spec(), refunds.spec(), ledgerAdjustments.spec(),
                decisions.spec());
    }

    /** What producers write: raw authorizations and card updates, merchant risk, settlements and refunds. */
    public List<Topic<String, ?>> inputs() {
        return List.of(authorizationRequests, cardUpdates, merchantRisk, settlements, refunds);
    }

    public Topic<String, AuthorizationRequest> authorizationRequests() {
        return authorizationRequests;
    }

    public Topic<String, CardUpdate> cardUpdates() {
        return cardUpdates;
    }

    public Topic<String, TokenizedAuthorization> tokenizedAuthorizations() {
        return tokenizedAuthorizations;
    }

    public Topic<String, TokenizedCardUpdate> tokenizedCardUpdates() {
        return tokenizedCardUpdates;
    }

    public Topic<String, MerchantRisk> merchantRisk() {
        return merchantRisk;
    }

    public Topic<String, MerchantRisk> checkedMerchantRisk() {
        return checkedMerchantRisk;
    }

    public Topic<String, Settlement> settlements() {
        return settlements;
    }

    public Topic<String, Refund> refunds() {
        return refunds;
    }

    public Topic<String, LedgerAdjustment> ledgerAdjustments() {
        return ledgerAdjustments;
    }

    public Topic<String, AuthorizationDecision> decisions() {
        return decisions;
    }

}
