package io.millrace.topology.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.fraud.CardSource;
import io.millrace.topology.runtime.Violation;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventRulesTest {

    private static final long NOW = 1_772_445_600_000L;

    private static Optional<String> check(String tx, CardSource card, long amount, String currency, String country, Double lat, Double lon, long at) {
        return EventRules.authorization(tx, card, "m-1", amount, currency, country, lat, lon, at, NOW).map(Violation::code);
    }

    @Test
    void acceptsAWellFormedRequestWithOrWithoutALocation() {
        assertThat(check("tx", CardSource.PAN, 1_999, "EUR", "FR", 48.85, 2.35, NOW)).isEmpty();
        assertThat(check("tx", CardSource.TOKEN, 1_999, "JPY", "JP", null, null, NOW - 86_400_000)).isEmpty();
    }

    @Test
    void namesWhatIsWrongWithARequest() {
        assertThat(check(" ", CardSource.PAN, 100, "USD", "US", null, null, NOW)).contains(EventRules.MISSING_TRANSACTION_ID);
        assertThat(check("tx", CardSource.MISSING, 100, "USD", "US", null, null, NOW)).contains(EventRules.MISSING_CARD);
        assertThat(check("tx", CardSource.MALFORMED, 100, "USD", "US", null, null, NOW)).contains(EventRules.MALFORMED_CARD);
        assertThat(check("tx", CardSource.PAN, 0, "USD", "US", null, null, NOW)).contains(EventRules.INVALID_AMOUNT);
        assertThat(check("tx", CardSource.PAN, -100, "USD", "US", null, null, NOW)).contains(EventRules.INVALID_AMOUNT);
        assertThat(check("tx", CardSource.PAN, 100, "usd", "US", null, null, NOW)).contains(EventRules.UNKNOWN_CURRENCY);
        assertThat(check("tx", CardSource.PAN, 100, "USD", "XX", null, null, NOW)).contains(EventRules.UNKNOWN_COUNTRY);
        assertThat(check("tx", CardSource.PAN, 100, "USD", "US", 40.0, null, NOW)).contains(EventRules.INVALID_LOCATION);
        assertThat(check("tx", CardSource.PAN, 100, "USD", "US", 91.0, 0.0, NOW)).contains(EventRules.INVALID_LOCATION);
        assertThat(check("tx", CardSource.PAN, 100, "USD", "US", null, null, NOW + 2 * 3_600_000)).contains(EventRules.INVALID_TIMESTAMP);
    }

    @Test
    void aCardUpdateNeedsACardAndASensibleLimit() {
        assertThat(EventRules.cardUpdate(CardSource.PAN, 500_000L, "US", NOW, NOW)).isEmpty();
        assertThat(EventRules.cardUpdate(CardSource.TOKEN, null, null, NOW, NOW)).isEmpty();
        assertThat(EventRules.cardUpdate(CardSource.MISSING, 500_000L, "US", NOW, NOW)).map(Violation::code)
                .contains(EventRules.MISSING_CARD);
        assertThat(EventRules.cardUpdate(CardSource.PAN, -1L, "US", NOW, NOW)).map(Violation::code)
                .contains(EventRules.INVALID_CREDIT_LIMIT);
    }
}
