package io.millrace.topology;

import io.millrace.topology.fraud.FraudConfig;
import io.millrace.topology.fraud.FraudPipeline;
import io.millrace.topology.latency.LatencyPipeline;
import io.millrace.topology.messenger.MessengerPipeline;
import java.util.List;

/** The catalog of the platform's pipelines, in the order they start. */
public final class Pipelines {

    private Pipelines() {
    }

    public static List<Pipeline> all(PipelineContext context) {
        return List.of(
                new MessengerPipeline(context),
                new LatencyPipeline(context),
                new FraudPipeline(context, FraudConfig.from(context.settings())));
    }
}
