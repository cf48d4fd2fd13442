package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.BestPrice;
import io.millrace.schemas.pricealerts.CarOffer;
import io.millrace.schemas.pricealerts.FlightOffer;
import io.millrace.schemas.pricealerts.FxRate;
import io.millrace.schemas.pricealerts.HotelOffer;
import io.millrace.schemas.pricealerts.OfferQuotes;
import io.millrace.schemas.pricealerts.PriceAlert;
import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.ProviderQuote;
import io.millrace.topology.runtime.StoreReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * What the price alerts' stores of this instance answer; the HTTP layer decides which instance to ask (the one that owns
 * the search key, the user or the package key). Prices are shown in a currency the caller picks (USD by default), next to
 * the price as its provider quoted it.
 */
public final class PricealertsQueries {

    private static final Pattern CURSOR = Pattern.compile("[0-9]{19}\\|[A-Za-z0-9:._*-]{1," + OfferKeys.MAX_KEY_LENGTH + "}");

    private final StoreReader stores;
    private final PricealertsConfig config;

    PricealertsQueries(StoreReader stores, PricealertsConfig config) {
        this.stores = stores;
        this.config = config;
    }

    /** An amount of money in minor units (cents, yen). */
    public record Amount(long minor, String currency) {
    }

    public record Flight(String origin, String destination, String date, String carrier, String departureTime, String arrivalTime,
                         int stops) {
    }

    public record Hotel(String city, String hotelId, String checkIn, String checkOut, int stars) {
    }

    public record Car(String location, String pickup, String dropOff, String carClass) {
    }

    /** An offer at its best live price: {@code price} in the currency asked for, {@code quoted} as its provider quoted it. */
    public record OfferPrice(String offerKey, String kind, String provider, Amount price, Amount quoted, long validUntil,
                             Optional<Flight> flight, Optional<Hotel> hotel, Optional<Car> car) {
    }

    /** One page of a search's live offers, cheapest first; {@code next} asks for the following page. */
    public record SearchPage(String searchKey, List<OfferPrice> offers, Optional<String> next) {
    }

    /** One provider's live quote of an offer. */
    public record ProviderPrice(String provider, Amount price, Amount quoted, long validUntil) {
    }

    /** The best price of an offer or a search; an offer also lists every provider's live quote, cheapest first. */
    public record Best(String key, OfferPrice best, List<ProviderPrice> providers) {
    }

    /** The lowest price quoted in an hour. */
    public record HourlyLow(long hourStart, Amount price) {
    }

    public record History(String offerKey, List<HourlyLow> hours) {
    }

    /** The cheapest flight into a destination on the first day with a stay (and a car) until the last. */
    public record TravelPackage(String destination, String from, String to, Amount total, OfferPrice flight, OfferPrice hotel,
                          Optional<OfferPrice> car) {
    }

    /** A package, or the parts that have no live price. */
    public record PackageAnswer(Optional<TravelPackage> found, List<String> missing) {
    }

    public record WatchView(String watchId, String target, String mode, Optional<Long> thresholdMinor, String currency, long createdAt) {
    }

    public record AlertView(String alertId, String watchId, String target, String mode, long thresholdMinor, String currency,
                            Optional<Long> oldPriceMinor, long newPriceMinor, String offerKey, String kind, String provider,
                            Amount quoted, Optional<Flight> flight, Optional<Hotel> hotel, Optional<Car> car, long firedAt) {

        public static AlertView of(PriceAlert a) {
            return new AlertView(a.getAlertId(), a.getWatchId(), a.getTarget(), a.getMode().name(), a.getThresholdMinor(), a.getCurrency(),
                    Optional.ofNullable(a.getOldPriceMinor()), a.getNewPriceMinor(), a.getOfferKey(), a.getKind().name(), a.getProvider(),
                    new Amount(a.getQuotedPriceMinor(), a.getQuotedCurrency()), flightOf(a.getFlight()), hotelOf(a.getHotel()), carOf(a.getCar()),
                    a.getFiredAt());
        }
    }

    /** Whether prices can be shown in {@code currency}: US dollars, or a currency with a rate. */
    public boolean canShowIn(String currency) {
        return currency.equals(Money.USD) || rates().perUsd(currency).isPresent();
    }

    /**
     * The live offers of a search, cheapest first, from {@code cursor} (a previous page's {@code next}) on: a range of the
     * search index, whose keys sort by price.
     */
    public SearchPage search(String searchKey, Optional<String> cursor, int limit, String currency, long now) {
        String prefix = BoardKeys.prefix(searchKey);
        String from = cursor.map(c -> prefix + c + "\u0000").orElse(prefix);
        Money.Rates rates = rates();
        List<OfferPrice> page = new ArrayList<>();
        String last = null;
        boolean more = false;
        try (KeyValueIterator<String, BestPrice> offers = stores.<String, BestPrice>keyValue(PricealertsStores.SEARCH_INDEX)
                .range(from, prefix + BoardKeys.AFTER_ALL)) {
            while (offers.hasNext()) {
                KeyValue<String, BestPrice> entry = offers.next();
                if (entry.value.getValidUntil() <= now) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(offerPrice(entry.value, currency, rates));
                last = entry.key.substring(prefix.length());
            }
        }
        return new SearchPage(searchKey, page, more ? Optional.of(encode(last)) : Optional.empty());
    }

    /** A {@code next} of a search page read back, or empty when it is none. */
    public static Optional<String> cursor(String next) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(next), StandardCharsets.UTF_8);
            return CURSOR.matcher(decoded).matches() ? Optional.of(decoded) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The best live price of an offer (with every provider's quote) or of a search. */
    public Optional<Best> best(OfferKeys.Target target, String currency, long now) {
        Money.Rates rates = rates();
        if (!target.offer()) {
            // The first live offer of the index: a lapse is already seen before the punctuator has dropped it.
            return search(target.key(), Optional.empty(), 1, currency, now).offers().stream().findFirst()
                    .map(best -> new Best(target.key(), best, List.of()));
        }
        OfferQuotes offer = stores.<String, OfferQuotes>keyValue(PricealertsStores.OFFERS).get(target.key());
        List<ProviderQuote> live = offer == null ? List.of() : new OfferBook(offer.getQuotes(), config.maxProvidersPerOffer()).quotes()
                .stream().filter(q -> q.getValidUntil() > now).toList();
        if (live.isEmpty()) {
            return Optional.empty();
        }
        ProviderQuote cheapest = live.get(0);
        BestPrice best = new BestPrice(offer.getOfferKey(), offer.getKind(), cheapest.getProvider(), cheapest.getPriceMinor(),
                cheapest.getCurrency(), cheapest.getUsdMinor(), cheapest.getValidUntil(), offer.getFlight(), offer.getHotel(), offer.getCar(),
                cheapest.getTimestamp());
        return Optional.of(new Best(target.key(), offerPrice(best, currency, rates), live.stream()
                .map(q -> new ProviderPrice(q.getProvider(), amount(q.getUsdMinor(), currency, rates), new Amount(q.getPriceMinor(),
                        q.getCurrency()), q.getValidUntil())).toList()));
    }

    /**
     * The best live price of an offer or a search in US cents (at the rates of when it was quoted), or none: the figure the
     * dashboard follows for the most-watched targets, read as {@link #best} reads it but without converting or listing.
     */
    public static OptionalLong bestUsdMinor(StoreReader stores, OfferKeys.Target target, long now) {
        if (!target.offer()) {
            String prefix = BoardKeys.prefix(target.key());
            try (KeyValueIterator<String, BestPrice> offers = stores.<String, BestPrice>keyValue(PricealertsStores.SEARCH_INDEX)
                    .range(prefix, prefix + BoardKeys.AFTER_ALL)) {
                while (offers.hasNext()) {
                    BestPrice offer = offers.next().value;
                    if (offer.getValidUntil() > now) {
                        return OptionalLong.of(offer.getUsdMinor());
                    }
                }
            }
            return OptionalLong.empty();
        }
        OfferQuotes offer = stores.<String, OfferQuotes>keyValue(PricealertsStores.OFFERS).get(target.key());
        return offer == null ? OptionalLong.empty() : offer.getQuotes().stream().filter(q -> q.getValidUntil() > now)
                .mapToLong(ProviderQuote::getUsdMinor).min();
    }

    /** The lowest price of each hour from {@code from} to {@code to} in which the offer was quoted. */
    public History history(String offerKey, Instant from, Instant to, String currency) {
        Money.Rates rates = rates();
        long bucket = PricealertsStores.HISTORY_BUCKET.toMillis();
        Instant firstHour = Instant.ofEpochMilli(from.toEpochMilli() - from.toEpochMilli() % bucket);
        List<HourlyLow> hours = new ArrayList<>();
        try (WindowStoreIterator<Long> lows = stores.<String, Long>window(PricealertsStores.HISTORY).fetch(offerKey, firstHour, to)) {
            lows.forEachRemaining(low -> hours.add(new HourlyLow(low.key, amount(low.value, currency, rates))));
        }
        return new History(offerKey, hours);
    }

    /**
     * The cheapest flight into {@code destination} on {@code from} (from {@code origin} when given), the cheapest stay there
     * from {@code from} to {@code to} and, when asked, the cheapest car for the same days: each part kept current in the
     * package key's partition, so a package is a few reads.
     */
    public PackageAnswer packageOf(String destination, String from, String to, boolean withCar, Optional<String> origin, String currency,
                                   long now) {
        String packageKey = OfferKeys.packageKey(destination, from);
        ReadOnlyKeyValueStore<String, BestPrice> parts = stores.keyValue(PricealertsStores.PACKAGES);
        Optional<BestPrice> flight = origin.isPresent()
                ? live(parts.get(PackageAssembler.entry(packageKey, PackageAssembler.FLIGHT_BY_ORIGIN,
                        OfferKeys.flightSearch(origin.get(), destination, from))), now)
                : cheapestFlight(parts, packageKey, now);
        Optional<BestPrice> hotel = live(parts.get(PackageAssembler.entry(packageKey, PackageAssembler.HOTELS, to)), now);
        Optional<BestPrice> car = withCar ? live(parts.get(PackageAssembler.entry(packageKey, PackageAssembler.CARS, to)), now)
                : Optional.empty();
        List<String> missing = new ArrayList<>();
        if (flight.isEmpty()) {
            missing.add("a flight into " + destination + " on " + from + origin.map(o -> " from " + o).orElse(""));
        }
        if (hotel.isEmpty()) {
            missing.add("a hotel in " + destination + " from " + from + " to " + to);
        }
        if (withCar && car.isEmpty()) {
            missing.add("a car at " + destination + " from " + from + " to " + to);
        }
        if (!missing.isEmpty()) {
            return new PackageAnswer(Optional.empty(), missing);
        }
        Money.Rates rates = rates();
        long totalUsd = flight.get().getUsdMinor() + hotel.get().getUsdMinor() + car.map(BestPrice::getUsdMinor).orElse(0L);
        return new PackageAnswer(Optional.of(new TravelPackage(destination, from, to, amount(totalUsd, currency, rates),
                offerPrice(flight.get(), currency, rates), offerPrice(hotel.get(), currency, rates),
                car.map(c -> offerPrice(c, currency, rates)))), List.of());
    }

    private static Optional<BestPrice> cheapestFlight(ReadOnlyKeyValueStore<String, BestPrice> parts, String packageKey, long now) {
        String flights = BoardKeys.prefix(BoardKeys.join(packageKey, PackageAssembler.FLIGHTS));
        try (KeyValueIterator<String, BestPrice> arrivals = parts.range(flights, flights + BoardKeys.AFTER_ALL)) {
            while (arrivals.hasNext()) {
                BestPrice flight = arrivals.next().value;
                if (flight.getValidUntil() > now) {
                    return Optional.of(flight);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<BestPrice> live(BestPrice part, long now) {
        return Optional.ofNullable(part).filter(p -> p.getValidUntil() > now);
    }

    /** A user's watches, by watch id. */
    public List<WatchView> watches(String user) {
        List<WatchView> watches = new ArrayList<>();
        try (KeyValueIterator<String, PriceWatch> own = stores.<String, PriceWatch>keyValue(PricealertsStores.USER_WATCHES)
                .range(BoardKeys.prefix(user), BoardKeys.prefix(user) + BoardKeys.AFTER_ALL)) {
            own.forEachRemaining(w -> watches.add(new WatchView(w.value.getWatchId(), w.value.getTarget(), w.value.getMode().name(),
                    Optional.ofNullable(w.value.getThresholdMinor()), w.value.getCurrency(), w.value.getTimestamp())));
        }
        return watches;
    }

    /** A user's latest alerts, newest first. */
    public List<AlertView> alerts(String user, int limit) {
        List<AlertView> alerts = new ArrayList<>();
        try (WindowStoreIterator<PriceAlert> fired = stores.<String, PriceAlert>window(PricealertsStores.USER_ALERTS)
                .backwardFetch(user, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
            while (fired.hasNext() && alerts.size() < limit) {
                alerts.add(AlertView.of(fired.next().value));
            }
        }
        return alerts;
    }

    // ---- shapes

    private static OfferPrice offerPrice(BestPrice best, String currency, Money.Rates rates) {
        return new OfferPrice(best.getOfferKey(), best.getKind().name(), best.getProvider(), amount(best.getUsdMinor(), currency, rates),
                new Amount(best.getPriceMinor(), best.getCurrency()), best.getValidUntil(), flightOf(best.getFlight()),
                hotelOf(best.getHotel()), carOf(best.getCar()));
    }

    /** US cents in {@code currency}; in US cents still when the currency has lost its rate since it was checked. */
    private static Amount amount(long usdMinor, String currency, Money.Rates rates) {
        OptionalLong converted = Money.fromUsd(usdMinor, currency, rates);
        return converted.isPresent() ? new Amount(converted.getAsLong(), currency) : new Amount(usdMinor, Money.USD);
    }

    private static Optional<Flight> flightOf(FlightOffer f) {
        return Optional.ofNullable(f).map(x -> new Flight(x.getOrigin(), x.getDestination(), x.getDate(), x.getCarrier(),
                x.getDepartureTime(), x.getArrivalTime(), x.getStops()));
    }

    private static Optional<Hotel> hotelOf(HotelOffer h) {
        return Optional.ofNullable(h).map(x -> new Hotel(x.getCity(), x.getHotelId(), x.getCheckIn(), x.getCheckOut(), x.getStars()));
    }

    private static Optional<Car> carOf(CarOffer c) {
        return Optional.ofNullable(c).map(x -> new Car(x.getLocation(), x.getPickup(), x.getDropOff(), x.getCarClass()));
    }

    private Money.Rates rates() {
        ReadOnlyKeyValueStore<String, FxRate> rates = stores.keyValue(PricealertsStores.FX_RATES);
        return currency -> {
            FxRate rate = rates.get(currency);
            return rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate.getPerUsd());
        };
    }

    private static String encode(String cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.getBytes(StandardCharsets.UTF_8));
    }
}
