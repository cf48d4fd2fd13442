package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.PriceAlert;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/** Keeps each user's alerts, by the time they fired, for the user's alert history. */
final class AlertLog implements Processor<String, PriceAlert, Void, Void> {

    private WindowStore<String, PriceAlert> alerts;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.alerts = context.getStateStore(PricealertsStores.USER_ALERTS);
    }

    @Override
    public void process(Record<String, PriceAlert> record) {
        PriceAlert alert = record.value();
        if (alert != null) {
            alerts.put(alert.getUser(), alert, alert.getFiredAt());
        }
    }
}
