package io.millrace.topology.latency;

import io.millrace.schemas.latency.AlertState;
import io.millrace.schemas.latency.LatencyAggregate;
import io.millrace.schemas.latency.LatencyAlert;
import io.millrace.schemas.latency.SloDefinition;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Judges each closed window of a service or endpoint against its objective and keeps the alert state per
 * objective, so that an alert is emitted once when breaching starts and once when it stops.
 */
final class SloAlerting implements FixedKeyProcessor<String, SloAlerting.Check, LatencyAlert> {

    /** A closed window together with the objective of its series, if it has one. */
    record Check(LatencyAggregate window, SloDefinition slo) {
    }

    private FixedKeyProcessorContext<String, LatencyAlert> context;
    private KeyValueStore<String, LatencyAlert> alerts;

    @Override
    public void init(FixedKeyProcessorContext<String, LatencyAlert> context) {
        this.context = context;
        this.alerts = context.getStateStore(LatencyStores.ALERTS);
    }

    @Override
    public void process(FixedKeyRecord<String, Check> record) {
        LatencyAggregate window = record.value().window();
        SloDefinition slo = record.value().slo();
        LatencyAlert previous = alerts.get(record.key());
        boolean firing = previous != null && previous.getState() == AlertState.FIRING;
        if (slo == null) {
            if (firing) {
                emit(record, alert(previous, window, AlertState.RESOLVED, "objective removed", previous.getFiringSince()));
            }
            return;
        }
        SloPolicy.Objective objective = objective(slo);
        if (!objective.window().label().equals(window.getWindow())) {
            return;
        }
        SloPolicy.Judgement judgement = SloPolicy.judge(objective, Aggregates.figures(window));
        Optional<AlertState> change = SloPolicy.transition(firing, judgement.breached());
        change.ifPresent(state -> {
            long since = state == AlertState.FIRING ? window.getWindowStart() : previous.getFiringSince();
            LatencyAlert alert = alert(window, slo, record.key(), state, judgement.reason(), since);
            emit(record, alert);
        });
    }

    private void emit(FixedKeyRecord<String, Check> record, LatencyAlert alert) {
        alerts.put(record.key(), alert);
        context.forward(record.withValue(alert).withTimestamp(alert.getTimestamp()));
    }

    static SloPolicy.Objective objective(SloDefinition slo) {
        return new SloPolicy.Objective(slo.getP99ThresholdMicros(), slo.getErrorRateThreshold(),
                WindowSize.parse(slo.getWindow()).orElse(WindowSize.FIVE_MINUTES));
    }

    private static LatencyAlert alert(LatencyAggregate window, SloDefinition slo, String key, AlertState state, String reason, long since) {
        return LatencyAlert.newBuilder()
                .setSloKey(key)
                .setService(slo.getService())
                .setEndpoint(slo.getEndpoint())
                .setState(state)
                .setReason(reason)
                .setWindow(window.getWindow())
                .setWindowStart(window.getWindowStart())
                .setWindowEnd(window.getWindowEnd())
                .setCount(window.getCount())
                .setP99Micros(window.getP99Micros())
                .setP99ThresholdMicros(slo.getP99ThresholdMicros())
                .setErrorRate(window.getErrorRate())
                .setErrorRateThreshold(slo.getErrorRateThreshold())
                .setFiringSince(since)
                .setTimestamp(window.getWindowEnd())
                .build();
    }

    private static LatencyAlert alert(LatencyAlert previous, LatencyAggregate window, AlertState state, String reason, long since) {
        return LatencyAlert.newBuilder(previous)
                .setState(state)
                .setReason(reason)
                .setWindowStart(window.getWindowStart())
                .setWindowEnd(window.getWindowEnd())
                .setCount(window.getCount())
                .setP99Micros(window.getP99Micros())
                .setErrorRate(window.getErrorRate())
                .setFiringSince(since)
                .setTimestamp(window.getWindowEnd())
                .build();
    }
}
