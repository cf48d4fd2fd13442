package io.millrace.app.pricealerts;

import io.millrace.api.PipelineApi;
import io.millrace.api.dashboard.DashboardPage;
import io.millrace.api.pricealerts.PricealertsApi;
import io.millrace.app.PipelineModule;
import io.millrace.bench.harness.Target;
import io.millrace.bench.simulate.Simulator;
import io.millrace.bench.simulate.pricealerts.PricealertsSimulator;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.pricealerts.PricealertsConfig;
import io.millrace.topology.pricealerts.PricealertsPipeline;
import io.millrace.topology.pricealerts.PricealertsStores;
import io.millrace.topology.pricealerts.PricealertsTopics;
import java.util.Optional;

/**
 * Price alerts (SYSTEMS.md §5, issue #15): at least 50,000 quotes/s with a million active watches, and an alert within a
 * second (p99) of its quote at 10,000 quotes/s offered.
 */
public final class PricealertsModule implements PipelineModule<PricealertsPipeline> {

    @Override
    public String name() {
        return PricealertsPipeline.NAME;
    }

    @Override
    public PricealertsPipeline pipeline(PipelineContext context) {
        return new PricealertsPipeline(context, PricealertsConfig.from(context.settings()));
    }

    @Override
    public PipelineApi<PricealertsPipeline> api() {
        return new PricealertsApi();
    }

    @Override
    public DashboardPage dashboard() {
        MostWatched mostWatched = new MostWatched(System::currentTimeMillis);
        return DashboardPage.of(name(), "Price alerts", "quotes per second, the best prices of the most-watched offers and searches as "
                        + "they move, alerts fired")
                .outputs(PricealertsTopics.NOTIFICATIONS)
                .reads("/api/dashboard/history", "/api/dashboard/figures")
                .figures(PricealertsStores.WATCH_TALLIES, mostWatched::count);
    }

    @Override
    public Simulator simulator(PipelineContext context) {
        return new PricealertsSimulator(context);
    }

    @Override
    public Target benchTarget() {
        return new Target(name(), "quotes/s", Target.Side.INPUT, 10_000, 50_000, 10_000, Optional.of(1_000.0), false);
    }
}
