package io.millrace.bench.simulate.pricealerts;

import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.pricealerts.CarOffer;
import io.millrace.schemas.pricealerts.FlightOffer;
import io.millrace.schemas.pricealerts.FxRate;
import io.millrace.schemas.pricealerts.HotelOffer;
import io.millrace.schemas.pricealerts.OfferKind;
import io.millrace.schemas.pricealerts.PriceQuote;
import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.WatchCancelled;
import io.millrace.schemas.pricealerts.WatchMode;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.pricealerts.Money;
import io.millrace.topology.pricealerts.OfferKeys;
import io.millrace.topology.pricealerts.PricealertsPipeline;
import io.millrace.topology.pricealerts.PricealertsTopics;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A travel site's price feed: eight providers quoting, each in its own currency, flights between 30 places (popular
 * routes far more often: a power law), hotels in those cities and rental cars there, for the next 60 days. Each offer's
 * price wanders a few percent around its base fare (a mean-reverting walk) with occasional sharp drops; most quotes
 * hold for 10-30 minutes, some for a minute or two, so the best price rises when they lapse. Users (250,000) place
 * watches on offers and searches, with thresholds some percent below the price they see, and cancel some; exchange rates
 * drift. About 0.1 % of records are bad (undecodable, a negative price, an unknown currency, check-out before check-in).
 *
 * <p>{@link #standingState} is a million watches placed before a benchmark measures: the state the case study runs with.
 */
public final class PricealertsSimulator implements Simulator {

    static final String[] PLACES = {"LHR", "JFK", "LIS", "CDG", "BCN", "MAD", "FCO", "AMS", "BER", "DUB", "IST", "ATH", "VIE", "PRG",
            "CPH", "ZRH", "LAX", "SFO", "ORD", "MIA", "YYZ", "MEX", "GRU", "DXB", "SIN", "HND", "ICN", "BKK", "HKG", "SYD"};
    static final String[] CARRIERS = {"BA", "AA", "TP", "AF", "IB", "LH", "KL", "EK", "SQ", "VS", "U2", "FR"};
    static final String[] CAR_CLASSES = {"ECONOMY", "COMPACT", "INTERMEDIATE", "FULLSIZE", "SUV", "VAN"};
    static final int DAYS = 60;
    static final int FLIGHTS_PER_ROUTE = 6;
    static final int HOTELS_PER_CITY = 40;
    static final int USERS = 250_000;
    /** The benchmark's standing state, unless the setting {@code pricealerts.standing-watches} says otherwise. */
    public static final int STANDING_WATCHES = 1_000_000;

    /** A provider and the currency it quotes in. */
    record Provider(String name, String currency, double margin) {
    }

    static final Provider[] PROVIDERS = {new Provider("expedia", "USD", 1.00), new Provider("kayak-direct", "USD", 0.98),
            new Provider("priceline", "USD", 1.03), new Provider("booking", "EUR", 0.99), new Provider("edreams", "EUR", 1.01),
            new Provider("lastminute", "GBP", 1.02), new Provider("rakuten", "JPY", 1.04), new Provider("webjet", "AUD", 0.97)};
    /** Units per US dollar, and how the simulator moves them. */
    static final Map<String, Double> RATES = Map.of("EUR", 0.92, "GBP", 0.79, "JPY", 151.2, "AUD", 1.52, "CAD", 1.36);
    private static final String[] WATCH_CURRENCIES = {"USD", "USD", "USD", "USD", "USD", "USD", "USD", "EUR", "EUR", "GBP"};
    private static final int ROUTES = PLACES.length * (PLACES.length - 1);
    private static final int MAX_WALKS = 500_000;
    /** How much of a fare's distance from its base remains after each quote. */
    private static final double REVERSION = 0.9;
    /** The lowest provider margin: the best price of an offer is its base price times this and its walk. */
    private static final double CHEAPEST_MARGIN = 0.97;

    private final PricealertsTopics topics;
    private final int standingWatches;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final Map<String, Double> rates = new HashMap<>(RATES);
    private final List<String> ratesToSend = new ArrayList<>(RATES.keySet());
    private final Map<String, Double> walks = new HashMap<>();
    private final ArrayDeque<PriceWatch> placed = new ArrayDeque<>();
    private LocalDate firstDay;
    private long sequence;

    public PricealertsSimulator(PipelineContext context) {
        this.topics = new PricealertsTopics(context.serdes());
        this.standingWatches = context.settings().get("pricealerts.standing-watches").map(Integer::parseInt).filter(n -> n >= 0)
                .orElse(STANDING_WATCHES);
    }

    @Override
    public String pipeline() {
        return PricealertsPipeline.NAME;
    }

    @Override
    public String outputTopic() {
        return PricealertsTopics.NOTIFICATIONS;
    }

    @Override
    public SimulatedEvent next(SplittableRandom random, long nowMillis) {
        if (firstDay == null) {
            firstDay = LocalDate.ofInstant(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC).plusDays(14);
        }
        if (!ratesToSend.isEmpty()) {
            return rate(ratesToSend.remove(ratesToSend.size() - 1), nowMillis);
        }
        double roll = random.nextDouble();
        if (roll < 0.0005) {
            return SimulatedEvent.garbage(PricealertsTopics.QUOTES, "garbage-" + sequence++);
        }
        if (roll < 0.001) {
            return invalidQuote(random, nowMillis);
        }
        if (roll < 0.005) {
            PriceWatch watch = watch(random, "sw-" + runId + "-" + sequence++, nowMillis);
            placed.addLast(watch);
            if (placed.size() > 10_000) {
                placed.pollFirst();
            }
            return SimulatedEvent.of(topics.watches(), watch.getUser(), watch);
        }
        if (roll < 0.006 && !placed.isEmpty()) {
            PriceWatch watch = placed.pollFirst();
            return SimulatedEvent.of(topics.cancellations(), watch.getUser(), new WatchCancelled(watch.getWatchId(), watch.getUser(), nowMillis));
        }
        if (roll < 0.0061) {
            String currency = RATES.keySet().stream().sorted().toList().get(random.nextInt(RATES.size()));
            rates.put(currency, RATES.get(currency) * (1 + (random.nextDouble() - 0.5) * 0.02));
            return rate(currency, nowMillis);
        }
        return quote(random, nowMillis);
    }

    /** The rates, then the standing watches (a million by default): what a benchmark loads and lets the pipeline take in before it measures. */
    @Override
    public List<SimulatedEvent> standingState(SplittableRandom random, long nowMillis) {
        if (firstDay == null) {
            firstDay = LocalDate.ofInstant(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC).plusDays(14);
        }
        List<SimulatedEvent> events = new ArrayList<>(standingWatches + RATES.size());
        RATES.keySet().stream().sorted().forEach(currency -> events.add(rate(currency, nowMillis)));
        for (int i = 0; i < standingWatches; i++) {
            PriceWatch watch = watch(random, "standing-" + runId + "-" + i, nowMillis);
            events.add(SimulatedEvent.of(topics.watches(), watch.getUser(), watch));
        }
        return events;
    }

    // ---- the universe of offers

    /** An offer of the simulated world: its kind and details, and its base price in US cents. */
    private record Offer(OfferKind kind, FlightOffer flight, HotelOffer hotel, CarOffer car, long baseUsd) {

        String key() {
            return OfferKeys.offerKey(kind, flight, hotel, car);
        }
    }

    private Offer offer(SplittableRandom random) {
        double which = random.nextDouble();
        if (which < 0.55) {
            int route = popular(random, ROUTES, 1.0);
            int origin = route / (PLACES.length - 1);
            int destination = route % (PLACES.length - 1);
            destination = destination >= origin ? destination + 1 : destination;
            return flight(origin, destination, day(random), random.nextInt(FLIGHTS_PER_ROUTE));
        }
        int city = popular(random, PLACES.length, 1.0);
        int nights = 1 + popular(random, 7, 1.0);
        if (which < 0.85) {
            return hotel(city, day(random), nights, popular(random, HOTELS_PER_CITY, 0.8));
        }
        return car(city, day(random), nights, random.nextInt(CAR_CLASSES.length));
    }

    private Offer flight(int origin, int destination, int day, int flight) {
        int seed = origin * 31 + destination;
        String carrier = CARRIERS[(seed + flight * 7) % CARRIERS.length];
        int departure = 6 * 60 + (flight * 150 + seed * 13) % (16 * 60);
        int duration = 90 + (seed * 37) % 600;
        int stops = duration > 480 ? 1 : 0;
        long base = 6_000 + (seed * 9_973L) % 80_000 + stops * 5_000L;
        return new Offer(OfferKind.FLIGHT, new FlightOffer(PLACES[origin], PLACES[destination], date(day), carrier, time(departure),
                time(departure + duration), stops), null, null, base);
    }

    private Offer hotel(int city, int day, int nights, int hotel) {
        int stars = 1 + (hotel * 7 + city) % 5;
        long perNight = stars * 3_500L + ((hotel * 4_099L + city * 997L) % 8_000);
        return new Offer(OfferKind.HOTEL, null, new HotelOffer(PLACES[city], "h-" + PLACES[city].toLowerCase() + "-" + hotel, date(day),
                date(day + nights), stars), null, perNight * nights);
    }

    private Offer car(int city, int day, int days, int carClass) {
        long perDay = 2_500L + carClass * 1_600L + (city * 211L) % 1_500;
        return new Offer(OfferKind.CAR, null, null, new CarOffer(PLACES[city], date(day), date(day + days), CAR_CLASSES[carClass]),
                perDay * days);
    }

    // ---- events

    private SimulatedEvent quote(SplittableRandom random, long now) {
        Offer offer = offer(random);
        Provider provider = PROVIDERS[random.nextInt(PROVIDERS.length)];
        String key = offer.key();
        // Mean-reverting: fares wander a few percent around their base and come back after a sharp drop. (A plain random
        // walk drifted across most thresholds within minutes, so most quotes crossed some watch: 0.84 alerts per quote.)
        double walk = 1 + (walks.getOrDefault(key, 1.0) - 1) * REVERSION + random.nextGaussian() * 0.02;
        if (random.nextDouble() < 0.003) {
            walk *= 0.7;
        }
        walk = Math.max(0.55, Math.min(1.4, walk));
        if (walks.size() >= MAX_WALKS) {
            walks.clear();
        }
        walks.put(key, walk);
        long usd = Math.max(100, Math.round(offer.baseUsd() * provider.margin() * walk));
        double lapse = random.nextDouble();
        long validFor = lapse < 0.05 ? 20_000 + random.nextInt(40_000) : lapse < 0.2 ? 120_000 + random.nextInt(180_000)
                : 600_000 + random.nextInt(1_200_000);
        PriceQuote quote = new PriceQuote(offer.kind(), provider.name(), offer.flight(), offer.hotel(), offer.car(),
                inCurrency(usd, provider.currency()), provider.currency(), now, now + validFor);
        return SimulatedEvent.of(topics.quotes(), OfferKeys.searchKeyOf(key), quote);
    }

    private SimulatedEvent invalidQuote(SplittableRandom random, long now) {
        Offer offer = offer(random);
        PriceQuote.Builder quote = PriceQuote.newBuilder().setKind(offer.kind()).setProvider("expedia").setFlight(offer.flight())
                .setHotel(offer.hotel()).setCar(offer.car()).setPriceMinor(offer.baseUsd()).setCurrency("USD").setTimestamp(now)
                .setValidUntil(now + 600_000);
        switch (random.nextInt(3)) {
            case 0 -> quote.setPriceMinor(-offer.baseUsd());
            case 1 -> quote.setCurrency("XBT");
            default -> {
                Offer stay = hotel(0, 5, 2, 1);
                quote.setKind(OfferKind.HOTEL).setFlight(null).setCar(null).setHotel(HotelOffer.newBuilder(stay.hotel())
                        .setCheckOut(stay.hotel().getCheckIn()).setCheckIn(stay.hotel().getCheckOut()).build());
            }
        }
        PriceQuote bad = quote.build();
        return SimulatedEvent.of(topics.quotes(), OfferKeys.searchKeyOf(OfferKeys.offerKey(bad.getKind(), bad.getFlight(), bad.getHotel(),
                bad.getCar())), bad);
    }

    /**
     * A user's watch of an offer or of a search, as a traveller sets one: a threshold some percent below the price they
     * see when they make it (mostly 10-35 % below, some 3-8 %), or a few any drop. So a watch fires on a sharp drop or a
     * deep dip, not on the everyday wobble of the fare.
     */
    private PriceWatch watch(SplittableRandom random, String watchId, long now) {
        Offer offer = offer(random);
        String target = offer.key();
        long seen = Math.round(offer.baseUsd() * CHEAPEST_MARGIN * walks.getOrDefault(target, 1.0));
        double what = random.nextDouble();
        if (what < 0.55) {
            // A search: any flight of the route, any hotel of the stay (or of its rating), any car; it shows its cheapest offer
            boolean rated = offer.kind() == OfferKind.HOTEL && random.nextBoolean();
            target = rated ? OfferKeys.hotelSearch(offer.hotel().getCity(), offer.hotel().getCheckIn(), offer.hotel().getCheckOut(),
                    offer.hotel().getStars()) : OfferKeys.searchKeyOf(target);
            seen = Math.round(cheapestBase(offer, rated) * CHEAPEST_MARGIN);
        }
        String user = "u" + random.nextInt(USERS);
        String currency = WATCH_CURRENCIES[random.nextInt(WATCH_CURRENCIES.length)];
        double mode = random.nextDouble();
        if (mode < 0.05) {
            return new PriceWatch(watchId, user, target, WatchMode.ANY_DROP, null, currency, now);
        }
        double below = mode < 0.2 ? 0.92 + random.nextDouble() * 0.05 : 0.65 + random.nextDouble() * 0.25;
        long threshold = Math.max(1, inCurrency(Math.round(seen * below), currency));
        return new PriceWatch(watchId, user, target, WatchMode.THRESHOLD, threshold, currency, now);
    }

    /** The lowest base price among the offers of {@code offer}'s search (of its star rating, when {@code rated}). */
    private long cheapestBase(Offer offer, boolean rated) {
        return switch (offer.kind()) {
            case HOTEL -> {
                int city = List.of(PLACES).indexOf(offer.hotel().getCity());
                LocalDate checkIn = LocalDate.parse(offer.hotel().getCheckIn());
                int day = (int) (checkIn.toEpochDay() - firstDay.toEpochDay());
                int nights = (int) (LocalDate.parse(offer.hotel().getCheckOut()).toEpochDay() - checkIn.toEpochDay());
                long cheapest = offer.baseUsd();
                for (int hotel = 0; hotel < HOTELS_PER_CITY; hotel++) {
                    Offer other = hotel(city, day, nights, hotel);
                    if (!rated || other.hotel().getStars() == offer.hotel().getStars()) {
                        cheapest = Math.min(cheapest, other.baseUsd());
                    }
                }
                yield cheapest;
            }
            case CAR -> {
                int city = List.of(PLACES).indexOf(offer.car().getLocation());
                LocalDate pickup = LocalDate.parse(offer.car().getPickup());
                int day = (int) (pickup.toEpochDay() - firstDay.toEpochDay());
                int days = (int) (LocalDate.parse(offer.car().getDropOff()).toEpochDay() - pickup.toEpochDay());
                yield Math.min(offer.baseUsd(), car(city, day, days, 0).baseUsd());
            }
            // The flights of a route share their base fare.
            default -> offer.baseUsd();
        };
    }

    private SimulatedEvent rate(String currency, long now) {
        return SimulatedEvent.of(topics.fxRates(), currency, new FxRate(currency, rates.get(currency), now));
    }

    private long inCurrency(long usdMinor, String currency) {
        return Money.fromUsd(usdMinor, currency, c -> java.util.OptionalDouble.of(rates.get(c))).orElseThrow();
    }

    // ---- helpers

    /** A rank from 0 to n-1, the low ranks far more often (a power law with exponent s; 1 is Zipf's). */
    static int popular(SplittableRandom random, int n, double s) {
        double u = random.nextDouble();
        double rank = s == 1.0 ? Math.pow(n + 1, u) : Math.pow(1 + u * (Math.pow(n + 1, 1 - s) - 1), 1 / (1 - s));
        return Math.min(n - 1, Math.max(0, (int) rank - 1));
    }

    /** A travel day: the next two weeks busier than the weeks after. */
    private int day(SplittableRandom random) {
        return popular(random, DAYS, 0.6);
    }

    private String date(int day) {
        return firstDay.plusDays(day).toString();
    }

    private static String time(int minutes) {
        int wrapped = Math.floorMod(minutes, 24 * 60);
        return String.format("%02d:%02d", wrapped / 60, wrapped % 60);
    }
}
