package io.millrace.app.latency;

import io.millrace.api.PipelineApi;
import io.millrace.api.dashboard.DashboardPage;
import io.millrace.api.latency.LatencyApi;
import io.millrace.app.PipelineModule;
import io.millrace.bench.harness.Target;
import io.millrace.bench.simulate.Simulator;
import io.millrace.bench.simulate.latency.LatencySimulator;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.latency.LatencyPipeline;
import io.millrace.topology.latency.LatencyTopics;
import java.util.Optional;

/** Latency aggregation (SYSTEMS.md §2): 10K samples/s on average; windowed outputs, so no end-to-end latency figure. */
public final class LatencyModule implements PipelineModule<LatencyPipeline> {

    @Override
    public String name() {
        return LatencyPipeline.NAME;
    }

    @Override
    public LatencyPipeline pipeline(PipelineContext context) {
        return new LatencyPipeline(context);
    }

    @Override
    public PipelineApi<LatencyPipeline> api() {
        return new LatencyApi();
    }

    @Override
    public DashboardPage dashboard() {
        return DashboardPage.of(name(), "Latency", "p50 and p99 per service over time, firing alerts, the slowest endpoints")
                .outputs(LatencyTopics.AGGREGATES, LatencyTopics.ALERTS).windowed()
                .reads("/api/latency/services", "/api/latency/services/{service}", "/api/latency/slowest", "/api/latency/alerts",
                        "/api/latency/alerts/events");
    }

    @Override
    public Simulator simulator(PipelineContext context) {
        return new LatencySimulator(context);
    }

    @Override
    public Target benchTarget() {
        return new Target(name(), "samples/s", Target.Side.INPUT, 10_000, 100_000, 10_000, Optional.empty(), true);
    }
}
