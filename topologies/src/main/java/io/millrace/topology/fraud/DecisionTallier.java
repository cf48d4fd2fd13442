package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.DecisionTally;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Counts decisions and their reasons per 10 seconds of decision time, in this partition's store under one key:
 * no re-keying (and no repartition topic) is needed, and a query adds up the partitions.
 */
final class DecisionTallier implements Processor<String, AuthorizationDecision, Void, Void> {

    static final long BUCKET_MS = 10_000;
    static final String KEY = "decisions";

    private WindowStore<String, DecisionTally> tallies;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.tallies = context.getStateStore(FraudStores.DECISION_STATS);
    }

    @Override
    public void process(Record<String, AuthorizationDecision> record) {
        AuthorizationDecision decision = record.value();
        long bucket = decision.getDecidedAt() - Math.floorMod(decision.getDecidedAt(), BUCKET_MS);
        DecisionTally tally = tallies.fetch(KEY, bucket);
        DecisionTally.Builder next = tally == null
                ? DecisionTally.newBuilder().setApprovals(0).setDeclines(0).setReviews(0).setReasons(new HashMap<>())
                : DecisionTally.newBuilder(tally);
        switch (decision.getDecision()) {
            case APPROVE -> next.setApprovals(next.getApprovals() + 1);
            case DECLINE -> next.setDeclines(next.getDeclines() + 1);
            case REVIEW -> next.setReviews(next.getReviews() + 1);
        }
        Map<String, Long> reasons = new HashMap<>(next.getReasons());
        decision.getReasons().forEach(reason -> reasons.merge(reason, 1L, Long::sum));
        tallies.put(KEY, next.setReasons(reasons).build(), bucket);
    }
}
