package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.AuthorizationDecision;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Keeps the first decision of each transaction for queries (a retry's repeated decision changes nothing) and passes
 * first decisions on to be counted. Waiting clients are told by the {@link DecisionListener}, not from here: this
 * step runs inside a transaction that a crash could still abort.
 */
final class DecisionRecorder implements Processor<String, AuthorizationDecision, String, AuthorizationDecision> {

    private ProcessorContext<String, AuthorizationDecision> context;
    private ExpiringStore<AuthorizationDecision> decisions;

    @Override
    public void init(ProcessorContext<String, AuthorizationDecision> context) {
        this.context = context;
        this.decisions = new ExpiringStore<>(context.getStateStore(FraudStores.DECISIONS));
    }

    @Override
    public void process(Record<String, AuthorizationDecision> record) {
        String transactionId = record.key();
        Optional<ExpiringStore.Entry<AuthorizationDecision>> first = decisions.get(transactionId);
        if (first.isPresent()) {
            return;
        }
        decisions.put(transactionId, record.value(), record.value().getDecidedAt());
        context.forward(record);
    }
}
