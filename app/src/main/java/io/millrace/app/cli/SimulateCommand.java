package io.millrace.app.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.app.PipelineModules;
import io.millrace.bench.simulate.SimulationRun;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Settings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code millrace simulate <pipeline>}: realistic events into a running platform at a chosen rate. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Produce a pipeline's simulated events at a rate, then report events/s in and records/s out.")
public final class SimulateCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The pipeline to feed.")
    String pipeline;

    @Option(names = "--rate", defaultValue = "1000", description = "Events per second (0 = as fast as possible; default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "30", description = "Seconds to run (default ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed, so that a run can be repeated (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        AvroSerdes serdes = new AvroSerdes(connection.registryClient());
        PipelineContext context = new PipelineContext(serdes, new SimpleMeterRegistry(), Settings.fromProcess());
        Simulator simulator;
        try {
            simulator = PipelineModules.select(PipelineModules.discover(), List.of(pipeline)).get(0).simulator(context);
        } catch (IllegalArgumentException unknown) {
            System.err.println(unknown.getMessage());
            return 2;
        }
        SimulationRun.Result result = new SimulationRun(simulator, connection.clientConfig(), rate,
                Duration.ofSeconds(durationSeconds), seed).run(System.out::println);
        System.out.println(result.summary());
        return 0;
    }
}
