package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.WatchCancelled;
import io.millrace.schemas.pricealerts.WatchChange;
import io.millrace.topology.runtime.Outcome;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A user's watches, in the user's partition: a watch that passes its rules is kept (replacing the one with its id) and
 * sent, keyed by the search key of what it watches, to be filed there; a cancellation of a watch the user has removes it
 * the same way. A replaced watch that moved to another search is taken off its old one first.
 */
final class WatchRegistry implements Processor<String, WatchRequest, String, Outcome<WatchChange>> {

    private final PricealertsConfig config;
    private final Rejections rejections;
    private ProcessorContext<String, Outcome<WatchChange>> context;
    private KeyValueStore<String, PriceWatch> watches;

    WatchRegistry(PricealertsConfig config, Rejections rejections) {
        this.config = config;
        this.rejections = rejections;
    }

    @Override
    public void init(ProcessorContext<String, Outcome<WatchChange>> context) {
        this.context = context;
        this.watches = context.getStateStore(PricealertsStores.USER_WATCHES);
    }

    @Override
    public void process(Record<String, WatchRequest> record) {
        if (record.value().placed() != null) {
            place(record, record.value().placed());
        } else {
            cancel(record, record.value().cancelled());
        }
    }

    private void place(Record<String, WatchRequest> record, PriceWatch watch) {
        Optional<Violation> violation = WatchRules.check(record.key(), watch, context.currentSystemTimeMs());
        String key = BoardKeys.join(watch.getUser(), watch.getWatchId());
        PriceWatch existing = violation.isPresent() ? null : watches.get(key);
        if (violation.isEmpty() && existing == null && count(watch.getUser()) >= config.maxWatchesPerUser()) {
            violation = Violation.of(WatchRules.TOO_MANY_WATCHES, "a user may have at most " + config.maxWatchesPerUser() + " watches");
        }
        if (violation.isPresent()) {
            reject(record, violation.get(), watch);
            return;
        }
        if (existing != null && !OfferKeys.searchKeyOf(existing.getTarget()).equals(OfferKeys.searchKeyOf(watch.getTarget()))) {
            send(record, existing, true);
        }
        watches.put(key, watch);
        send(record, watch, false);
    }

    private void cancel(Record<String, WatchRequest> record, WatchCancelled cancelled) {
        PriceWatch existing = watches.get(BoardKeys.join(cancelled.getUser(), cancelled.getWatchId()));
        if (existing == null) {
            reject(record, new Violation(WatchRules.UNKNOWN_WATCH, cancelled.getUser() + " has no watch " + cancelled.getWatchId()), cancelled);
            return;
        }
        watches.delete(BoardKeys.join(cancelled.getUser(), cancelled.getWatchId()));
        send(record, existing, true);
    }

    private void send(Record<String, WatchRequest> record, PriceWatch watch, boolean removed) {
        context.forward(record.withKey(OfferKeys.searchKeyOf(watch.getTarget())).withValue(Outcome.accept(new WatchChange(watch, removed))));
    }

    private void reject(Record<String, WatchRequest> record, Violation violation, SpecificRecord event) {
        context.forward(record.withValue(Outcome.reject(rejections.reject(violation, event, context))));
    }

    /** The user's watches, counted up to the limit. */
    private int count(String user) {
        int count = 0;
        try (KeyValueIterator<String, PriceWatch> own = watches.range(BoardKeys.prefix(user), BoardKeys.prefix(user) + BoardKeys.AFTER_ALL)) {
            while (own.hasNext() && count < config.maxWatchesPerUser()) {
                own.next();
                count++;
            }
        }
        return count;
    }
}
