package io.millrace.topology.pricealerts;

import java.util.Currency;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Prices in minor units of ISO 4217 currencies, compared in one currency: US dollars. A rate says how many units of a
 * currency one dollar buys ({@code pricealerts.fx-rates}); a price converts through it, each currency with its own minor
 * units (cents, yen, fils).
 */
public final class Money {

    /** What every price is compared in. */
    public static final String USD = "USD";
    /** Ten billion dollars' worth of cents: above any fare or stay, far below overflow. */
    public static final long MAX_MINOR = 1_000_000_000_000L;
    /** Rates outside this range are no currency's (the weakest trade at tens of thousands per dollar). */
    public static final double MIN_RATE = 0.01;
    public static final double MAX_RATE = 1_000_000;

    // Codes that have minor units: XXX, XAU and the like are not prices anyone quotes.
    private static final Map<String, Integer> DIGITS = Currency.getAvailableCurrencies().stream()
            .filter(c -> c.getDefaultFractionDigits() >= 0)
            .collect(Collectors.toUnmodifiableMap(Currency::getCurrencyCode, Currency::getDefaultFractionDigits));
    private static final double MAX_CONVERTED = 1e17;

    private Money() {
    }

    /** How many units of a currency one US dollar buys, where known. */
    @FunctionalInterface
    public interface Rates {
        OptionalDouble perUsd(String currency);
    }

    public static boolean isCurrency(String code) {
        return code != null && DIGITS.containsKey(code);
    }

    /** Digits after the decimal point: 2 for EUR, 0 for JPY, 3 for KWD. */
    public static int digits(String currency) {
        return DIGITS.get(currency);
    }

    /** {@code minor} units of {@code currency} in US cents, when the currency has a rate. */
    public static OptionalLong toUsd(long minor, String currency, Rates rates) {
        if (currency.equals(USD)) {
            return OptionalLong.of(minor);
        }
        OptionalDouble rate = rates.perUsd(currency);
        return rate.isEmpty() ? OptionalLong.empty() : bounded(minor * Math.pow(10, 2 - digits(currency)) / rate.getAsDouble());
    }

    /** {@code usdMinor} US cents in minor units of {@code currency}, when the currency has a rate. */
    public static OptionalLong fromUsd(long usdMinor, String currency, Rates rates) {
        if (currency.equals(USD)) {
            return OptionalLong.of(usdMinor);
        }
        OptionalDouble rate = rates.perUsd(currency);
        return rate.isEmpty() ? OptionalLong.empty() : bounded(usdMinor * rate.getAsDouble() * Math.pow(10, digits(currency) - 2));
    }

    /** Whether a rate is one a currency could have. */
    public static boolean isRate(double perUsd) {
        return Double.isFinite(perUsd) && perUsd >= MIN_RATE && perUsd <= MAX_RATE;
    }

    private static OptionalLong bounded(double amount) {
        return Double.isFinite(amount) && amount >= 0 && amount < MAX_CONVERTED ? OptionalLong.of(Math.round(amount)) : OptionalLong.empty();
    }
}
