package io.millrace.app.fraud;

import io.millrace.api.PipelineApi;
import io.millrace.api.dashboard.DashboardPage;
import io.millrace.api.fraud.FraudApi;
import io.millrace.app.PipelineModule;
import io.millrace.bench.harness.Target;
import io.millrace.bench.simulate.Simulator;
import io.millrace.bench.simulate.fraud.FraudSimulator;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.fraud.FraudConfig;
import io.millrace.topology.fraud.FraudPipeline;
import io.millrace.topology.fraud.FraudTopics;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Card authorization (SYSTEMS.md §4): 6,944 decisions/s on average, p99 under 50 ms end to end. */
public final class FraudModule implements PipelineModule<FraudPipeline> {

    @Override
    public String name() {
        return FraudPipeline.NAME;
    }

    @Override
    public FraudPipeline pipeline(PipelineContext context) {
        return new FraudPipeline(context, FraudConfig.from(context.settings()));
    }

    @Override
    public PipelineApi<FraudPipeline> api() {
        return new FraudApi();
    }

    /** The decision listener: HTTP authorizations are answered once their decision is committed. */
    @Override
    public List<AutoCloseable> companions(FraudPipeline pipeline, Map<String, Object> kafkaClient) {
        return List.of(pipeline.listenForDecisions(kafkaClient));
    }

    @Override
    public DashboardPage dashboard() {
        return DashboardPage.of(name(), "Fraud", "the decision mix over time, decline reasons, decisions sent to review as they are made")
                .outputs(FraudTopics.DECISIONS)
                .reads("/api/fraud/stats/series", "/api/fraud/stats", "/api/fraud/decisions/events");
    }

    @Override
    public Simulator simulator(PipelineContext context) {
        return new FraudSimulator(context);
    }

    @Override
    public Target benchTarget() {
        return new Target(name(), "decisions/s", Target.Side.OUTPUT, 6_944, 21_000, 6_944, Optional.of(250.0), false);
    }
}
