package io.millrace.topology.pricealerts;

import static io.millrace.topology.pricealerts.PricealertsTestbed.DAY;
import static io.millrace.topology.pricealerts.PricealertsTestbed.LAST_DAY;
import static io.millrace.topology.pricealerts.PricealertsTestbed.flight;
import static io.millrace.topology.pricealerts.PricealertsTestbed.hotel;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.pricealerts.FlightOffer;
import io.millrace.schemas.pricealerts.OfferKind;
import io.millrace.schemas.pricealerts.PriceAlert;
import io.millrace.schemas.pricealerts.PriceQuote;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricealertsWatchTest {

    private static final FlightOffer BA_MORNING = flight("LHR", "JFK", "BA", "08:30");
    private static final FlightOffer VS_NOON = flight("LHR", "JFK", "VS", "12:10");
    private static final String BA_KEY = "flight:LHR:JFK:" + DAY + ":BA:0830";
    private static final String ROUTE = "flight:LHR:JFK:" + DAY;

    @TempDir
    Path stateDir;

    @Test
    void aWatchFiresOnceWhenTheBestPriceCrossesToOrBelowItsThresholdNotOnEveryQuoteBelowIt() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watch("ana", "w1", BA_KEY, 45_000, "USD");

            bed.send(bed.quote("kayak", BA_MORNING, 45_000, "USD"));
            bed.send(bed.quote("kayak", BA_MORNING, 44_000, "USD"));
            bed.send(bed.quote("british-airways", BA_MORNING, 41_000, "USD"));
            bed.send(bed.quote("kayak", BA_MORNING, 43_000, "USD"));

            List<PriceAlert> alerts = bed.alerts();
            assertThat(alerts).hasSize(1);
            PriceAlert alert = alerts.get(0);
            assertThat(alert.getAlertId()).isEqualTo("w1#1");
            assertThat(alert.getUser()).isEqualTo("ana");
            assertThat(alert.getOldPriceMinor()).isEqualTo(52_000);
            assertThat(alert.getNewPriceMinor()).isEqualTo(45_000);
            assertThat(alert.getProvider()).isEqualTo("kayak");
            assertThat(alert.getOfferKey()).isEqualTo(BA_KEY);
            assertThat(alert.getFlight().getCarrier()).isEqualTo("BA");
        }
    }

    @Test
    void aWatchReArmsWhenThePriceGoesBackAboveAndFiresAgainOnTheNextCrossing() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watch("ana", "w1", BA_KEY, 45_000, "USD");

            bed.send(bed.quote("expedia", BA_MORNING, 44_000, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 45_001, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 46_000, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 40_000, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 39_000, "USD"));

            assertThat(bed.alerts()).extracting(PriceAlert::getAlertId, PriceAlert::getOldPriceMinor, PriceAlert::getNewPriceMinor)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("w1#1", 52_000L, 44_000L),
                            org.assertj.core.groups.Tuple.tuple("w1#2", 46_000L, 40_000L));
        }
    }

    @Test
    void aLapseThatRaisesThePriceReArmsTheWatch() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watch("ana", "w1", BA_KEY, 45_000, "USD");
            bed.send(bed.offer(OfferKind.FLIGHT, "flash-sale", BA_MORNING, null, null, 39_900, "USD", Duration.ofMinutes(1)));
            assertThat(bed.alerts()).hasSize(1);

            bed.advance(Duration.ofMinutes(2));
            bed.send(bed.quote("flash-sale", BA_MORNING, 39_900, "USD"));

            assertThat(bed.alerts()).extracting(PriceAlert::getAlertId, PriceAlert::getOldPriceMinor)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("w1#2", 52_000L));
        }
    }

    @Test
    void aWatchPlacedWhileThePriceIsAlreadyBelowItsThresholdFiresOnceAtOnce() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 42_000, "USD"));

            bed.watch("ana", "w1", BA_KEY, 45_000, "USD");
            bed.send(bed.quote("expedia", BA_MORNING, 41_000, "USD"));

            assertThat(bed.alerts()).extracting(PriceAlert::getAlertId, PriceAlert::getOldPriceMinor, PriceAlert::getNewPriceMinor)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("w1#1", null, 42_000L));
        }
    }

    @Test
    void theSameWatchSentAgainKeepsItsStateAndDoesNotFireAgain() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watch("ana", "w1", BA_KEY, 45_000, "USD");
            bed.send(bed.quote("expedia", BA_MORNING, 44_000, "USD"));

            bed.watch("ana", "w1", BA_KEY, 45_000, "USD");

            assertThat(bed.alerts()).hasSize(1);
        }
    }

    @Test
    void theSameQuoteDeliveredAgainAfterItsCrossingFiresNothing() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watch("ana", "w1", BA_KEY, 45_000, "USD");
            PriceQuote crossing = bed.quote("expedia", BA_MORNING, 44_000, "USD");

            bed.send(crossing);
            bed.send(crossing);

            assertThat(bed.alerts()).hasSize(1);
        }
    }

    @Test
    void anyDropFiresBelowTheBestPriceItFirstSawAndReArmsAtIt() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watchAnyDrop("ana", "w1", BA_KEY, "USD");

            bed.send(bed.quote("expedia", BA_MORNING, 53_000, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 51_999, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 51_000, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 50_000, "USD"));

            assertThat(bed.alerts()).extracting(PriceAlert::getAlertId, PriceAlert::getNewPriceMinor)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("w1#1", 51_999L), org.assertj.core.groups.Tuple.tuple("w1#2", 50_000L));
        }
    }

    @Test
    void anAnyDropWatchPlacedBeforeAnyPriceTakesTheFirstPriceAsItsReference() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.watchAnyDrop("ana", "w1", ROUTE, "USD");

            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.send(bed.quote("kayak", VS_NOON, 49_000, "USD"));

            assertThat(bed.alerts()).extracting(PriceAlert::getOldPriceMinor, PriceAlert::getNewPriceMinor, PriceAlert::getOfferKey)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(52_000L, 49_000L, "flight:LHR:JFK:" + DAY + ":VS:1210"));
        }
    }

    @Test
    void aSearchWatchFiresWhenAnyOfferOfTheSearchBecomesCheapEnough() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watch("ana", "w1", ROUTE, 48_000, "USD");
            bed.watch("ben", "w2", OfferKeys.hotelSearch("LIS", DAY, LAST_DAY, 4), 30_000, "USD");

            bed.send(bed.quote("kayak", VS_NOON, 47_500, "USD"));
            bed.send(bed.quote("booking", hotel("LIS", "h-pestana", 5), 25_000, "USD"));
            bed.send(bed.quote("booking", hotel("LIS", "h-tivoli", 4), 29_000, "USD"));

            assertThat(bed.alerts()).extracting(PriceAlert::getUser, PriceAlert::getOfferKey).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("ana", "flight:LHR:JFK:" + DAY + ":VS:1210"),
                    org.assertj.core.groups.Tuple.tuple("ben", "hotel:LIS:" + DAY + ":" + LAST_DAY + ":h-tivoli"));
        }
    }

    @Test
    void aEuroQuoteAndADollarWatchAreComparedInOneCurrency() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.rate("EUR", 0.8);
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watch("ana", "usd", BA_KEY, 45_000, "USD");
            bed.watch("eva", "eur", BA_KEY, 34_000, "EUR");

            // EUR 360 is USD 450: at the dollar threshold, above the euro one (EUR 340)
            bed.send(bed.quote("lufthansa", BA_MORNING, 36_000, "EUR"));
            // EUR 336 is USD 420: now below both
            bed.send(bed.quote("lufthansa", BA_MORNING, 33_600, "EUR"));

            List<PriceAlert> alerts = bed.alerts();
            assertThat(alerts).extracting(PriceAlert::getWatchId, PriceAlert::getCurrency, PriceAlert::getNewPriceMinor)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("usd", "USD", 45_000L),
                            org.assertj.core.groups.Tuple.tuple("eur", "EUR", 33_600L));
            assertThat(alerts.get(1).getOldPriceMinor()).as("the previous best, USD 450, in euros").isEqualTo(36_000);
            assertThat(alerts.get(1).getQuotedCurrency()).isEqualTo("EUR");
        }
    }

    @Test
    void aWatchInACurrencyWithoutARateYetIsComparedOnceTheRateArrives() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watch("eva", "eur", BA_KEY, 40_000, "EUR");
            bed.watchAnyDrop("eva", "drop", BA_KEY, "EUR");
            bed.send(bed.quote("expedia", BA_MORNING, 42_000, "USD"));

            bed.rate("EUR", 0.9);
            bed.send(bed.quote("expedia", BA_MORNING, 43_000, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 44_000, "USD"));

            assertThat(bed.alerts()).extracting(PriceAlert::getWatchId, PriceAlert::getNewPriceMinor)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("eur", 38_700L));
            bed.send(bed.quote("expedia", BA_MORNING, 42_999, "USD"));
            assertThat(bed.alerts()).extracting(PriceAlert::getWatchId).as("below the first price it could see, EUR 387")
                    .containsExactly("drop");
        }
    }

    @Test
    void aCancelledWatchFiresNoMore() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watch("ana", "w1", BA_KEY, 45_000, "USD");
            bed.watch("ana", "w2", BA_KEY, 45_000, "USD");

            bed.cancel("ana", "w1");
            bed.send(bed.quote("expedia", BA_MORNING, 44_000, "USD"));

            assertThat(bed.alerts()).extracting(PriceAlert::getWatchId).containsExactly("w2");
            assertThat(bed.queries().watches("ana")).extracting(w -> w.watchId()).containsExactly("w2");
        }
    }

    @Test
    void aWatchMovedToAnotherTargetLeavesItsOldOne() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watch("ana", "w1", BA_KEY, 45_000, "USD");

            bed.watch("ana", "w1", "flight:LHR:BOS:" + DAY, 45_000, "USD");
            bed.send(bed.quote("expedia", BA_MORNING, 44_000, "USD"));
            bed.send(bed.quote("expedia", flight("LHR", "BOS", "BA", "09:15"), 44_000, "USD"));

            assertThat(bed.alerts()).extracting(PriceAlert::getTarget).containsExactly("flight:LHR:BOS:" + DAY);
        }
    }

    @Test
    void aUsersAlertsAreKeptNewestFirst() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("expedia", BA_MORNING, 52_000, "USD"));
            bed.watch("ana", "w1", BA_KEY, 45_000, "USD");
            bed.send(bed.quote("expedia", BA_MORNING, 44_000, "USD"));
            bed.advance(Duration.ofSeconds(5));
            bed.send(bed.quote("expedia", BA_MORNING, 46_000, "USD"));
            bed.send(bed.quote("expedia", BA_MORNING, 43_000, "USD"));

            assertThat(bed.queries().alerts("ana", 10)).extracting(a -> a.alertId()).containsExactly("w1#2", "w1#1");
            assertThat(bed.queries().alerts("ben", 10)).isEmpty();
        }
    }
}
