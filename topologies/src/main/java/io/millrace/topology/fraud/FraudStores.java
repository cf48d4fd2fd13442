package io.millrace.topology.fraud;

import java.util.List;

/** The names of the fraud pipeline's state stores. */
public final class FraudStores {

    /** Card token → {@code CreditAccount}: limit, held, posted, status. */
    public static final String CREDIT_LEDGER = "fraud-credit-ledger";
    /** Card token → {@code CardProfile}: velocity, amount statistics, known merchants and countries, recent decisions. */
    public static final String CARD_PROFILES = "fraud-card-profiles";
    /** Transaction id → {@code CardTransaction}, partitioned by card: retries and settlements find their transaction here. */
    public static final String CARD_TRANSACTIONS = "fraud-card-transactions";
    /** Transaction id → the first {@code AuthorizationDecision} for it, partitioned by transaction id: what queries read. */
    public static final String DECISIONS = "fraud-decisions";
    /** Decisions counted per 10 seconds and partition. */
    public static final String DECISION_STATS = "fraud-decision-stats";
    /** Merchant id → {@code MerchantRisk}, a global store: every instance has all of it. */
    public static final String MERCHANT_RISK = "fraud-merchant-risk";

    static final List<String> QUERYABLE = List.of(DECISIONS, CREDIT_LEDGER, CARD_PROFILES, DECISION_STATS);

    private FraudStores() {
    }
}
