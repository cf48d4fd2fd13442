package io.millrace.topology.pricealerts;

import static io.millrace.topology.pricealerts.PricealertsTestbed.DAY;
import static io.millrace.topology.pricealerts.PricealertsTestbed.flight;
import static io.millrace.topology.pricealerts.PricealertsTestbed.hotel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.millrace.schemas.pricealerts.FlightOffer;
import io.millrace.schemas.pricealerts.OfferKind;
import io.millrace.schemas.pricealerts.PriceAlert;
import io.millrace.topology.pricealerts.PricealertsQueries.OfferPrice;
import io.millrace.topology.pricealerts.PricealertsQueries.SearchPage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricealertsBestPriceTest {

    private static final FlightOffer BA_MORNING = flight("LHR", "JFK", "BA", "08:30");
    private static final FlightOffer VS_NOON = flight("LHR", "JFK", "VS", "12:10");
    private static final String BA_KEY = "flight:LHR:JFK:" + DAY + ":BA:0830";
    private static final String ROUTE = "flight:LHR:JFK:" + DAY;

    @TempDir
    Path stateDir;

    @Test
    void theBestPriceOfAnOfferIsItsCheapestLiveQuoteOverAllProviders() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.send(bed.quote("british-airways", BA_MORNING, 48_500, "USD"));
            bed.send(bed.quote("kayak", BA_MORNING, 50_000, "USD"));

            var best = bed.queries().best(OfferKeys.parse(BA_KEY).orElseThrow(), "USD", bed.now().toEpochMilli()).orElseThrow();

            assertThat(best.best().provider()).isEqualTo("british-airways");
            assertThat(best.best().price().minor()).isEqualTo(48_500);
            assertThat(best.providers()).extracting(p -> p.provider()).containsExactly("british-airways", "kayak", "expedia");
        }
    }

    @Test
    void aProvidersNewQuoteReplacesItsLastSoTheBestPriceCanRise() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("british-airways", BA_MORNING, 48_500, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));

            bed.send(bed.quote("british-airways", BA_MORNING, 61_000, "USD"));

            assertThat(bed.best(BA_KEY, "USD")).isEqualTo(52_000);
        }
    }

    @Test
    void whenTheCheapestQuoteLapsesTheBestPriceRisesToTheNextLiveOne() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.offer(OfferKind.FLIGHT, "flash-sale", BA_MORNING, null, null, 39_900, "USD", Duration.ofMinutes(2)));
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.send(bed.quote("kayak", VS_NOON, 47_000, "USD"));
            assertThat(bed.best(BA_KEY, "USD")).isEqualTo(39_900);
            assertThat(bed.best(ROUTE, "USD")).isEqualTo(39_900);

            bed.advance(Duration.ofMinutes(2).plusSeconds(1));

            assertThat(bed.best(BA_KEY, "USD")).as("the offer: the next provider").isEqualTo(52_000);
            assertThat(bed.best(ROUTE, "USD")).as("the search: now another flight").isEqualTo(47_000);
            SearchPage page = bed.queries().search(ROUTE, Optional.empty(), 10, "USD", bed.now().toEpochMilli());
            assertThat(page.offers()).extracting(OfferPrice::offerKey).containsExactly("flight:LHR:JFK:" + DAY + ":VS:1210", BA_KEY);
        }
    }

    @Test
    void whenEveryQuoteLapsesTheOfferHasNoPriceAndLeavesTheSearch() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.offer(OfferKind.FLIGHT, "expedia", BA_MORNING, null, null, 52_000, "USD", Duration.ofMinutes(1)));

            bed.advance(Duration.ofMinutes(2));

            assertThat(bed.best(BA_KEY, "USD")).isEqualTo(-1);
            assertThat(bed.best(ROUTE, "USD")).isEqualTo(-1);
            assertThat(bed.queries().search(ROUTE, Optional.empty(), 10, "USD", bed.now().toEpochMilli()).offers()).isEmpty();
        }
    }

    @Test
    void aQuoteRenewedBeforeItLapsesStaysLive() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.offer(OfferKind.FLIGHT, "expedia", BA_MORNING, null, null, 52_000, "USD", Duration.ofMinutes(1)));
            bed.advance(Duration.ofSeconds(30));
            bed.send(bed.offer(OfferKind.FLIGHT, "expedia", BA_MORNING, null, null, 52_000, "USD", Duration.ofMinutes(10)));

            bed.advance(Duration.ofMinutes(2));

            assertThat(bed.best(BA_KEY, "USD")).isEqualTo(52_000);
            bed.advance(Duration.ofMinutes(9));
            assertThat(bed.best(BA_KEY, "USD")).isEqualTo(-1);
        }
    }

    @Test
    void aSearchsBestPriceFollowsWhicheverOfferIsCheapestAsTheyMove() {
        String vsKey = "flight:LHR:JFK:" + DAY + ":VS:1210";
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 50_000, "USD"));
            bed.watch("ana", "w1", ROUTE, 49_500, "USD");
            bed.send(bed.quote("expedia", VS_NOON, 52_000, "USD"));

            bed.send(bed.quote("expedia", VS_NOON, 49_000, "USD"));
            bed.send(bed.quote("expedia", VS_NOON, 55_000, "USD"));
            bed.send(bed.quote("expedia", VS_NOON, 52_000, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 49_400, "USD"));

            assertThat(bed.alerts()).as("fired as another flight went ahead, re-armed when it rose behind the first, fired again")
                    .extracting(PriceAlert::getOfferKey, PriceAlert::getOldPriceMinor, PriceAlert::getNewPriceMinor)
                    .containsExactly(tuple(vsKey, 50_000L, 49_000L), tuple(BA_KEY, 50_000L, 49_400L));
            assertThat(bed.best(ROUTE, "USD")).isEqualTo(49_400);
        }
    }

    @Test
    void aSearchListsItsLiveOffersCheapestFirstPageByPage() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            for (int i = 0; i < 7; i++) {
                bed.send(bed.quote("kayak", flight("LHR", "JFK", "BA", String.format("%02d:00", 6 + i)), 60_000 - i * 1_000L, "USD"));
            }
            bed.send(bed.quote("kayak", flight("LHR", "BOS", "BA", "09:00"), 10_000, "USD"));

            SearchPage first = bed.queries().search(ROUTE, Optional.empty(), 3, "USD", bed.now().toEpochMilli());
            SearchPage second = bed.queries().search(ROUTE, first.next().flatMap(PricealertsQueries::cursor), 3, "USD",
                    bed.now().toEpochMilli());
            SearchPage last = bed.queries().search(ROUTE, second.next().flatMap(PricealertsQueries::cursor), 3, "USD",
                    bed.now().toEpochMilli());

            assertThat(first.offers()).extracting(o -> o.price().minor()).containsExactly(54_000L, 55_000L, 56_000L);
            assertThat(second.offers()).extracting(o -> o.price().minor()).containsExactly(57_000L, 58_000L, 59_000L);
            assertThat(last.offers()).extracting(o -> o.price().minor()).containsExactly(60_000L);
            assertThat(last.next()).isEmpty();
        }
    }

    @Test
    void aStarRatedHotelSearchListsOnlyThatRating() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("booking", hotel("LIS", "h-pestana", 5), 90_000, "EUR"));
            bed.rate("EUR", 0.9);
            bed.send(bed.quote("booking", hotel("LIS", "h-pestana", 5), 90_000, "EUR"));
            bed.send(bed.quote("booking", hotel("LIS", "h-tivoli", 4), 60_000, "USD"));
            bed.send(bed.quote("hotels", hotel("LIS", "h-alfama", 4), 45_000, "USD"));

            String fourStars = OfferKeys.hotelSearch("LIS", DAY, PricealertsTestbed.LAST_DAY, 4);
            SearchPage page = bed.queries().search(fourStars, Optional.empty(), 10, "USD", bed.now().toEpochMilli());

            assertThat(page.offers()).extracting(o -> o.hotel().orElseThrow().hotelId()).containsExactly("h-alfama", "h-tivoli");
            assertThat(bed.best(OfferKeys.hotelSearch("LIS", DAY, PricealertsTestbed.LAST_DAY), "USD")).isEqualTo(45_000);
            assertThat(bed.rejections()).extracting(r -> r.getCode()).containsExactly(QuoteRules.NO_FX_RATE);
        }
    }

    @Test
    void quotesInOtherCurrenciesAreComparedInDollars() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.rate("EUR", 0.8);
            bed.rate("JPY", 150);
            bed.send(bed.quote("lufthansa", BA_MORNING, 40_000, "EUR"));
            bed.send(bed.quote("ana", BA_MORNING, 74_000, "JPY"));
            bed.send(bed.quote("expedia", BA_MORNING, 49_900, "USD"));

            var best = bed.queries().best(OfferKeys.parse(BA_KEY).orElseThrow(), "EUR", bed.now().toEpochMilli()).orElseThrow();

            assertThat(best.best().provider()).as("EUR 400 is USD 500; JPY 74,000 is USD 493.33; USD 499").isEqualTo("ana");
            assertThat(best.best().quoted().minor()).isEqualTo(74_000);
            assertThat(best.best().quoted().currency()).isEqualTo("JPY");
            assertThat(best.best().price().minor()).as("in euro cents").isEqualTo(39_466);
            assertThat(best.providers()).extracting(p -> p.provider()).containsExactly("ana", "expedia", "lufthansa");
        }
    }

    @Test
    void theHistoryKeepsTheLowestPriceOfEachHour() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.send(bed.quote("kayak", BA_MORNING, 49_000, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 55_000, "USD"));
            bed.advance(Duration.ofHours(1));
            bed.send(bed.quote("expedia", BA_MORNING, 51_000, "USD"));

            var history = bed.queries().history(BA_KEY, PricealertsTestbed.T0.minus(Duration.ofHours(1)), bed.now().plusSeconds(1), "USD");

            assertThat(history.hours()).extracting(h -> h.price().minor()).containsExactly(49_000L, 51_000L);
            assertThat(history.hours().get(0).hourStart()).isEqualTo(PricealertsTestbed.T0.toEpochMilli());
        }
    }
}
