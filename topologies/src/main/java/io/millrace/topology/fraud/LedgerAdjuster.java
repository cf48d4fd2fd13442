package io.millrace.topology.fraud;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.fraud.AdjustmentKind;
import io.millrace.schemas.fraud.CardTransaction;
import io.millrace.schemas.fraud.CreditAccount;
import io.millrace.schemas.fraud.Decision;
import io.millrace.schemas.fraud.LedgerAdjustment;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import java.util.ArrayList;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Applies settlements and refunds to the card's ledger and to the transaction they belong to, each at most once. */
final class LedgerAdjuster implements Processor<String, LedgerAdjustment, String, Rejected> {

    static final String UNKNOWN_TRANSACTION = "UNKNOWN_TRANSACTION";
    static final String NOT_APPROVED = "NOT_APPROVED";

    private final Rejections rejections;
    private ProcessorContext<String, Rejected> context;
    private KeyValueStore<String, CreditAccount> ledger;
    private ExpiringStore<CardTransaction> transactions;

    LedgerAdjuster(Rejections rejections) {
        this.rejections = rejections;
    }

    @Override
    public void init(ProcessorContext<String, Rejected> context) {
        this.context = context;
        this.ledger = context.getStateStore(FraudStores.CREDIT_LEDGER);
        this.transactions = new ExpiringStore<>(context.getStateStore(FraudStores.CARD_TRANSACTIONS));
    }

    @Override
    public void process(Record<String, LedgerAdjustment> record) {
        LedgerAdjustment adjustment = record.value();
        String token = adjustment.getCardToken();
        Optional<ExpiringStore.Entry<CardTransaction>> stored = token == null ? Optional.empty()
                : transactions.get(adjustment.getTransactionId()).filter(e -> token.equals(e.value().getDecision().getCardToken()));
        CreditAccount account = token == null ? null : ledger.get(token);
        if (stored.isEmpty() || account == null) {
            reject(record, UNKNOWN_TRANSACTION, "No decision is known for transaction " + adjustment.getTransactionId());
            return;
        }
        CardTransaction transaction = stored.get().value();
        if (transaction.getDecision().getDecision() != Decision.APPROVE) {
            reject(record, NOT_APPROVED, "Transaction " + adjustment.getTransactionId() + " was not approved");
            return;
        }
        CreditLedger.Balance balance = new CreditLedger.Balance(account.getCreditLimit(), account.getHeld(), account.getPosted());
        CreditLedger.Entry entry = new CreditLedger.Entry(transaction.getHeld(), transaction.getSettled(), transaction.getSettledAt(),
                transaction.getRefunded(), transaction.getRefundIds());
        CreditLedger.Change change = adjustment.getKind() == AdjustmentKind.SETTLEMENT
                ? CreditLedger.settle(balance, entry, adjustment.getAmount(), adjustment.getTimestamp())
                : CreditLedger.refund(balance, entry, adjustment.getReferenceId(), adjustment.getAmount());
        if (change instanceof CreditLedger.Refused refused) {
            reject(record, refused.code(), refused.reason());
        } else if (change instanceof CreditLedger.Applied applied) {
            long now = context.currentSystemTimeMs();
            ledger.put(token, CreditAccount.newBuilder(account).setHeld(applied.balance().held())
                    .setPosted(applied.balance().posted()).setUpdatedAt(now).build());
            CreditLedger.Entry after = applied.entry();
            transactions.put(adjustment.getTransactionId(), CardTransaction.newBuilder(transaction).setHeld(after.held())
                    .setSettled(after.settled()).setSettledAt(after.settledAt()).setRefunded(after.refunded())
                    .setRefundIds(new ArrayList<>(after.refundIds())).build(), stored.get().filedAt());
        }
    }

    private void reject(Record<String, LedgerAdjustment> record, String code, String reason) {
        context.forward(record.withValue(rejections.reject(new Violation(code, reason), FraudTopics.LEDGER_ADJUSTMENTS, record.value(),
                context)));
    }
}
