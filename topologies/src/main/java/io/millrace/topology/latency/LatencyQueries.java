package io.millrace.topology.latency;

import io.millrace.schemas.latency.AlertState;
import io.millrace.schemas.latency.LatencyAggregate;
import io.millrace.schemas.latency.LatencyAlert;
import io.millrace.schemas.latency.SloDefinition;
import io.millrace.topology.runtime.StoreReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Answers latency questions from this instance's stores. Every window length and roll-up level is a merge
 * of the one-minute endpoint/region sketches, so a service's series needs only the service's partition.
 */
public final class LatencyQueries {

    private final StoreReader stores;
    private final ClosedWindows closedWindows;
    private final LongSupplier clock;

    public LatencyQueries(StoreReader stores, ClosedWindows closedWindows, LongSupplier clock) {
        this.stores = stores;
        this.closedWindows = closedWindows;
        this.clock = clock;
    }

    /** Queries over {@code stores} with the wall clock as now. */
    public static LatencyQueries of(StoreReader stores, ClosedWindows closedWindows) {
        return new LatencyQueries(stores, closedWindows, System::currentTimeMillis);
    }

    /** One window of a series; {@code complete} once every one-minute window in it has closed on this instance. */
    public record SeriesPoint(long windowStart, long windowEnd, boolean complete, long count, long errorCount, double errorRate,
                              double meanMicros, long maxMicros, long p50Micros, long p90Micros, long p95Micros, long p99Micros,
                              long p999Micros) {
    }

    /** The latest closed five-minute figures of a service. */
    public record ServiceStatus(String service, String window, long windowStart, long windowEnd, long count, double errorRate,
                                double meanMicros, long p50Micros, long p95Micros, long p99Micros, long maxMicros) {
    }

    /** An endpoint (all regions) over the latest closed window of a length. */
    public record EndpointLatency(String service, String endpoint, String window, long windowStart, long windowEnd, long count,
                                  double errorRate, long p50Micros, long p99Micros, long maxMicros) {
    }

    /** The latest change of an SLO's alert. */
    public record Alert(String sloKey, String service, Optional<String> endpoint, String state, String reason, String window,
                        long windowStart, long windowEnd, long count, long p99Micros, long p99ThresholdMicros, double errorRate,
                        double errorRateThreshold, long firingSince, long changedAt) {
    }

    /** An objective as stored. */
    public record Slo(String key, String service, Optional<String> endpoint, long p99ThresholdMicros, double errorRateThreshold,
                      String window, long updatedAt) {
    }

    /** A service's windows starting in [from, to); empty when the service has no window in the store at all. */
    public Optional<List<SeriesPoint>> serviceSeries(String service, WindowSize size, long from, long to) {
        return series(SeriesKey.prefix(service), size, from, to);
    }

    /** One endpoint's windows (all regions merged, or one region) starting in [from, to); empty when it has none stored. */
    public Optional<List<SeriesPoint>> endpointSeries(String service, String endpoint, Optional<String> region, WindowSize size,
                                                      long from, long to) {
        String prefix = region.map(r -> SeriesKey.endpointRegion(service, endpoint, r).key())
                .orElse(SeriesKey.prefix(service, endpoint));
        return series(prefix, size, from, to);
    }

    /** Services whose minutes closed on this instance, with their latest five-minute figures. */
    public List<ServiceStatus> services() {
        ReadOnlyKeyValueStore<String, LatencyAggregate> store = stores.keyValue(LatencyStores.SERVICES);
        List<ServiceStatus> services = new ArrayList<>();
        try (KeyValueIterator<String, LatencyAggregate> all = store.all()) {
            all.forEachRemaining(entry -> services.add(status(entry.key, entry.value)));
        }
        services.sort(Comparator.comparing(ServiceStatus::service));
        return services;
    }

    /**
     * This instance's {@code n} endpoints with the highest p99 over the latest closed window of {@code size}
     * (or, before any minute closed here, the windows up to now).
     */
    public List<EndpointLatency> slowest(int n, WindowSize size) {
        long end = closedWindows.latestEnd().orElse(WindowSize.minuteStart(clock.getAsLong()) + WindowSize.MINUTE_MS);
        long start = end - size.millis();
        Map<SeriesKey, LatencyWindow> endpoints = new HashMap<>();
        ReadOnlyWindowStore<String, LatencyWindow> minutes = stores.window(LatencyStores.ENDPOINT_MINUTES);
        try (KeyValueIterator<Windowed<String>, LatencyWindow> windows =
                     minutes.fetchAll(Instant.ofEpochMilli(start), Instant.ofEpochMilli(end - WindowSize.MINUTE_MS))) {
            windows.forEachRemaining(window -> {
                SeriesKey series = SeriesKey.parse(window.key.key());
                endpoints.computeIfAbsent(SeriesKey.endpoint(series.service(), series.endpoint()), k -> new LatencyWindow())
                        .merge(window.value);
            });
        }
        return endpoints.entrySet().stream()
                .map(entry -> endpointLatency(entry.getKey(), size, start, entry.getValue().figures()))
                .sorted(Comparator.comparingLong(EndpointLatency::p99Micros).reversed())
                .limit(n)
                .toList();
    }

    /** Alerts whose latest change has {@code state}, or all of them; newest first. */
    public List<Alert> alerts(Optional<AlertState> state) {
        ReadOnlyKeyValueStore<String, LatencyAlert> store = stores.keyValue(LatencyStores.ALERTS);
        List<Alert> alerts = new ArrayList<>();
        try (KeyValueIterator<String, LatencyAlert> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (state.isEmpty() || entry.value.getState() == state.get()) {
                    alerts.add(alert(entry.value));
                }
            });
        }
        alerts.sort(Comparator.comparingLong(Alert::changedAt).reversed());
        return alerts;
    }

    /** Every objective (the SLO table is global: each instance has all of them). */
    public List<Slo> slos() {
        ReadOnlyKeyValueStore<String, SloDefinition> store = stores.keyValue(LatencyStores.SLOS);
        List<Slo> slos = new ArrayList<>();
        try (KeyValueIterator<String, SloDefinition> all = store.all()) {
            all.forEachRemaining(entry -> slos.add(new Slo(entry.key, entry.value.getService(),
                    Optional.ofNullable(entry.value.getEndpoint()), entry.value.getP99ThresholdMicros(),
                    entry.value.getErrorRateThreshold(), entry.value.getWindow(), entry.value.getTimestamp())));
        }
        return slos;
    }

    private Optional<List<SeriesPoint>> series(String prefix, WindowSize size, long from, long to) {
        long first = WindowSize.minuteStart(from);
        long minutesFrom = first;
        long minutesTo = to + size.millis() - WindowSize.MINUTE_MS;
        TreeMap<Long, LatencyWindow> byMinute = minutes(prefix, minutesFrom, minutesTo);
        if (byMinute.isEmpty() && !anyWindow(prefix)) {
            return Optional.empty();
        }
        long closedUpTo = closedWindows.latestEnd().orElse(Long.MIN_VALUE);
        List<SeriesPoint> points = new ArrayList<>();
        for (long start = first; start < to; start += WindowSize.MINUTE_MS) {
            LatencyWindow window = new LatencyWindow();
            byMinute.subMap(start, start + size.millis()).values().forEach(window::merge);
            if (window.count() > 0) {
                long end = start + size.millis();
                points.add(point(start, end, end <= closedUpTo, window.figures()));
            }
        }
        return Optional.of(points);
    }

    // One-minute windows of the keys that start with the prefix (or are exactly it), merged per minute.
    private TreeMap<Long, LatencyWindow> minutes(String prefix, long fromMinute, long toMinute) {
        TreeMap<Long, LatencyWindow> byMinute = new TreeMap<>();
        ReadOnlyWindowStore<String, LatencyWindow> minutes = stores.window(LatencyStores.ENDPOINT_MINUTES);
        try (KeyValueIterator<Windowed<String>, LatencyWindow> windows = minutes.fetch(prefix, prefixEnd(prefix),
                Instant.ofEpochMilli(fromMinute), Instant.ofEpochMilli(toMinute))) {
            windows.forEachRemaining(window -> {
                if (window.key.key().startsWith(prefix)) {
                    byMinute.computeIfAbsent(window.key.window().start(), m -> new LatencyWindow()).merge(window.value);
                }
            });
        }
        return byMinute;
    }

    private boolean anyWindow(String prefix) {
        long now = clock.getAsLong();
        ReadOnlyWindowStore<String, LatencyWindow> minutes = stores.window(LatencyStores.ENDPOINT_MINUTES);
        try (KeyValueIterator<Windowed<String>, LatencyWindow> windows = minutes.fetch(prefix, prefixEnd(prefix),
                Instant.ofEpochMilli(now - LatencyPipeline.RETENTION.toMillis()), Instant.ofEpochMilli(now + WindowSize.MINUTE_MS))) {
            while (windows.hasNext()) {
                KeyValue<Windowed<String>, LatencyWindow> window = windows.next();
                if (window.key.key().startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The smallest string above every string that starts with {@code prefix}, as an inclusive range end. */
    static String prefixEnd(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    }

    private static SeriesPoint point(long start, long end, boolean complete, LatencyFigures f) {
        return new SeriesPoint(start, end, complete, f.count(), f.errorCount(), f.errorRate(), f.meanMicros(), f.maxMicros(),
                f.p50Micros(), f.p90Micros(), f.p95Micros(), f.p99Micros(), f.p999Micros());
    }

    private static ServiceStatus status(String service, LatencyAggregate a) {
        return new ServiceStatus(service, a.getWindow(), a.getWindowStart(), a.getWindowEnd(), a.getCount(), a.getErrorRate(),
                a.getMeanMicros(), a.getP50Micros(), a.getP95Micros(), a.getP99Micros(), a.getMaxMicros());
    }

    private static EndpointLatency endpointLatency(SeriesKey endpoint, WindowSize size, long start, LatencyFigures f) {
        return new EndpointLatency(endpoint.service(), endpoint.endpoint(), size.label(), start, start + size.millis(), f.count(),
                f.errorRate(), f.p50Micros(), f.p99Micros(), f.maxMicros());
    }

    /** An alert as the API shows it, from the record on latency.alerts. */
    public static Alert alert(LatencyAlert a) {
        return new Alert(a.getSloKey(), a.getService(), Optional.ofNullable(a.getEndpoint()), a.getState().name(), a.getReason(),
                a.getWindow(), a.getWindowStart(), a.getWindowEnd(), a.getCount(), a.getP99Micros(), a.getP99ThresholdMicros(),
                a.getErrorRate(), a.getErrorRateThreshold(), a.getFiringSince(), a.getTimestamp());
    }
}
