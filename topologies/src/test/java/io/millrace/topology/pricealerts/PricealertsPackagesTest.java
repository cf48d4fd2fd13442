package io.millrace.topology.pricealerts;

import static io.millrace.topology.pricealerts.PricealertsTestbed.DAY;
import static io.millrace.topology.pricealerts.PricealertsTestbed.LAST_DAY;
import static io.millrace.topology.pricealerts.PricealertsTestbed.car;
import static io.millrace.topology.pricealerts.PricealertsTestbed.flight;
import static io.millrace.topology.pricealerts.PricealertsTestbed.hotel;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.pricealerts.OfferKind;
import io.millrace.topology.pricealerts.PricealertsQueries.PackageAnswer;
import io.millrace.topology.pricealerts.PricealertsQueries.TravelPackage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricealertsPackagesTest {

    @TempDir
    Path stateDir;

    @Test
    void aPackageIsTheCheapestFlightIntoTheDestinationWithTheCheapestStayAndCarAndFollowsQuoteChanges() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("tap", flight("LHR", "LIS", "TP", "07:00"), 21_000, "USD"));
            bed.send(bed.quote("easyjet", flight("MAD", "LIS", "U2", "09:30"), 9_000, "USD"));
            bed.send(bed.quote("booking", hotel("LIS", "h-tivoli", 4), 60_000, "USD"));
            bed.send(bed.quote("hotels", hotel("LIS", "h-alfama", 3), 45_000, "USD"));
            bed.send(bed.quote("sixt", car("LIS", "COMPACT"), 12_000, "USD"));

            TravelPackage first = packageOf(bed, true, Optional.empty());
            assertThat(first.flight().offerKey()).isEqualTo("flight:MAD:LIS:" + DAY + ":U2:0930");
            assertThat(first.hotel().hotel().orElseThrow().hotelId()).isEqualTo("h-alfama");
            assertThat(first.car().orElseThrow().car().orElseThrow().carClass()).isEqualTo("COMPACT");
            assertThat(first.total().minor()).isEqualTo(9_000 + 45_000 + 12_000);

            // When a cheaper stay is quoted, and the cheapest flight goes up
            bed.send(bed.quote("booking", hotel("LIS", "h-tivoli", 4), 40_000, "USD"));
            bed.send(bed.quote("easyjet", flight("MAD", "LIS", "U2", "09:30"), 25_000, "USD"));

            TravelPackage second = packageOf(bed, true, Optional.empty());
            assertThat(second.flight().offerKey()).isEqualTo("flight:LHR:LIS:" + DAY + ":TP:0700");
            assertThat(second.hotel().hotel().orElseThrow().hotelId()).isEqualTo("h-tivoli");
            assertThat(second.total().minor()).isEqualTo(21_000 + 40_000 + 12_000);
            assertThat(packageOf(bed, false, Optional.empty()).total().minor()).as("without a car").isEqualTo(21_000 + 40_000);
            assertThat(packageOf(bed, false, Optional.of("MAD")).total().minor()).as("flying from Madrid").isEqualTo(25_000 + 40_000);
        }
    }

    @Test
    void whenThePackagesOnlyCarLapsesAPackageWithACarHasNone() {
        try (PricealertsTestbed bed = new PricealertsTestbed(stateDir)) {
            bed.send(bed.quote("tap", flight("LHR", "LIS", "TP", "07:00"), 21_000, "USD"));
            bed.send(bed.quote("hotels", hotel("LIS", "h-alfama", 3), 45_000, "USD"));
            bed.send(bed.offer(OfferKind.CAR, "sixt", null, null, car("LIS", "SUV"), 30_000, "USD", Duration.ofMinutes(1)));
            assertThat(bed.queries().packageOf("LIS", DAY, LAST_DAY, true, Optional.empty(), "USD", bed.now().toEpochMilli()).found())
                    .isPresent();

            bed.advance(Duration.ofMinutes(2));

            PackageAnswer answer = bed.queries().packageOf("LIS", DAY, LAST_DAY, true, Optional.empty(), "USD", bed.now().toEpochMilli());
            assertThat(answer.found()).isEmpty();
            assertThat(answer.missing()).containsExactly("a car at LIS from " + DAY + " to " + LAST_DAY);
        }
    }

    private static TravelPackage packageOf(PricealertsTestbed bed, boolean car, Optional<String> origin) {
        return bed.queries().packageOf("LIS", DAY, LAST_DAY, car, origin, "USD", bed.now().toEpochMilli()).found().orElseThrow();
    }
}
