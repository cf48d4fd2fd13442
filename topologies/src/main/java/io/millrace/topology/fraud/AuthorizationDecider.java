package io.millrace.topology.fraud;

import io.micrometer.core.instrument.Counter;
import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.CardProfile;
import io.millrace.schemas.fraud.CardStatus;
import io.millrace.schemas.fraud.CardTransaction;
import io.millrace.schemas.fraud.CreditAccount;
import io.millrace.schemas.fraud.Decision;
import io.millrace.schemas.fraud.DecisionSummary;
import io.millrace.schemas.fraud.TokenizedAuthorization;
import io.millrace.topology.runtime.Outcome;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import java.util.ArrayList;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decides one card's authorizations, in order, against its ledger and profile: a retried transaction id gets its
 * original decision back; otherwise features, score and rules decide, an approval reserves credit, and ledger,
 * profile and transaction are written in the same exactly-once transaction as the decision.
 */
final class AuthorizationDecider implements Processor<String, RatedAuthorization, String, Outcome<AuthorizationDecision>> {

    private final FraudScorer scorer;
    private final Rejections rejections;
    private final Counter duplicates;
    private ProcessorContext<String, Outcome<AuthorizationDecision>> context;
    private KeyValueStore<String, CreditAccount> ledger;
    private KeyValueStore<String, CardProfile> profiles;
    private ExpiringStore<CardTransaction> transactions;

    AuthorizationDecider(FraudScorer scorer, Rejections rejections, Counter duplicates) {
        this.scorer = scorer;
        this.rejections = rejections;
        this.duplicates = duplicates;
    }

    @Override
    public void init(ProcessorContext<String, Outcome<AuthorizationDecision>> context) {
        this.context = context;
        this.ledger = context.getStateStore(FraudStores.CREDIT_LEDGER);
        this.profiles = context.getStateStore(FraudStores.CARD_PROFILES);
        this.transactions = new ExpiringStore<>(context.getStateStore(FraudStores.CARD_TRANSACTIONS));
    }

    @Override
    public void process(Record<String, RatedAuthorization> record) {
        TokenizedAuthorization auth = record.value().authorization();
        String transactionId = auth.getTransactionId();
        long now = context.currentSystemTimeMs();
        Optional<Violation> violation = EventRules.authorization(transactionId, auth.getCardSource(), auth.getMerchantId(),
                auth.getAmount(), auth.getCurrency(), auth.getCountry(), auth.getLatitude(), auth.getLongitude(), auth.getTimestamp(), now);
        if (violation.isPresent()) {
            context.forward(record.withKey(transactionId).withValue(Outcome.reject(rejections.reject(violation.get(),
                    FraudTopics.TOKENIZED_AUTHORIZATIONS, auth, context))));
            return;
        }
        Optional<ExpiringStore.Entry<CardTransaction>> earlier = transactions.get(transactionId);
        if (earlier.isPresent()) {
            duplicates.increment();
            context.forward(record.withKey(transactionId).withValue(Outcome.accept(earlier.get().value().getDecision())));
            return;
        }

        String token = auth.getCardToken();
        CreditAccount account = ledger.get(token);
        CreditLedger.Balance balance = account == null ? null
                : new CreditLedger.Balance(account.getCreditLimit(), account.getHeld(), account.getPosted());
        FraudScorer.Standing standing = account == null ? FraudScorer.Standing.UNKNOWN
                : new FraudScorer.Standing(true, account.getStatus() == CardStatus.BLOCKED, balance.available());
        CardHistory history = CardHistory.of(token, profiles.get(token));
        CardHistory.Purchase purchase = new CardHistory.Purchase(auth.getMerchantId(), auth.getCountry(), auth.getAmount(),
                auth.getLatitude(), auth.getLongitude(), auth.getTimestamp());
        FraudFeatures features = history.features(purchase, record.value().merchantRisk(),
                account == null ? null : account.getHomeCountry());
        FraudScorer.Verdict verdict = scorer.decide(features, standing, auth.getAmount());

        long availableAfter = standing.availableCredit();
        boolean learnsLast4 = account != null && account.getLast4() == null && auth.getLast4() != null;
        if (account != null && (verdict.decision() == Decision.APPROVE || learnsLast4)) {
            CreditAccount.Builder updated = CreditAccount.newBuilder(account).setUpdatedAt(now);
            if (verdict.decision() == Decision.APPROVE) {
                CreditLedger.Balance after = CreditLedger.reserve(balance, auth.getAmount());
                updated.setHeld(after.held());
                availableAfter = after.available();
                history.recordApproval(purchase);
            }
            if (learnsLast4) {
                updated.setLast4(auth.getLast4());
            }
            ledger.put(token, updated.build());
        }
        AuthorizationDecision decision = AuthorizationDecision.newBuilder()
                .setTransactionId(transactionId)
                .setCardToken(token)
                .setLast4(auth.getLast4() != null ? auth.getLast4() : account == null ? null : account.getLast4())
                .setDecision(verdict.decision())
                .setReasons(new ArrayList<>(verdict.reasons()))
                .setScore(verdict.score())
                .setAmount(auth.getAmount())
                .setCurrency(auth.getCurrency())
                .setMerchantId(auth.getMerchantId())
                .setAvailableCreditAfter(availableAfter)
                .setDecidedAt(now)
                .setTimestamp(auth.getTimestamp())
                .build();
        // A card the issuer never told us about gets no profile: random tokens must not grow the store.
        if (account != null) {
            history.recordAttempt(purchase);
            history.recordDecision(summary(decision, auth));
            profiles.put(token, history.toProfile());
        }
        long held = verdict.decision() == Decision.APPROVE ? auth.getAmount() : 0;
        transactions.put(transactionId, new CardTransaction(decision, held, 0L, null, 0L, new ArrayList<>()), now);
        context.forward(record.withKey(transactionId).withValue(Outcome.accept(decision)));
    }

    private static DecisionSummary summary(AuthorizationDecision decision, TokenizedAuthorization auth) {
        return DecisionSummary.newBuilder()
                .setTransactionId(decision.getTransactionId())
                .setDecision(decision.getDecision())
                .setReasons(decision.getReasons())
                .setScore(decision.getScore())
                .setAmount(decision.getAmount())
                .setCurrency(decision.getCurrency())
                .setMerchantId(decision.getMerchantId())
                .setCountry(auth.getCountry())
                .setTimestamp(auth.getTimestamp())
                .build();
    }
}
