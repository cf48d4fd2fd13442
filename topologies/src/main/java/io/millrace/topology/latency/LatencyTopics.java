package io.millrace.topology.latency;

import io.millrace.schemas.latency.LatencyAggregate;
import io.millrace.schemas.latency.LatencyAlert;
import io.millrace.schemas.latency.LatencySample;
import io.millrace.schemas.latency.SloDefinition;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/** The latency pipeline's topics, declared once with their serdes. */
public final class LatencyTopics {

    static final int SAMPLE_PARTITIONS = 6;
    /** Every closed window's figures, with its compressed histogram. */
    public static final String AGGREGATES = "latency.aggregates";
    /** FIRING and RESOLVED alerts of the SLOs. */
    public static final String ALERTS = "latency.alerts";

    private final Topic<String, LatencySample> samples;
    private final Topic<String, SloDefinition> slos;
    private final Topic<String, SloDefinition> checkedSlos;
    private final Topic<String, LatencyAggregate> aggregates;
    private final Topic<String, LatencyAlert> alerts;

    public LatencyTopics(PipelineContext context) {
        samples = new Topic<>(TopicSpec.events("latency.samples", SAMPLE_PARTITIONS), Serdes.String(),
                context.serdes().value(LatencySample.class));
        slos = new Topic<>(TopicSpec.compacted("latency.slos", 1), Serdes.String(), context.serdes().value(SloDefinition.class));
        checkedSlos = new Topic<>(TopicSpec.compacted("latency.slos-checked", 1), Serdes.String(),
                context.serdes().value(SloDefinition.class));
        aggregates = new Topic<>(TopicSpec.events(AGGREGATES, SAMPLE_PARTITIONS), Serdes.String(),
                context.serdes().value(LatencyAggregate.class));
        alerts = new Topic<>(TopicSpec.events(ALERTS, 1), Serdes.String(), context.serdes().value(LatencyAlert.class));
    }

    /** Requests as services report them; keyed by service. */
    public Topic<String, LatencySample> samples() {
        return samples;
    }

    /** Objectives per service or service|endpoint; compacted, the latest one per key counts. */
    public Topic<String, SloDefinition> slos() {
        return slos;
    }

    /** The SLOs that passed their rules, as the global table reads them; written only by the pipeline. */
    public Topic<String, SloDefinition> checkedSlos() {
        return checkedSlos;
    }

    /** Closed windows of every series, for other pipelines (forecasting); keyed by series key. */
    public Topic<String, LatencyAggregate> aggregates() {
        return aggregates;
    }

    /** FIRING and RESOLVED alert changes; keyed by SLO key. */
    public Topic<String, LatencyAlert> alerts() {
        return alerts;
    }

    List<TopicSpec> specs() {
        return List.of(samples.spec(), slos.spec(), checkedSlos.spec(), aggregates.spec(), alerts.spec());
    }

    /** What producers write: samples, and SLOs (also through the API). */
    List<Topic<String, ?>> inputs() {
        return List.of(samples, slos);
    }
}
