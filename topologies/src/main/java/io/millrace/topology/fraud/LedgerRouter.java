package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.LedgerAdjustment;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Finds the card of a settlement or refund from its transaction's decision and re-keys it by card token. One
 * whose transaction is unknown here keeps its transaction id as key and no token: the ledger rejects it.
 */
final class LedgerRouter implements Processor<String, LedgerAdjustment, String, LedgerAdjustment> {

    private ProcessorContext<String, LedgerAdjustment> context;
    private ExpiringStore<AuthorizationDecision> decisions;

    @Override
    public void init(ProcessorContext<String, LedgerAdjustment> context) {
        this.context = context;
        this.decisions = new ExpiringStore<>(context.getStateStore(FraudStores.DECISIONS));
    }

    @Override
    public void process(Record<String, LedgerAdjustment> record) {
        LedgerAdjustment adjustment = record.value();
        String token = decisions.get(adjustment.getTransactionId()).map(d -> d.value().getCardToken()).orElse(null);
        LedgerAdjustment routed = LedgerAdjustment.newBuilder(adjustment).setCardToken(token).build();
        context.forward(record.withKey(token != null ? token : adjustment.getTransactionId()).withValue(routed));
    }
}
