package io.millrace.api.ops;

import io.javalin.http.sse.SseClient;
import io.millrace.api.ApiContext;
import io.millrace.api.Json;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Pushes every pipeline's stats to connected dashboards once a second (server-sent events). */
public final class DashboardStream implements AutoCloseable {

    private final ApiContext context;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "millrace-dashboard");
        thread.setDaemon(true);
        return thread;
    });

    public DashboardStream(ApiContext context) {
        this.context = context;
        ticker.scheduleAtFixedRate(this::broadcast, 1, 1, TimeUnit.SECONDS);
    }

    /** One tick of the stream. */
    public record Snapshot(long at, List<PipelineStats> pipelines) {
    }

    public Snapshot snapshot() {
        return new Snapshot(System.currentTimeMillis(),
                context.pipelines().stream().map(p -> PipelineStats.of(p, context.deadLetters())).toList());
    }

    public void connect(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        send(client, snapshot());
    }

    private void broadcast() {
        if (clients.isEmpty()) {
            return;
        }
        Snapshot snapshot = snapshot();
        clients.forEach(client -> send(client, snapshot));
    }

    private void send(SseClient client, Snapshot snapshot) {
        try {
            client.sendEvent("stats", Json.MAPPER.writeValueAsString(snapshot));
        } catch (Exception e) {
            clients.remove(client);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        clients.forEach(SseClient::close);
    }
}
