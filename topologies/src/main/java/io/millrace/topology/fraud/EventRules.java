package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.CardSource;
import io.millrace.schemas.fraud.MerchantRisk;
import io.millrace.schemas.fraud.Refund;
import io.millrace.schemas.fraud.Settlement;
import io.millrace.topology.runtime.Identifiers;
import io.millrace.topology.runtime.Violation;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What makes an incoming event acceptable; a violation sends it to {@code fraud.rejected} with its code.
 * The HTTP layer applies the same rules before it publishes, so a web client hears about them at once.
 */
public final class EventRules {

    public static final String MISSING_TRANSACTION_ID = "MISSING_TRANSACTION_ID";
    public static final String MISSING_CARD = "MISSING_CARD";
    public static final String MALFORMED_CARD = "MALFORMED_CARD";
    public static final String MISSING_MERCHANT = "MISSING_MERCHANT";
    public static final String INVALID_AMOUNT = "INVALID_AMOUNT";
    public static final String UNKNOWN_CURRENCY = "UNKNOWN_CURRENCY";
    public static final String UNKNOWN_COUNTRY = "UNKNOWN_COUNTRY";
    public static final String INVALID_LOCATION = "INVALID_LOCATION";
    public static final String INVALID_TIMESTAMP = "INVALID_TIMESTAMP";
    public static final String INVALID_CREDIT_LIMIT = "INVALID_CREDIT_LIMIT";

    /** Ten billion in minor units: far above any card limit, far below overflow. */
    static final long MAX_AMOUNT = 10_000_000_000L;
    // Terminals' clocks drift; an event from further in the future than this would distort windows and retention.
    static final long MAX_CLOCK_SKEW_MS = 3_600_000;

    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    public static final String INVALID_RISK_SCORE = "INVALID_RISK_SCORE";
    public static final String KEY_MISMATCH = Violation.KEY_MISMATCH;

    private EventRules() {
    }

    /** The rules for an authorization request, given how the edge found its card. */
    public static Optional<Violation> authorization(String transactionId, CardSource card, String merchantId, long amount,
                                                    String currency, String country, Double latitude, Double longitude,
                                                    long timestamp, long now) {
        if (blank(transactionId)) {
            return violation(MISSING_TRANSACTION_ID, "transactionId is required");
        }
        Optional<Violation> malformedId = Identifiers.id("transactionId", transactionId);
        if (malformedId.isPresent()) {
            return malformedId;
        }
        Optional<Violation> cardViolation = card(card);
        if (cardViolation.isPresent()) {
            return cardViolation;
        }
        if (blank(merchantId)) {
            return violation(MISSING_MERCHANT, "merchantId is required");
        }
        Optional<Violation> malformedMerchant = Identifiers.id("merchantId", merchantId);
        if (malformedMerchant.isPresent()) {
            return malformedMerchant;
        }
        Optional<Violation> badAmount = amount(amount);
        if (badAmount.isPresent()) {
            return badAmount;
        }
        if (currency == null || !CURRENCIES.contains(currency)) {
            return violation(UNKNOWN_CURRENCY, "currency must be an ISO 4217 code, was '" + currency + "'");
        }
        if (country == null || !COUNTRIES.contains(country)) {
            return violation(UNKNOWN_COUNTRY, "country must be an ISO 3166-1 alpha-2 code, was '" + country + "'");
        }
        if ((latitude == null) != (longitude == null)
                || latitude != null && (!(Math.abs(latitude) <= 90) || !(Math.abs(longitude) <= 180))) {
            return violation(INVALID_LOCATION, "latitude and longitude come together, within ±90 and ±180 degrees");
        }
        return time(timestamp, now);
    }

    public static Optional<Violation> cardUpdate(CardSource card, Long creditLimit, String homeCountry, long timestamp, long now) {
        Optional<Violation> cardViolation = card(card);
        if (cardViolation.isPresent()) {
            return cardViolation;
        }
        if (creditLimit != null && (creditLimit < 0 || creditLimit > MAX_AMOUNT)) {
            return violation(INVALID_CREDIT_LIMIT, "creditLimit must be between 0 and " + MAX_AMOUNT + ", was " + creditLimit);
        }
        if (homeCountry != null && !COUNTRIES.contains(homeCountry)) {
            return violation(UNKNOWN_COUNTRY, "homeCountry must be an ISO 3166-1 alpha-2 code, was '" + homeCountry + "'");
        }
        return time(timestamp, now);
    }

    /** A settlement names an approved transaction and an amount. */
    public static Optional<Violation> settlement(Settlement settlement) {
        return Identifiers.id("transactionId", settlement.getTransactionId())
                .or(() -> amount(settlement.getAmount()));
    }

    /** A refund has its own id, names an approved transaction, and an amount. */
    public static Optional<Violation> refund(Refund refund) {
        return Identifiers.id("refundId", refund.getRefundId())
                .or(() -> Identifiers.id("transactionId", refund.getTransactionId()))
                .or(() -> amount(refund.getAmount()));
    }

    /** A merchant's risk, keyed by its merchant id, between 0 and 1. */
    public static Optional<Violation> merchantRisk(String key, MerchantRisk risk) {
        Optional<Violation> id = Identifiers.id("merchantId", risk.getMerchantId());
        if (id.isPresent()) {
            return id;
        }
        if (!risk.getMerchantId().equals(key)) {
            return violation(KEY_MISMATCH, "a merchant's risk must be keyed by its merchantId");
        }
        if (!(risk.getRiskScore() >= 0 && risk.getRiskScore() <= 1)) {
            return violation(INVALID_RISK_SCORE, "riskScore must be between 0 and 1, was " + risk.getRiskScore());
        }
        return Optional.empty();
    }

    private static Optional<Violation> amount(long amount) {
        if (amount <= 0 || amount > MAX_AMOUNT) {
            return violation(INVALID_AMOUNT, "amount must be a positive number of minor units up to " + MAX_AMOUNT + ", was " + amount);
        }
        return Optional.empty();
    }

    private static Optional<Violation> card(CardSource card) {
        return switch (card) {
            case MISSING -> violation(MISSING_CARD, "a cardNumber or a cardToken is required");
            case MALFORMED -> violation(MALFORMED_CARD, "the card number is not 12-19 digits passing the Luhn check, or the token is not "
                    + CardTokenizer.TOKEN_LENGTH + " base64url characters");
            case PAN, TOKEN -> Optional.empty();
        };
    }

    private static Optional<Violation> time(long timestamp, long now) {
        if (timestamp <= 0 || timestamp > now + MAX_CLOCK_SKEW_MS) {
            return violation(INVALID_TIMESTAMP, "timestamp must be epoch millis no later than an hour from now");
        }
        return Optional.empty();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static Optional<Violation> violation(String code, String reason) {
        return Optional.of(new Violation(code, reason));
    }
}
