package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.FxRate;
import io.millrace.schemas.pricealerts.PriceAlert;
import io.millrace.schemas.pricealerts.PriceMove;
import io.millrace.schemas.pricealerts.PriceQuote;
import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.WatchCancelled;
import io.millrace.schemas.pricealerts.WatchChange;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The price alerts' topics. Quotes are keyed by their search key and watches are re-keyed by the search key of what
 * they watch, onto as many partitions, so that one task holds a search, its offers and their watchers; watches,
 * cancellations and alerts are keyed by user, onto as many partitions, so that one task holds a user's watches.
 */
public final class PricealertsTopics {

    public static final int PARTITIONS = 6;
    private static final String ONE_DAY_MS = String.valueOf(24L * 3600 * 1000);

    /** Provider quotes, keyed by search key (the first four segments of the offer key: see {@link OfferKeys}). */
    public static final String QUOTES = "pricealerts.quotes";
    /** Watches placed or replaced, keyed by user. */
    public static final String WATCHES = "pricealerts.watches";
    /** Watches cancelled, keyed by user. */
    public static final String WATCH_CANCELLATIONS = "pricealerts.watch-cancellations";
    /** Units of each currency per US dollar, compacted, keyed by currency. */
    public static final String FX_RATES = "pricealerts.fx-rates";
    /** The rates after their rules, as the global table reads them; written only by the pipeline. */
    public static final String FX_RATES_CHECKED = "pricealerts.fx-rates-checked";
    /** Alerts fired, keyed by user: the webhook sink delivers them, and a user follows theirs live. */
    public static final String NOTIFICATIONS = "pricealerts.notifications";

    /** Repartition topic names (Kafka Streams prefixes them with the application id and suffixes -repartition). */
    public static final String WATCHES_BY_TARGET = "pricealerts-watches-by-target";
    public static final String PACKAGE_PARTS = "pricealerts-package-parts";

    private final Topic<String, PriceQuote> quotes;
    private final Topic<String, PriceWatch> watches;
    private final Topic<String, WatchCancelled> cancellations;
    private final Topic<String, FxRate> fxRates;
    private final Topic<String, FxRate> checkedFxRates;
    private final Topic<String, PriceAlert> notifications;
    private final Serde<WatchChange> watchChanges;
    private final Serde<PriceMove> priceMoves;

    public PricealertsTopics(AvroSerdes serdes) {
        Serde<String> keys = Serdes.String();
        // A quote is worth something for minutes: a day of them is plenty to replay.
        quotes = new Topic<>(TopicSpec.events(QUOTES, PARTITIONS).with("retention.ms", ONE_DAY_MS), keys, serdes.value(PriceQuote.class));
        watches = new Topic<>(TopicSpec.events(WATCHES, PARTITIONS), keys, serdes.value(PriceWatch.class));
        cancellations = new Topic<>(TopicSpec.events(WATCH_CANCELLATIONS, PARTITIONS), keys, serdes.value(WatchCancelled.class));
        fxRates = new Topic<>(TopicSpec.compacted(FX_RATES, 1), keys, serdes.value(FxRate.class));
        checkedFxRates = new Topic<>(TopicSpec.compacted(FX_RATES_CHECKED, 1), keys, serdes.value(FxRate.class));
        notifications = new Topic<>(TopicSpec.events(NOTIFICATIONS, PARTITIONS), keys, serdes.value(PriceAlert.class));
        watchChanges = serdes.value(WatchChange.class);
        priceMoves = serdes.value(PriceMove.class);
    }

    public Topic<String, PriceQuote> quotes() {
        return quotes;
    }

    public Topic<String, PriceWatch> watches() {
        return watches;
    }

    public Topic<String, WatchCancelled> cancellations() {
        return cancellations;
    }

    public Topic<String, FxRate> fxRates() {
        return fxRates;
    }

    public Topic<String, FxRate> checkedFxRates() {
        return checkedFxRates;
    }

    public Topic<String, PriceAlert> notifications() {
        return notifications;
    }

    Serde<WatchChange> watchChanges() {
        return watchChanges;
    }

    Serde<PriceMove> priceMoves() {
        return priceMoves;
    }

    /** What producers (and the HTTP API) write. */
    public List<Topic<String, ?>> inputs() {
        return List.of(quotes, watches, cancellations, fxRates);
    }

    public List<TopicSpec> specs() {
        return List.of(quotes.spec(), watches.spec(), cancellations.spec(), fxRates.spec(), checkedFxRates.spec(), notifications.spec());
    }
}
