package io.millrace.app.recommendations;

import io.millrace.api.PipelineApi;
import io.millrace.api.dashboard.DashboardPage;
import io.millrace.api.recommendations.RecommendationsApi;
import io.millrace.app.PipelineModule;
import io.millrace.bench.harness.Target;
import io.millrace.bench.simulate.Simulator;
import io.millrace.bench.simulate.recommendations.RecommendationsSimulator;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.recommendations.RecommendationsConfig;
import io.millrace.topology.recommendations.RecommendationsPipeline;
import io.millrace.topology.recommendations.RecommendationsStores;
import io.millrace.topology.recommendations.RecommendationsTopics;
import io.millrace.topology.runtime.StoreReader;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Recommendations (SYSTEMS.md §7, issue #17): a content feed of 8M views a day (92/s), benchmarked at 50,000 interactions/s,
 * with feeds read far more than written.
 */
public final class RecommendationsModule implements PipelineModule<RecommendationsPipeline> {

    @Override
    public String name() {
        return RecommendationsPipeline.NAME;
    }

    @Override
    public RecommendationsPipeline pipeline(PipelineContext context) {
        return new RecommendationsPipeline(context, RecommendationsConfig.from(context.settings()));
    }

    @Override
    public PipelineApi<RecommendationsPipeline> api() {
        return new RecommendationsApi();
    }

    @Override
    public DashboardPage dashboard() {
        return DashboardPage.of(name(), "Recommendations", "interactions per second, what is trending now in each category, how "
                        + "fresh the feeds served are")
                .outputs(RecommendationsTopics.FEED_UPDATES, RecommendationsTopics.TRENDING)
                .reads("/api/dashboard/history", "/api/dashboard/figures", "/api/recommendations/trending",
                        "/api/recommendations/freshness")
                .figures(RecommendationsStores.ACTIVE_FEEDS, RecommendationsModule::figures);
    }

    /** Users active lately and users with a profile, in this instance's active partitions. */
    private static Map<String, Long> figures(KafkaStreams streams) {
        StoreReader stores = StoreReader.active(streams);
        return Map.of("activeUsers", stores.keyValue(RecommendationsStores.ACTIVE_FEEDS).approximateNumEntries(),
                "profiles", stores.keyValue(RecommendationsStores.PROFILES).approximateNumEntries());
    }

    @Override
    public Simulator simulator(PipelineContext context) {
        return new RecommendationsSimulator(context);
    }

    @Override
    public Target benchTarget() {
        return new Target(name(), "interactions/s", Target.Side.INPUT, 92, 50_000, 5_000, Optional.empty(), false);
    }
}
