package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.CarOffer;
import io.millrace.schemas.pricealerts.FlightOffer;
import io.millrace.schemas.pricealerts.HotelOffer;
import io.millrace.schemas.pricealerts.OfferKind;
import io.millrace.schemas.pricealerts.PriceQuote;
import io.millrace.topology.runtime.Identifiers;
import io.millrace.topology.runtime.Violation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/** What makes a price quote acceptable; a violation sends it to {@code pricealerts.rejected} with its code. */
public final class QuoteRules {

    public static final String UNKNOWN_KIND = "UNKNOWN_KIND";
    public static final String OFFER_MISMATCH = "OFFER_MISMATCH";
    public static final String INVALID_OFFER = "INVALID_OFFER";
    public static final String INVALID_DATE = "INVALID_DATE";
    public static final String DATE_IN_PAST = "DATE_IN_PAST";
    public static final String CHECKOUT_BEFORE_CHECKIN = "CHECKOUT_BEFORE_CHECKIN";
    public static final String DROPOFF_BEFORE_PICKUP = "DROPOFF_BEFORE_PICKUP";
    public static final String NON_POSITIVE_PRICE = "NON_POSITIVE_PRICE";
    public static final String PRICE_TOO_HIGH = "PRICE_TOO_HIGH";
    public static final String UNKNOWN_CURRENCY = "UNKNOWN_CURRENCY";
    public static final String INVALID_TIMESTAMP = "INVALID_TIMESTAMP";
    public static final String INVALID_VALIDITY = "INVALID_VALIDITY";
    public static final String QUOTE_EXPIRED = "QUOTE_EXPIRED";
    public static final String KEY_MISMATCH = Violation.KEY_MISMATCH;
    public static final String NO_FX_RATE = "NO_FX_RATE";

    /** Providers' clocks drift; a quote from further ahead than this would distort the hourly history. */
    static final long MAX_CLOCK_SKEW_MS = 3_600_000;
    /** A quote that claims to hold for longer is not a live price. */
    static final long MAX_VALIDITY_MS = 7L * 24 * 3_600_000;
    private static final int MAX_STOPS = 4;

    private QuoteRules() {
    }

    /** The rules for {@code quote}, read with {@code key}, at wall-clock time {@code now}. */
    public static Optional<Violation> check(String key, PriceQuote quote, long now) {
        Optional<Violation> offer = offer(quote, now);
        if (offer.isPresent()) {
            return offer;
        }
        Optional<Violation> provider = Identifiers.id("provider", quote.getProvider());
        if (provider.isPresent()) {
            return provider;
        }
        if (quote.getPriceMinor() <= 0) {
            return Violation.of(NON_POSITIVE_PRICE, "priceMinor must be positive, was " + quote.getPriceMinor());
        }
        if (quote.getPriceMinor() > Money.MAX_MINOR) {
            return Violation.of(PRICE_TOO_HIGH, "priceMinor must be at most " + Money.MAX_MINOR);
        }
        if (!Money.isCurrency(quote.getCurrency())) {
            return Violation.of(UNKNOWN_CURRENCY, "currency must be an ISO 4217 code, was '" + shown(quote.getCurrency()) + "'");
        }
        if (quote.getTimestamp() < 0 || quote.getTimestamp() > now + MAX_CLOCK_SKEW_MS) {
            return Violation.of(INVALID_TIMESTAMP, "timestamp (observedAt) must not be more than an hour ahead");
        }
        if (quote.getValidUntil() <= quote.getTimestamp() || quote.getValidUntil() - quote.getTimestamp() > MAX_VALIDITY_MS) {
            return Violation.of(INVALID_VALIDITY, "validUntil must be after the timestamp and at most 7 days after it");
        }
        if (quote.getValidUntil() <= now) {
            return Violation.of(QUOTE_EXPIRED, "the quote lapsed at " + Instant.ofEpochMilli(quote.getValidUntil()) + ", before it arrived");
        }
        String expected = OfferKeys.searchKeyOf(OfferKeys.offerKey(quote.getKind(), quote.getFlight(), quote.getHotel(), quote.getCar()));
        if (!expected.equals(key)) {
            return Violation.of(KEY_MISMATCH, "a quote is keyed by its search key, " + expected);
        }
        return Optional.empty();
    }

    private static Optional<Violation> offer(PriceQuote quote, long now) {
        if (quote.getKind() == null || quote.getKind() == OfferKind.UNKNOWN) {
            return Violation.of(UNKNOWN_KIND, "kind must be FLIGHT, HOTEL or CAR");
        }
        int details = (quote.getFlight() == null ? 0 : 1) + (quote.getHotel() == null ? 0 : 1) + (quote.getCar() == null ? 0 : 1);
        Object own = switch (quote.getKind()) {
            case FLIGHT -> quote.getFlight();
            case HOTEL -> quote.getHotel();
            default -> quote.getCar();
        };
        if (own == null || details != 1) {
            String field = quote.getKind().name().toLowerCase(Locale.ROOT);
            return Violation.of(OFFER_MISMATCH, "a " + quote.getKind() + " quote carries its " + field + " and nothing else");
        }
        return switch (quote.getKind()) {
            case FLIGHT -> flight(quote.getFlight(), now);
            case HOTEL -> hotel(quote.getHotel(), now);
            default -> car(quote.getCar(), now);
        };
    }

    private static Optional<Violation> flight(FlightOffer flight, long now) {
        if (!OfferKeys.isPlace(flight.getOrigin()) || !OfferKeys.isPlace(flight.getDestination())) {
            return Violation.of(INVALID_OFFER, "origin and destination must be 3-letter IATA codes");
        }
        if (flight.getOrigin().equals(flight.getDestination())) {
            return Violation.of(INVALID_OFFER, "origin and destination must differ");
        }
        if (!OfferKeys.isCarrier(flight.getCarrier())) {
            return Violation.of(INVALID_OFFER, "carrier must be a 2-3 character IATA airline code");
        }
        if (!OfferKeys.isTime(flight.getDepartureTime()) || !OfferKeys.isTime(flight.getArrivalTime())) {
            return Violation.of(INVALID_OFFER, "departureTime and arrivalTime must be HH:mm");
        }
        if (flight.getStops() < 0 || flight.getStops() > MAX_STOPS) {
            return Violation.of(INVALID_OFFER, "stops must be 0 to " + MAX_STOPS);
        }
        Optional<LocalDate> date = OfferKeys.date(flight.getDate());
        if (date.isEmpty()) {
            return Violation.of(INVALID_DATE, "date must be a date, yyyy-MM-dd");
        }
        return isPast(date.get(), now) ? Violation.of(DATE_IN_PAST, "date " + date.get() + " is in the past") : Optional.empty();
    }

    private static Optional<Violation> hotel(HotelOffer hotel, long now) {
        if (!OfferKeys.isPlace(hotel.getCity())) {
            return Violation.of(INVALID_OFFER, "city must be a 3-letter IATA code");
        }
        if (!OfferKeys.isHotelId(hotel.getHotelId())) {
            return Violation.of(INVALID_OFFER, "hotelId must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (hotel.getStars() < 1 || hotel.getStars() > 5) {
            return Violation.of(INVALID_OFFER, "stars must be 1 to 5");
        }
        return travelDates("checkIn", hotel.getCheckIn(), "checkOut", hotel.getCheckOut(), now, CHECKOUT_BEFORE_CHECKIN);
    }

    private static Optional<Violation> car(CarOffer car, long now) {
        if (!OfferKeys.isPlace(car.getLocation())) {
            return Violation.of(INVALID_OFFER, "location must be a 3-letter IATA code");
        }
        if (!OfferKeys.isCarClass(car.getCarClass())) {
            return Violation.of(INVALID_OFFER, "carClass must be 2-16 capital letters, e.g. COMPACT");
        }
        return travelDates("pickup", car.getPickup(), "dropOff", car.getDropOff(), now, DROPOFF_BEFORE_PICKUP);
    }

    /**
     * Dates that are dates, not in the past, and in order: a stay's last day after its first; a rental may end the day
     * it starts. {@code order} names the violation when they are not.
     */
    private static Optional<Violation> travelDates(String firstName, String first, String lastName, String last, long now, String order) {
        Optional<LocalDate> start = OfferKeys.date(first);
        Optional<LocalDate> end = OfferKeys.date(last);
        if (start.isEmpty() || end.isEmpty()) {
            return Violation.of(INVALID_DATE, firstName + " and " + lastName + " must be dates, yyyy-MM-dd");
        }
        if (isPast(start.get(), now)) {
            return Violation.of(DATE_IN_PAST, firstName + " " + start.get() + " is in the past");
        }
        boolean stay = order.equals(CHECKOUT_BEFORE_CHECKIN);
        if (stay ? !end.get().isAfter(start.get()) : end.get().isBefore(start.get())) {
            return Violation.of(order, lastName + (stay ? " must be after " : " must not be before ") + firstName);
        }
        return Optional.empty();
    }

    /** Before yesterday (UTC): a date that is today somewhere on Earth is never in the past. */
    public static boolean isPast(LocalDate day, long now) {
        return day.isBefore(LocalDate.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC).minusDays(1));
    }

    static String shown(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 16 ? value : value.substring(0, 16) + "…";
    }
}
