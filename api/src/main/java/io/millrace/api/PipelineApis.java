package io.millrace.api;

import io.millrace.api.fraud.FraudApi;
import io.millrace.api.latency.LatencyApi;
import io.millrace.api.messenger.MessengerApi;
import java.util.List;

/** The catalog of pipeline HTTP APIs. */
public final class PipelineApis {

    private PipelineApis() {
    }

    public static List<PipelineApi> all() {
        return List.of(
                new MessengerApi(),
                new LatencyApi(),
                new FraudApi());
    }
}
