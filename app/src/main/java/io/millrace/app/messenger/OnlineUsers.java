package io.millrace.app.messenger;

import io.millrace.schemas.messenger.PresenceState;
import io.millrace.topology.messenger.MessengerStores;
import io.millrace.topology.runtime.StoreReader;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * How many users are online in this instance's active partitions of the messenger's presence store, for the dashboard:
 * the store is read whole, so a count is kept for a few seconds before the next read.
 */
final class OnlineUsers {

    static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private final LongSupplier clock;
    private long countedAt;
    private Map<String, Long> counts;

    OnlineUsers(LongSupplier clock) {
        this.clock = clock;
    }

    /** {@code onlineUsers} and {@code knownUsers} (every user with a presence) in this instance's active partitions. */
    synchronized Map<String, Long> count(KafkaStreams streams) {
        long now = clock.getAsLong();
        if (counts != null && now - countedAt < FRESH_FOR.toMillis()) {
            return counts;
        }
        long online = 0;
        long known = 0;
        try (KeyValueIterator<String, PresenceState> users = StoreReader.active(streams)
                .<String, PresenceState>keyValue(MessengerStores.PRESENCE).all()) {
            while (users.hasNext()) {
                known++;
                if (users.next().value.getOnline()) {
                    online++;
                }
            }
        }
        counts = Map.of("onlineUsers", online, "knownUsers", known);
        countedAt = now;
        return counts;
    }
}
