package io.millrace.topology.latency;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.schemas.latency.LatencySample;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Counts samples that arrive after their window ended: within the grace period (still aggregated) and
 * beyond it (the window aggregation drops them and Kafka Streams counts them in dropped-records too).
 */
final class LatenessMeter implements FixedKeyProcessor<String, LatencySample, LatencySample> {

    static final String METRIC = "millrace.latency.late.samples";

    private final Lateness lateness;
    private final Counter withinGrace;
    private final Counter tooLate;
    private FixedKeyProcessorContext<String, LatencySample> context;

    LatenessMeter(Lateness lateness, MeterRegistry meters) {
        this.lateness = lateness;
        this.withinGrace = counter(meters, "within_grace");
        this.tooLate = counter(meters, "dropped");
    }

    static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder(METRIC).description("Samples that arrived after their one-minute window ended")
                .tag("pipeline", LatencyPipeline.NAME).tag("outcome", outcome).register(meters);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, LatencySample> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, LatencySample> record) {
        switch (lateness.of(record.timestamp(), context.currentStreamTimeMs())) {
            case WITHIN_GRACE -> withinGrace.increment();
            case TOO_LATE -> tooLate.increment();
            case ON_TIME -> { }
        }
        context.forward(record);
    }
}
