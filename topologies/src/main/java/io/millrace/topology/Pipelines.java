package io.millrace.topology;

import java.util.List;

/** The catalog of the platform's pipelines, in the order they start. */
public final class Pipelines {

    private Pipelines() {
    }

    public static List<Pipeline> all(PipelineContext context) {
        return List.of(new io.millrace.topology.latency.LatencyPipeline(context));
    }
}
