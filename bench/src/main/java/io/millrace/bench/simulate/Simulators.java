package io.millrace.bench.simulate;

import io.millrace.bench.simulate.fraud.FraudSimulator;
import io.millrace.bench.simulate.latency.LatencySimulator;
import io.millrace.bench.simulate.messenger.MessengerSimulator;
import io.millrace.topology.PipelineContext;
import java.util.List;

/** The catalog of simulators, one per pipeline. */
public final class Simulators {

    private Simulators() {
    }

    public static List<Simulator> all(PipelineContext context) {
        return List.of(
                new MessengerSimulator(context),
                new LatencySimulator(context),
                new FraudSimulator(context));
    }
}
