package io.millrace.topology.pricealerts;

import static io.millrace.topology.pricealerts.PricealertsTestbed.DAY;
import static io.millrace.topology.pricealerts.PricealertsTestbed.flight;
import static io.millrace.topology.pricealerts.PricealertsTestbed.hotel;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.pricealerts.CarOffer;
import io.millrace.schemas.pricealerts.FxRate;
import io.millrace.schemas.pricealerts.HotelOffer;
import io.millrace.schemas.pricealerts.OfferKind;
import io.millrace.schemas.pricealerts.PriceQuote;
import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.WatchMode;
import io.millrace.topology.runtime.Rejections;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricealertsRejectionsTest {

    private static final String BA_KEY = "flight:LHR:JFK:" + DAY + ":BA:0830";

    @TempDir
    Path stateDir;

    @Test
    void quotesThatBreakARuleAreRejectedWithTheirReasonAndChangeNoPrice() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            PriceQuote good = bed.quote("expedia", flight("LHR", "JFK", "BA", "08:30"), 52_000, "USD");
            String search = OfferKeys.flightSearch("LHR", "JFK", DAY);
            bed.quotes.pipeInput(search, PriceQuote.newBuilder(good).setKind(OfferKind.UNKNOWN).build(), bed.now());
            bed.send(PriceQuote.newBuilder(good).setPriceMinor(0).build());
            bed.send(PriceQuote.newBuilder(good).setPriceMinor(-100).build());
            bed.send(PriceQuote.newBuilder(good).setCurrency("DOLLARS").build());
            bed.send(PriceQuote.newBuilder(good).setCurrency("XXX").build());
            bed.send(PriceQuote.newBuilder(good).setFlight(new io.millrace.schemas.pricealerts.FlightOffer("LHR", "JFK", "2027-01-02", "BA",
                    "08:30", "20:45", 0)).build());
            bed.send(bed.quote("booking", new HotelOffer("LIS", "h-tivoli", "2027-03-05", "2027-03-02", 4), 60_000, "USD"));
            bed.send(bed.quote("booking", new HotelOffer("LIS", "h-tivoli", "2027-03-05", "2027-03-05", 4), 60_000, "USD"));
            bed.send(bed.quote("sixt", new CarOffer("LIS", "2027-03-05", "2027-03-04", "SUV"), 30_000, "USD"));
            bed.send(bed.quote("sixt", new CarOffer("LIS", "2027-02-30", "2027-03-04", "SUV"), 30_000, "USD"));
            bed.send(PriceQuote.newBuilder(good).setHotel(hotel("LIS", "h-tivoli", 4)).build());
            bed.send(bed.offer(OfferKind.FLIGHT, "expedia", flight("LHR", "JFK", "BA", "08:30"), null, null, 52_000, "EUR", Duration.ofMinutes(5)));
            bed.quotes.pipeInput("flight:LHR:JFK:2027-03-03", good, bed.now());
            bed.quotes.pipeInput(search, null, bed.now());

            assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly(QuoteRules.UNKNOWN_KIND, QuoteRules.NON_POSITIVE_PRICE,
                    QuoteRules.NON_POSITIVE_PRICE, QuoteRules.UNKNOWN_CURRENCY, QuoteRules.UNKNOWN_CURRENCY,
                    QuoteRules.DATE_IN_PAST, QuoteRules.CHECKOUT_BEFORE_CHECKIN, QuoteRules.CHECKOUT_BEFORE_CHECKIN,
                    QuoteRules.DROPOFF_BEFORE_PICKUP, QuoteRules.INVALID_DATE, QuoteRules.OFFER_MISMATCH, QuoteRules.NO_FX_RATE,
                    QuoteRules.KEY_MISMATCH, Rejections.NO_VALUE);
        }
    }

    @Test
    void aQuoteThatLapsedBeforeItArrivedIsRejected() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            PriceQuote stale = bed.offer(OfferKind.FLIGHT, "expedia", flight("LHR", "JFK", "BA", "08:30"), null, null, 52_000, "USD",
                    Duration.ofMinutes(1));
            bed.advance(Duration.ofMinutes(2));

            bed.send(stale);

            assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly(QuoteRules.QUOTE_EXPIRED);
            assertThat(bed.best(BA_KEY, "USD")).isEqualTo(-1);
        }
    }

    @Test
    void watchesWithoutUserOrTargetOrWithABadThresholdAreRejected() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            long now = bed.now().toEpochMilli();
            bed.watches.pipeInput("ana", new PriceWatch("w1", "", BA_KEY, WatchMode.THRESHOLD, 40_000L, "USD", now));
            bed.watches.pipeInput("ana", new PriceWatch("w2", "ana", "", WatchMode.THRESHOLD, 40_000L, "USD", now));
            bed.watches.pipeInput("ana", new PriceWatch("w3", "ana", "flight:LHR", WatchMode.THRESHOLD, 40_000L, "USD", now));
            bed.watches.pipeInput("ana", new PriceWatch("w4", "ana", BA_KEY, WatchMode.THRESHOLD, null, "USD", now));
            bed.watches.pipeInput("ana", new PriceWatch("w5", "ana", BA_KEY, WatchMode.THRESHOLD, -5L, "USD", now));
            bed.watches.pipeInput("ana", new PriceWatch("w6", "ana", BA_KEY, WatchMode.THRESHOLD, 40_000L, "EURO", now));
            bed.watches.pipeInput("ben", new PriceWatch("w7", "ana", BA_KEY, WatchMode.THRESHOLD, 40_000L, "USD", now));
            bed.watches.pipeInput("ana", new PriceWatch("w8", "ana", "flight:LHR:JFK:2027-01-10", WatchMode.ANY_DROP, null, "USD", now));
            bed.cancel("ana", "never-placed");

            assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly(WatchRules.MISSING_USER, WatchRules.MISSING_TARGET,
                    WatchRules.INVALID_TARGET, WatchRules.INVALID_THRESHOLD, WatchRules.INVALID_THRESHOLD, QuoteRules.UNKNOWN_CURRENCY,
                    QuoteRules.KEY_MISMATCH, QuoteRules.DATE_IN_PAST, WatchRules.UNKNOWN_WATCH);
            assertThat(bed.queries().watches("ana")).isEmpty();
        }
    }

    @Test
    void aJunkRateIsRejectedAndTheCurrencyKeepsItsRate() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.rate("EUR", 0.8);
            bed.rates.pipeInput("EUR", new FxRate("EUR", -1.0, bed.now().toEpochMilli()));
            bed.rates.pipeInput("EUR", new FxRate("EUR", Double.NaN, bed.now().toEpochMilli()));
            bed.rates.pipeInput("GBP", new FxRate("EUR", 0.7, bed.now().toEpochMilli()));
            bed.rates.pipeInput("USD", new FxRate("USD", 1.1, bed.now().toEpochMilli()));

            bed.send(bed.quote("lufthansa", flight("LHR", "JFK", "BA", "08:30"), 40_000, "EUR"));

            assertThat(bed.rejections()).extracting(Rejected::getCode).containsExactly(FxRateRules.INVALID_RATE, FxRateRules.INVALID_RATE,
                    QuoteRules.KEY_MISMATCH, FxRateRules.INVALID_RATE);
            assertThat(bed.best(BA_KEY, "USD")).isEqualTo(50_000);
        }
    }
}
