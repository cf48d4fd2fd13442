package io.millrace.app;

import io.millrace.api.PipelineApi;
import io.millrace.api.dashboard.DashboardPage;
import io.millrace.bench.harness.Target;
import io.millrace.bench.simulate.Simulator;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import java.util.Optional;

/** A fixture pipeline of the platform's own tests as a module: its pipeline, API and a bare page, and no simulator or benchmark. */
record FixtureModule<P extends Pipeline>(P fixture, PipelineApi<P> routes) implements PipelineModule<P> {

    static <P extends Pipeline> FixtureModule<P> of(P fixture, PipelineApi<P> api) {
        return new FixtureModule<>(fixture, api);
    }

    static <P extends Pipeline> FixtureModule<P> of(P fixture) {
        return new FixtureModule<>(fixture, PipelineApi.none());
    }

    @Override
    public String name() {
        return fixture.name();
    }

    @Override
    public P pipeline(PipelineContext context) {
        return fixture;
    }

    @Override
    public PipelineApi<P> api() {
        return routes;
    }

    @Override
    public DashboardPage dashboard() {
        return DashboardPage.of(name(), "Fixture " + name(), "a fixture of the platform's own tests");
    }

    @Override
    public Simulator simulator(PipelineContext context) {
        throw new UnsupportedOperationException("fixture " + name() + " has no simulator");
    }

    @Override
    public Target benchTarget() {
        return new Target(name(), "events/s", Target.Side.INPUT, 1, 1, 1, Optional.empty(), false);
    }
}
