package io.millrace.api;

import io.millrace.api.docs.ApiRoutes;
import io.millrace.topology.Pipeline;
import io.millrace.topology.runtime.RunningPipeline;

/** The HTTP part of one pipeline: its query and produce endpoints under /api/<pipeline>, with typed access to the pipeline. */
public interface PipelineApi<P extends Pipeline> {

    /** Registers the routes of {@code pipeline}, running here as {@code running}. */
    void register(ApiRoutes routes, P pipeline, RunningPipeline running, ApiContext context);

    /** For a pipeline that answers no query of its own (its state, health and dead letters are still on the ops routes). */
    static <P extends Pipeline> PipelineApi<P> none() {
        return (routes, pipeline, running, context) -> { };
    }

    /** A pipeline's API bound to the pipeline it serves, ready to register. */
    record Bound<P extends Pipeline>(PipelineApi<P> api, P pipeline, RunningPipeline running) {
        void register(ApiRoutes routes, ApiContext context) {
            api.register(routes, pipeline, running, context);
        }
    }
}
