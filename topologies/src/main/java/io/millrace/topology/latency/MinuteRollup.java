package io.millrace.topology.latency;

import io.millrace.schemas.latency.AggregateScope;
import io.millrace.schemas.latency.LatencyAggregate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Rolls closed one-minute windows up into the figures of every series of a service. It receives each closed
 * endpoint/region window once, notes its service and minute, and — once the whole burst of windows that
 * closed together has arrived — merges the sketches of that minute, and of the five minutes ending with it,
 * per endpoint/region, per endpoint and per service. It forwards them all as aggregates and keeps the
 * latest five-minute figures of each service for the services overview.
 */
final class MinuteRollup implements Processor<Windowed<String>, LatencyWindow, String, LatencyAggregate> {

    // Kafka Streams forwards all windows that close at the same stream time in one synchronous burst, and
    // punctuation never runs inside one: whatever is pending at a punctuation is complete.
    private static final Duration ROLL_UP_EVERY = Duration.ofSeconds(1);

    private final ClosedWindows closedWindows;
    private ProcessorContext<String, LatencyAggregate> context;
    private TimestampedWindowStore<String, LatencyWindow> minutes;
    private KeyValueStore<String, Long> pending;
    private KeyValueStore<String, LatencyAggregate> services;

    MinuteRollup(ClosedWindows closedWindows) {
        this.closedWindows = closedWindows;
    }

    @Override
    public void init(ProcessorContext<String, LatencyAggregate> context) {
        this.context = context;
        this.minutes = context.getStateStore(LatencyStores.ENDPOINT_MINUTES);
        this.pending = context.getStateStore(LatencyStores.PENDING_ROLLUPS);
        this.services = context.getStateStore(LatencyStores.SERVICES);
        context.schedule(ROLL_UP_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> rollUpClosedMinutes());
    }

    @Override
    public void process(Record<Windowed<String>, LatencyWindow> closed) {
        String service = SeriesKey.parse(closed.key().key()).service();
        long minute = closed.key().window().start();
        pending.put(minute + "@" + service, minute);
    }

    private void rollUpClosedMinutes() {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = pending.all()) {
            all.forEachRemaining(due::add);
        }
        if (due.isEmpty()) {
            return;
        }
        // Oldest minute first, so that alerts see a service's windows in order.
        due.sort(Comparator.<KeyValue<String, Long>>comparingLong(entry -> entry.value).thenComparing(entry -> entry.key));
        long latestEnd = Long.MIN_VALUE;
        for (KeyValue<String, Long> entry : due) {
            String service = entry.key.substring(entry.key.indexOf('@') + 1);
            rollUp(service, entry.value);
            pending.delete(entry.key);
            latestEnd = Math.max(latestEnd, entry.value + WindowSize.MINUTE_MS);
        }
        closedWindows.closed(latestEnd);
    }

    private void rollUp(String service, long minute) {
        long fiveMinutesStart = minute - WindowSize.FIVE_MINUTES.millis() + WindowSize.MINUTE_MS;
        Map<SeriesKey, LatencyWindow> oneMinute = new LinkedHashMap<>();
        Map<SeriesKey, LatencyWindow> fiveMinutes = new LinkedHashMap<>();
        String prefix = SeriesKey.prefix(service);
        try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<LatencyWindow>> windows =
                     minutes.fetch(prefix, LatencyQueries.prefixEnd(prefix), fiveMinutesStart, minute)) {
            while (windows.hasNext()) {
                KeyValue<Windowed<String>, ValueAndTimestamp<LatencyWindow>> window = windows.next();
                if (!window.key.key().startsWith(prefix)) {
                    continue;
                }
                boolean thisMinute = window.key.window().start() == minute;
                for (SeriesKey series : SeriesKey.parse(window.key.key()).withRollUps()) {
                    fiveMinutes.computeIfAbsent(series, s -> new LatencyWindow()).merge(window.value.value());
                    if (thisMinute) {
                        oneMinute.computeIfAbsent(series, s -> new LatencyWindow()).merge(window.value.value());
                    }
                }
            }
        }
        oneMinute.forEach((series, window) -> forward(Aggregates.of(series, WindowSize.ONE_MINUTE, minute, window)));
        fiveMinutes.forEach((series, window) -> {
            LatencyAggregate aggregate = Aggregates.of(series, WindowSize.FIVE_MINUTES, fiveMinutesStart, window);
            if (series.scope() == AggregateScope.SERVICE) {
                services.put(service, aggregate);
            }
            forward(aggregate);
        });
    }

    private void forward(LatencyAggregate aggregate) {
        String key = new SeriesKey(aggregate.getScope(), aggregate.getService(), aggregate.getEndpoint(), aggregate.getRegion()).key();
        context.forward(new Record<>(key, aggregate, aggregate.getWindowStart()));
    }
}
