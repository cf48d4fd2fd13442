package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.FxRate;
import java.util.OptionalDouble;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/** The exchange rates as a processor sees them: the global store fed by {@code pricealerts.fx-rates-checked}. */
final class FxStore implements Money.Rates {

    private final KeyValueStore<String, ValueAndTimestamp<FxRate>> rates;

    FxStore(ProcessingContext context) {
        this.rates = context.getStateStore(PricealertsStores.FX_RATES);
    }

    @Override
    public OptionalDouble perUsd(String currency) {
        ValueAndTimestamp<FxRate> rate = rates.get(currency);
        return rate == null || rate.value() == null ? OptionalDouble.empty() : OptionalDouble.of(rate.value().getPerUsd());
    }
}
