package io.millrace.api.dashboard;

import io.javalin.http.sse.SseClient;
import io.millrace.api.ApiContext;
import io.millrace.api.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes every pipeline's stats to connected dashboards once a second ({@code stats}), and each new point of their
 * history every 5 seconds ({@code point}), as server-sent events. The history is sampled whether or not anyone watches,
 * so a dashboard opened later still gets the last 15 minutes.
 */
public final class DashboardStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DashboardStream.class);

    private final ApiContext context;
    private final Map<String, DashboardPage> pages;
    private final PipelineHistory history;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "millrace-dashboard");
        thread.setDaemon(true);
        return thread;
    });

    public DashboardStream(ApiContext context, Map<String, DashboardPage> pages) {
        this.context = context;
        this.pages = Map.copyOf(pages);
        this.history = new PipelineHistory(context.pipelines(), pages, context.deadLetters(), context.meters());
        ticker.scheduleAtFixedRate(this::broadcast, 1, 1, TimeUnit.SECONDS);
        ticker.scheduleAtFixedRate(this::sample, 0, PipelineHistory.STEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One tick of the stream: this instance's pipelines. */
    public record Snapshot(long at, String instance, List<PipelineStats> pipelines) {
    }

    /** A new point of every pipeline's history. */
    public record Points(long at, Map<String, PipelineHistory.Point> pipelines) {
    }

    public Snapshot snapshot() {
        return new Snapshot(System.currentTimeMillis(), context.router().self().host() + ":" + context.router().self().port(),
                context.pipelines().stream().map(p -> PipelineStats.of(p, Optional.ofNullable(pages.get(p.name())), history)).toList());
    }

    public PipelineHistory history() {
        return history;
    }

    public void connect(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        send(client, "stats", snapshot());
    }

    private void broadcast() {
        try {
            if (!clients.isEmpty()) {
                Snapshot snapshot = snapshot();
                clients.forEach(client -> send(client, "stats", snapshot));
            }
        } catch (RuntimeException e) {
            // A failed tick must not end the schedule: the next one tries again.
            log.debug("Dashboard stats tick failed: {}", e.toString());
        }
    }

    private void sample() {
        try {
            long now = System.currentTimeMillis();
            history.sample(now);
            if (!clients.isEmpty()) {
                Map<String, PipelineHistory.Point> latest = new TreeMap<>();
                history.pipelines().forEach(name -> history.latest(name).filter(p -> p.at() == now).ifPresent(p -> latest.put(name, p)));
                Points points = new Points(now, latest);
                clients.forEach(client -> send(client, "point", points));
            }
        } catch (RuntimeException e) {
            log.debug("Dashboard history sample failed: {}", e.toString());
        }
    }

    private void send(SseClient client, String event, Object data) {
        try {
            client.sendEvent(event, Json.MAPPER.writeValueAsString(data));
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
