package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.CardSource;

/**
 * The card of an incoming event as the rest of the pipeline may know it: a token and the last 4 digits.
 * A card number wins over a token when both are sent; a "token" that is not shaped like one is refused,
 * since it may be a card number sent in the wrong field.
 */
public record CardReference(CardSource source, String token, String last4) {

    public static CardReference resolve(String cardNumber, String cardToken, CardTokenizer tokenizer) {
        return switch (classify(cardNumber, cardToken)) {
            case PAN -> {
                String pan = CardTokenizer.normalize(cardNumber).orElseThrow();
                yield new CardReference(CardSource.PAN, tokenizer.token(pan), CardTokenizer.last4(pan));
            }
            case TOKEN -> new CardReference(CardSource.TOKEN, cardToken, null);
            case MALFORMED -> new CardReference(CardSource.MALFORMED, null, null);
            case MISSING -> new CardReference(CardSource.MISSING, null, null);
        };
    }

    /** Which card an event names, without tokenizing it: what validation needs before the edge. */
    public static CardSource classify(String cardNumber, String cardToken) {
        if (cardNumber != null && !cardNumber.isBlank()) {
            return CardTokenizer.normalize(cardNumber).isPresent() ? CardSource.PAN : CardSource.MALFORMED;
        }
        if (cardToken != null && !cardToken.isBlank()) {
            return CardTokenizer.isToken(cardToken) ? CardSource.TOKEN : CardSource.MALFORMED;
        }
        return CardSource.MISSING;
    }

    public boolean usable() {
        return token != null;
    }
}
