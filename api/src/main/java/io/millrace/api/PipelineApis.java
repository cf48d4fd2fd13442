package io.millrace.api;

import io.millrace.api.fraud.FraudApi;
import java.util.List;

/** The catalog of pipeline HTTP APIs. */
public final class PipelineApis {

    private PipelineApis() {
    }

    public static List<PipelineApi> all() {
        return List.of(
                new FraudApi());
    }
}
