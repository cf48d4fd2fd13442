package io.millrace.topology.pricealerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.topology.pricealerts.PriceWatchMatcher.Crossing;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PriceWatchMatcherTest {

    @Test
    void aFallConcernsTheThresholdsFromTheNewPriceUpToJustBelowTheOld() {
        assertThat(PriceWatchMatcher.crossing(OptionalLong.of(520), OptionalLong.of(450))).contains(new Crossing(true, 450, 519));
    }

    @Test
    void aRiseConcernsTheThresholdsFromTheOldPriceUpToJustBelowTheNew() {
        assertThat(PriceWatchMatcher.crossing(OptionalLong.of(450), OptionalLong.of(520))).contains(new Crossing(false, 450, 519));
    }

    @Test
    void noPriceIsAboveEveryThreshold() {
        assertThat(PriceWatchMatcher.crossing(OptionalLong.empty(), OptionalLong.of(450))).contains(new Crossing(true, 450, Long.MAX_VALUE - 1));
        assertThat(PriceWatchMatcher.crossing(OptionalLong.of(450), OptionalLong.empty())).contains(new Crossing(false, 450, Long.MAX_VALUE - 1));
        assertThat(PriceWatchMatcher.crossing(OptionalLong.empty(), OptionalLong.empty())).isEmpty();
    }

    @Test
    void anUnchangedPriceConcernsNoWatch() {
        assertThat(PriceWatchMatcher.crossing(OptionalLong.of(450), OptionalLong.of(450))).isEmpty();
    }

    @Test
    void anAnyDropWatchFiresAtAnyPriceBelowItsReference() {
        assertThat(PriceWatchMatcher.anyDropThreshold(52_000)).isEqualTo(51_999);
        assertThat(PriceWatchMatcher.anyDropThreshold(0)).isZero();
        assertThat(PriceWatchMatcher.atOrBelow(OptionalLong.of(51_999), PriceWatchMatcher.anyDropThreshold(52_000))).isTrue();
        assertThat(PriceWatchMatcher.atOrBelow(OptionalLong.of(52_000), PriceWatchMatcher.anyDropThreshold(52_000))).isFalse();
        assertThat(PriceWatchMatcher.atOrBelow(OptionalLong.empty(), 100)).isFalse();
    }
}
