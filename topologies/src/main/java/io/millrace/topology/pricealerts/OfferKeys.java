package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.CarOffer;
import io.millrace.schemas.pricealerts.FlightOffer;
import io.millrace.schemas.pricealerts.HotelOffer;
import io.millrace.schemas.pricealerts.OfferKind;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The canonical keys of offers, searches and packages: built and read only here. Keys are URL-safe (letters, digits,
 * {@code : - . _ *}) and their first four segments are always the key of the search they belong to, which is what
 * quotes are keyed by: one partition holds a search, all its offers, their watches and prices.
 *
 * <pre>
 * offers    flight:LHR:JFK:2027-03-02:BA:0830          origin, destination, date, carrier, departure time
 *           hotel:LIS:2027-03-02:2027-03-05:h-pestana  city, check-in, check-out, hotel id
 *           car:LIS:2027-03-02:2027-03-05:COMPACT      location, pick-up, drop-off, car class
 * searches  flight:LHR:JFK:2027-03-02                  any flight on that route and date
 *           hotel:LIS:2027-03-02:2027-03-05            any hotel in the city for those dates
 *           hotel:LIS:2027-03-02:2027-03-05:4*         any 4-star hotel (1* to 5*)
 *           car:LIS:2027-03-02:2027-03-05              any car class
 * packages  package:LIS:2027-03-02                     flights arriving at LIS that day, stays and rentals from it
 * </pre>
 */
public final class OfferKeys {

    /** Separates a key's segments. */
    public static final char SEGMENT = ':';
    public static final String FLIGHT = "flight";
    public static final String HOTEL = "hotel";
    public static final String CAR = "car";
    public static final String PACKAGE = "package";

    private static final Pattern PLACE = Pattern.compile("[A-Z]{3}");
    private static final Pattern CARRIER = Pattern.compile("[A-Z0-9]{2,3}");
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final Pattern KEY_TIME = Pattern.compile("([01][0-9]|2[0-3])[0-5][0-9]");
    private static final Pattern HOTEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern CAR_CLASS = Pattern.compile("[A-Z]{2,16}");
    private static final Pattern STARS = Pattern.compile("[1-5]\\*");
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    /** Far longer than any key of the grammar above; anything longer is refused before it is parsed. */
    public static final int MAX_KEY_LENGTH = 160;

    private OfferKeys() {
    }

    /**
     * A parsed key: what it is ({@code offer} or a search), its kind, its search key (the partition it lives on), the
     * place and dates it is about, and for a star-rated hotel search the stars.
     */
    public record Target(String key, OfferKind kind, boolean offer, String searchKey, String place, LocalDate start,
                         LocalDate end, Optional<Integer> stars) {

        /** The search every offer of this one belongs to, or this search itself. */
        public boolean isSearchRoot() {
            return !offer && key.equals(searchKey);
        }
    }

    // ---- building keys from events and parameters

    /** The offer key of a quote's offer; the quote must have passed {@link QuoteRules}. */
    public static String offerKey(OfferKind kind, FlightOffer flight, HotelOffer hotel, CarOffer car) {
        return switch (kind) {
            case FLIGHT -> flightSearch(flight.getOrigin(), flight.getDestination(), flight.getDate()) + SEGMENT + flight.getCarrier()
                    + SEGMENT + flight.getDepartureTime().replace(":", "");
            case HOTEL -> hotelSearch(hotel.getCity(), hotel.getCheckIn(), hotel.getCheckOut()) + SEGMENT + hotel.getHotelId();
            case CAR -> carSearch(car.getLocation(), car.getPickup(), car.getDropOff()) + SEGMENT + car.getCarClass();
            default -> throw new IllegalArgumentException("no offer key for kind " + kind);
        };
    }

    /** Every search an offer is found by: its search key, and for a hotel also its star-rated search. */
    public static List<String> searchKeysOf(OfferKind kind, FlightOffer flight, HotelOffer hotel, CarOffer car) {
        return switch (kind) {
            case FLIGHT -> List.of(flightSearch(flight.getOrigin(), flight.getDestination(), flight.getDate()));
            case HOTEL -> {
                String search = hotelSearch(hotel.getCity(), hotel.getCheckIn(), hotel.getCheckOut());
                yield List.of(search, search + SEGMENT + hotel.getStars() + "*");
            }
            case CAR -> List.of(carSearch(car.getLocation(), car.getPickup(), car.getDropOff()));
            default -> throw new IllegalArgumentException("no search keys for kind " + kind);
        };
    }

    public static String flightSearch(String origin, String destination, String date) {
        return FLIGHT + SEGMENT + origin + SEGMENT + destination + SEGMENT + date;
    }

    public static String hotelSearch(String city, String checkIn, String checkOut) {
        return HOTEL + SEGMENT + city + SEGMENT + checkIn + SEGMENT + checkOut;
    }

    /** A hotel search narrowed to one star rating (1-5). */
    public static String hotelSearch(String city, String checkIn, String checkOut, int stars) {
        return hotelSearch(city, checkIn, checkOut) + SEGMENT + stars + "*";
    }

    public static String carSearch(String location, String pickup, String dropOff) {
        return CAR + SEGMENT + location + SEGMENT + pickup + SEGMENT + dropOff;
    }

    /** The packages of a destination on a day: what a search's best price is sent to (see {@link #packagePart}). */
    public static String packageKey(String destination, String date) {
        return PACKAGE + SEGMENT + destination + SEGMENT + date;
    }

    /** Which part of which package a search's best price is: flights by arrival day, stays and rentals by their first day. */
    public record PackagePart(String packageKey, OfferKind kind, String lastDay) {
    }

    /** The package part of a search key, for the search keys of flights, hotels (any stars) and cars. */
    public static Optional<PackagePart> packagePart(String searchKey) {
        return parse(searchKey).filter(Target::isSearchRoot).map(t -> new PackagePart(packageKey(t.place(), t.start().toString()),
                t.kind(), t.kind() == OfferKind.FLIGHT ? t.start().toString() : t.end().toString()));
    }

    /** The search key of any key: its first four segments. */
    public static String searchKeyOf(String key) {
        int at = -1;
        for (int i = 0; i < 4; i++) {
            at = key.indexOf(SEGMENT, at + 1);
            if (at < 0) {
                return key;
            }
        }
        return key.substring(0, at);
    }

    // ---- reading keys

    /** The key read back, or empty when it is none of the keys above. */
    public static Optional<Target> parse(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        String[] parts = key.split(":", -1);
        return switch (parts[0]) {
            case FLIGHT -> flight(key, parts);
            case HOTEL -> hotel(key, parts);
            case CAR -> car(key, parts);
            default -> Optional.empty();
        };
    }

    private static Optional<Target> flight(String key, String[] parts) {
        if ((parts.length != 4 && parts.length != 6) || !isPlace(parts[1]) || !isPlace(parts[2]) || parts[1].equals(parts[2])) {
            return Optional.empty();
        }
        Optional<LocalDate> day = date(parts[3]);
        boolean offer = parts.length == 6;
        if (day.isEmpty() || offer && (!CARRIER.matcher(parts[4]).matches() || !KEY_TIME.matcher(parts[5]).matches())) {
            return Optional.empty();
        }
        return Optional.of(new Target(key, OfferKind.FLIGHT, offer, searchKeyOf(key), parts[2], day.get(), day.get(), Optional.empty()));
    }

    private static Optional<Target> hotel(String key, String[] parts) {
        if ((parts.length != 4 && parts.length != 5) || !isPlace(parts[1])) {
            return Optional.empty();
        }
        Optional<LocalDate> in = date(parts[2]);
        Optional<LocalDate> out = date(parts[3]);
        if (in.isEmpty() || out.isEmpty() || !out.get().isAfter(in.get())) {
            return Optional.empty();
        }
        LocalDate checkIn = in.get();
        LocalDate checkOut = out.get();
        if (parts.length == 4) {
            return Optional.of(new Target(key, OfferKind.HOTEL, false, key, parts[1], checkIn, checkOut, Optional.empty()));
        }
        if (STARS.matcher(parts[4]).matches()) {
            return Optional.of(new Target(key, OfferKind.HOTEL, false, searchKeyOf(key), parts[1], checkIn, checkOut,
                    Optional.of(parts[4].charAt(0) - '0')));
        }
        if (!HOTEL_ID.matcher(parts[4]).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Target(key, OfferKind.HOTEL, true, searchKeyOf(key), parts[1], checkIn, checkOut, Optional.empty()));
    }

    private static Optional<Target> car(String key, String[] parts) {
        if ((parts.length != 4 && parts.length != 5) || !isPlace(parts[1])) {
            return Optional.empty();
        }
        Optional<LocalDate> pickup = date(parts[2]);
        Optional<LocalDate> dropOff = date(parts[3]);
        if (pickup.isEmpty() || dropOff.isEmpty() || dropOff.get().isBefore(pickup.get())
                || parts.length == 5 && !CAR_CLASS.matcher(parts[4]).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Target(key, OfferKind.CAR, parts.length == 5, searchKeyOf(key), parts[1], pickup.get(), dropOff.get(),
                Optional.empty()));
    }

    // ---- the pieces, as rules and the API check them

    /** A 3-letter IATA code (an airport or a city). */
    public static boolean isPlace(String value) {
        return value != null && PLACE.matcher(value).matches();
    }

    public static boolean isCarrier(String value) {
        return value != null && CARRIER.matcher(value).matches();
    }

    /** A local time of day, HH:mm. */
    public static boolean isTime(String value) {
        return value != null && TIME.matcher(value).matches();
    }

    public static boolean isHotelId(String value) {
        return value != null && HOTEL_ID.matcher(value).matches();
    }

    public static boolean isCarClass(String value) {
        return value != null && CAR_CLASS.matcher(value).matches();
    }

    /** A calendar date, yyyy-MM-dd, or empty. */
    public static Optional<LocalDate> date(String value) {
        if (value == null || !DAY.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value, DATE));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
