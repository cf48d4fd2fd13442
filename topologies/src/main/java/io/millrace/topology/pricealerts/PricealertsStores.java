package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.BestPrice;
import io.millrace.schemas.pricealerts.OfferQuotes;
import io.millrace.schemas.pricealerts.PriceAlert;
import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.WatchState;
import io.millrace.schemas.pricealerts.WatchTally;
import io.millrace.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The price alerts' state stores and their key layouts ({@link BoardKeys}, {@link OfferKeys}).
 *
 * <p>Per search key (the partition of quotes and of the watches re-keyed to what they watch): offers, the search index,
 * searches' best prices, the expiry index, hourly history, watches by target and threshold, where each watch is filed, and
 * how many watch each target. Per user: their watches and alerts. Per package key: the parts of its packages.
 */
public final class PricealertsStores {

    /** offer key → {@code OfferQuotes}: the live quote of each provider. */
    public static final String OFFERS = "pricealerts-offers";
    /** search key|usd cents (19 digits)|offer key → {@code BestPrice}: a search's offers, cheapest first. */
    public static final String SEARCH_INDEX = "pricealerts-search-index";
    /** search key → {@code BestPrice}: the cheapest offer of the search. */
    public static final String SEARCH_BEST = "pricealerts-search-best";
    /** due time (13 digits)|offer key → "": when an offer's next quote lapses. */
    public static final String EXPIRY = "pricealerts-expiry";
    /** offer key, hourly windows → the lowest price quoted in the hour, in US cents; kept 30 days. */
    public static final String HISTORY = "pricealerts-offer-history";
    /** target|currency|threshold (19 digits)|user|watch id → {@code WatchState}; target|~|user|watch id while pending. */
    public static final String WATCH_INDEX = "pricealerts-watch-index";
    /** user|watch id → its key in the watch index. */
    public static final String WATCH_KEYS = "pricealerts-watch-keys";
    /** target → {@code WatchTally}: its watches per currency. */
    public static final String WATCH_TALLIES = "pricealerts-watch-tallies";
    /** user|watch id → {@code PriceWatch}. */
    public static final String USER_WATCHES = "pricealerts-user-watches";
    /** user, by time fired → {@code PriceAlert}; kept 30 days. */
    public static final String USER_ALERTS = "pricealerts-user-alerts";
    /**
     * package key|flight|usd cents|flight search → {@code BestPrice} (arrivals, cheapest first),
     * package key|flight-by|flight search, package key|hotel|check-out, package key|car|drop-off → {@code BestPrice}.
     */
    public static final String PACKAGES = "pricealerts-packages";
    /** currency → {@code FxRate}, a global store: every instance has all of it. */
    public static final String FX_RATES = "pricealerts-fx-rates";

    static final Duration HISTORY_RETENTION = Duration.ofDays(30);
    static final Duration HISTORY_BUCKET = Duration.ofHours(1);

    /** The stores the HTTP API reads (the dashboard counts the watch tallies). */
    public static final List<String> QUERYABLE = List.of(OFFERS, SEARCH_INDEX, HISTORY, USER_WATCHES, USER_ALERTS, PACKAGES,
            WATCH_TALLIES);

    private PricealertsStores() {
    }

    static void addTo(StreamsBuilder builder, AvroSerdes serdes, PricealertsConfig config) {
        // An offer's book is rewritten by every quote for it, and popular offers are quoted many times within one commit:
        // the record cache keeps one changelog write per offer and commit. The indexes are read by range, which a cache
        // would have to merge with the store on every read.
        builder.addStateStore(keyValue(OFFERS, serdes.value(OfferQuotes.class)).withCachingEnabled());
        builder.addStateStore(keyValue(SEARCH_BEST, serdes.value(BestPrice.class)).withCachingEnabled());
        builder.addStateStore(keyValue(SEARCH_INDEX, serdes.value(BestPrice.class)).withCachingDisabled());
        builder.addStateStore(keyValue(EXPIRY, Serdes.String()).withCachingDisabled());
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(HISTORY, HISTORY_RETENTION.plus(HISTORY_BUCKET),
                HISTORY_BUCKET, false), Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(keyValue(WATCH_INDEX, serdes.value(WatchState.class)).withCachingDisabled());
        builder.addStateStore(keyValue(WATCH_KEYS, Serdes.String()).withCachingDisabled());
        builder.addStateStore(keyValue(WATCH_TALLIES, serdes.value(WatchTally.class)).withCachingEnabled());
        builder.addStateStore(keyValue(USER_WATCHES, serdes.value(PriceWatch.class)).withCachingDisabled());
        // Duplicates kept: two alerts of one user in the same millisecond are two alerts.
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(USER_ALERTS, config.alertRetention(),
                Duration.ofMillis(1), true), Serdes.String(), serdes.value(PriceAlert.class)).withCachingDisabled());
        // A package's parts are read by key where they are kept (a stay's or rental's entry is rewritten by each move of its
        // search): the cache keeps one write per part and commit. Only queries read them by range.
        builder.addStateStore(keyValue(PACKAGES, serdes.value(BestPrice.class)).withCachingEnabled());
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
