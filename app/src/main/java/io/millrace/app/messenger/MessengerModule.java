package io.millrace.app.messenger;

import io.millrace.api.PipelineApi;
import io.millrace.api.dashboard.DashboardPage;
import io.millrace.api.messenger.MessengerApi;
import io.millrace.app.PipelineModule;
import io.millrace.bench.harness.Target;
import io.millrace.bench.simulate.Simulator;
import io.millrace.bench.simulate.messenger.MessengerSimulator;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.messenger.MessengerPipeline;
import io.millrace.topology.messenger.MessengerStores;
import io.millrace.topology.messenger.MessengerTopics;
import java.util.Optional;

/** The messenger (SYSTEMS.md §1): 46K messages/s on average, counted as deliveries after fan-out. */
public final class MessengerModule implements PipelineModule<MessengerPipeline> {

    @Override
    public String name() {
        return MessengerPipeline.NAME;
    }

    @Override
    public MessengerPipeline pipeline(PipelineContext context) {
        return new MessengerPipeline(context);
    }

    @Override
    public PipelineApi<MessengerPipeline> api() {
        return new MessengerApi();
    }

    @Override
    public DashboardPage dashboard() {
        OnlineUsers online = new OnlineUsers(System::currentTimeMillis);
        return DashboardPage.of(name(), "Messenger", "messages and deliveries per second, users online, notifications sent")
                .outputs(MessengerTopics.DELIVERIES, MessengerTopics.NOTIFICATIONS)
                .reads("/api/dashboard/history", "/api/dashboard/figures")
                .figures(MessengerStores.PRESENCE, online::count);
    }

    @Override
    public Simulator simulator(PipelineContext context) {
        return new MessengerSimulator(context);
    }

    @Override
    public Target benchTarget() {
        return new Target(name(), "deliveries/s", Target.Side.OUTPUT, 46_000, 46_000, 5_000, Optional.of(250.0), false);
    }
}
