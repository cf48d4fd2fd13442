package io.millrace.topology.pricealerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PricealertsMoneyTest {

    private static final Map<String, Double> RATES = Map.of("EUR", 0.92, "JPY", 151.2, "KWD", 0.307);
    private static final Money.Rates LOOKUP = c -> RATES.containsKey(c) ? OptionalDouble.of(RATES.get(c)) : OptionalDouble.empty();

    @Test
    void pricesConvertToDollarsEachCurrencyWithItsOwnMinorUnits() {
        assertThat(Money.toUsd(46_000, "EUR", LOOKUP)).hasValue(50_000);
        assertThat(Money.toUsd(75_600, "JPY", LOOKUP)).as("yen have no minor unit").hasValue(50_000);
        assertThat(Money.toUsd(153_500, "KWD", LOOKUP)).as("dinars have three").hasValue(50_000);
        assertThat(Money.toUsd(50_000, "USD", LOOKUP)).hasValue(50_000);
    }

    @Test
    void dollarsConvertBack() {
        assertThat(Money.fromUsd(50_000, "EUR", LOOKUP)).hasValue(46_000);
        assertThat(Money.fromUsd(50_000, "JPY", LOOKUP)).hasValue(75_600);
        assertThat(Money.fromUsd(50_000, "KWD", LOOKUP)).hasValue(153_500);
    }

    @Test
    void aCurrencyWithoutARateDoesNotConvert() {
        assertThat(Money.toUsd(100, "GBP", LOOKUP)).isEmpty();
        assertThat(Money.fromUsd(100, "GBP", LOOKUP)).isEmpty();
    }

    @Test
    void onlyIso4217CodesWithMinorUnitsAreCurrencies() {
        assertThat(Money.isCurrency("EUR")).isTrue();
        assertThat(Money.isCurrency("XXX")).isFalse();
        assertThat(Money.isCurrency("eur")).isFalse();
        assertThat(Money.isCurrency("EURO")).isFalse();
        assertThat(Money.isCurrency(null)).isFalse();
    }
}
