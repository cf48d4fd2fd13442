package io.millrace.api;

import io.millrace.api.docs.ApiRoutes;
import io.millrace.topology.runtime.RunningPipeline;

/** The HTTP part of one pipeline: its query and produce endpoints under /api/<pipeline>. */
public interface PipelineApi {

    /** Name of the pipeline these routes read from. */
    String pipeline();

    void register(ApiRoutes routes, RunningPipeline running, ApiContext context);
}
