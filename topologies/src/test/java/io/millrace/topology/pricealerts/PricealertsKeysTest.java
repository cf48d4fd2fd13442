package io.millrace.topology.pricealerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.pricealerts.CarOffer;
import io.millrace.schemas.pricealerts.FlightOffer;
import io.millrace.schemas.pricealerts.HotelOffer;
import io.millrace.schemas.pricealerts.OfferKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PricealertsKeysTest {

    @Test
    void offerKeysNameTheOfferAndStartWithTheKeyOfTheirSearch() {
        String flight = OfferKeys.offerKey(OfferKind.FLIGHT, new FlightOffer("LHR", "JFK", "2027-03-02", "BA", "08:30", "11:25", 0), null, null);
        String hotel = OfferKeys.offerKey(OfferKind.HOTEL, null, new HotelOffer("LIS", "h-pestana", "2027-03-02", "2027-03-05", 5), null);
        String car = OfferKeys.offerKey(OfferKind.CAR, null, null, new CarOffer("LIS", "2027-03-02", "2027-03-05", "COMPACT"));

        assertThat(flight).isEqualTo("flight:LHR:JFK:2027-03-02:BA:0830");
        assertThat(hotel).isEqualTo("hotel:LIS:2027-03-02:2027-03-05:h-pestana");
        assertThat(car).isEqualTo("car:LIS:2027-03-02:2027-03-05:COMPACT");
        assertThat(List.of(flight, hotel, car)).extracting(OfferKeys::searchKeyOf)
                .containsExactly("flight:LHR:JFK:2027-03-02", "hotel:LIS:2027-03-02:2027-03-05", "car:LIS:2027-03-02:2027-03-05");
    }

    @Test
    void aHotelIsFoundByItsCitySearchAndByItsStarRating() {
        assertThat(OfferKeys.searchKeysOf(OfferKind.HOTEL, null, new HotelOffer("LIS", "h-tivoli", "2027-03-02", "2027-03-05", 4), null))
                .containsExactly("hotel:LIS:2027-03-02:2027-03-05", "hotel:LIS:2027-03-02:2027-03-05:4*");
    }

    @Test
    void keysReadBackAsWhatTheyAre() {
        assertThat(OfferKeys.parse("flight:LHR:JFK:2027-03-02:BA:0830")).hasValueSatisfying(t -> {
            assertThat(t.offer()).isTrue();
            assertThat(t.searchKey()).isEqualTo("flight:LHR:JFK:2027-03-02");
            assertThat(t.place()).isEqualTo("JFK");
        });
        assertThat(OfferKeys.parse("hotel:LIS:2027-03-02:2027-03-05:4*")).hasValueSatisfying(t -> {
            assertThat(t.offer()).isFalse();
            assertThat(t.isSearchRoot()).isFalse();
            assertThat(t.stars()).contains(4);
        });
        assertThat(OfferKeys.parse("car:LIS:2027-03-02:2027-03-02")).hasValueSatisfying(t -> assertThat(t.isSearchRoot()).isTrue());
    }

    @Test
    void anythingElseIsNoKey() {
        for (String junk : List.of("", "flight", "flight:LHR:JFK", "flight:LHR:LHR:2027-03-02", "flight:lhr:JFK:2027-03-02",
                "flight:LHR:JFK:2027-02-30", "flight:LHR:JFK:2027-03-02:BA", "flight:LHR:JFK:2027-03-02:BA:2460",
                "hotel:LIS:2027-03-05:2027-03-02", "hotel:LIS:2027-03-02:2027-03-02", "hotel:LIS:2027-03-02:2027-03-05:6*",
                "hotel:LIS:2027-03-02:2027-03-05:-x", "car:LIS:2027-03-02:2027-03-01", "car:LIS:2027-03-02:2027-03-05:compact",
                "train:LIS:2027-03-02:2027-03-05", "flight:LHR:JFK:+2027-03-02", "flight:LHR:JFK:2027-03-02:BA:0830:x",
                "hotel:LIS:2027-03-02:2027-03-05:" + "h".repeat(200))) {
            assertThat(OfferKeys.parse(junk)).as(junk).isEmpty();
        }
    }

    @Test
    void aSearchsBestPriceIsPartOfThePackagesOfItsDestinationAndFirstDay() {
        assertThat(OfferKeys.packagePart("flight:LHR:LIS:2027-03-02"))
                .contains(new OfferKeys.PackagePart("package:LIS:2027-03-02", OfferKind.FLIGHT, "2027-03-02"));
        assertThat(OfferKeys.packagePart("hotel:LIS:2027-03-02:2027-03-05"))
                .contains(new OfferKeys.PackagePart("package:LIS:2027-03-02", OfferKind.HOTEL, "2027-03-05"));
        assertThat(OfferKeys.packagePart("hotel:LIS:2027-03-02:2027-03-05:4*")).isEqualTo(Optional.empty());
    }
}
