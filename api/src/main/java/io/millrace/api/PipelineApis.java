package io.millrace.api;

import java.util.List;

/** The catalog of pipeline HTTP APIs. */
public final class PipelineApis {

    private PipelineApis() {
    }

    public static List<PipelineApi> all() {
        return List.of(new io.millrace.api.latency.LatencyApi());
    }
}
