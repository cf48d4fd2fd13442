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

    /** The simulator of the named pipeline, or every simulator for {@code all}; empty when no pipeline has that name. */
    public static List<Simulator> select(PipelineContext context, String pipelineOrAll) {
        return all(context).stream().filter(s -> pipelineOrAll.equals("all") || s.pipeline().equals(pipelineOrAll)).toList();
    }

    /** The line a command prints when asked for a pipeline that has no simulator. */
    public static String unknown(PipelineContext context, String name) {
        return "No simulator for '" + name + "'. Known: " + all(context).stream().map(Simulator::pipeline).toList();
    }
}
