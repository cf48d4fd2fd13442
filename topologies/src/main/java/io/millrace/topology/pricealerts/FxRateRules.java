package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.FxRate;
import io.millrace.topology.runtime.Violation;
import java.util.Optional;

/** What makes an exchange rate acceptable; a rate that breaks them is rejected and the currency keeps its previous rate. */
public final class FxRateRules {

    public static final String INVALID_RATE = "INVALID_RATE";

    private FxRateRules() {
    }

    public static Optional<Violation> check(String key, FxRate rate) {
        if (!Money.isCurrency(rate.getCurrency())) {
            return Violation.of(QuoteRules.UNKNOWN_CURRENCY, "currency must be an ISO 4217 code, was '" + QuoteRules.shown(rate.getCurrency()) + "'");
        }
        if (!rate.getCurrency().equals(key)) {
            return Violation.of(QuoteRules.KEY_MISMATCH, "a rate is keyed by its currency, " + rate.getCurrency());
        }
        if (rate.getCurrency().equals(Money.USD)) {
            return Violation.of(INVALID_RATE, "USD is what prices are compared in: its rate is 1 by definition");
        }
        if (!Money.isRate(rate.getPerUsd())) {
            return Violation.of(INVALID_RATE, "perUsd must be from " + Money.MIN_RATE + " to " + Money.MAX_RATE + ", was " + rate.getPerUsd());
        }
        return Optional.empty();
    }
}
