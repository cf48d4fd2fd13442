package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.CardSource;
import java.util.Optional;

/**
 * The card of an incoming event as the rest of the pipeline may know it: a token and the last 4 digits.
 * A card number wins over a token when both are sent; a "token" that is not shaped like one is refused,
 * since it may be a card number sent in the wrong field.
 */
public record CardReference(CardSource source, String token, String last4) {

    public static CardReference resolve(String cardNumber, String cardToken, CardTokenizer tokenizer) {
        if (cardNumber != null && !cardNumber.isBlank()) {
            Optional<String> pan = CardTokenizer.normalize(cardNumber);
            return pan.map(p -> new CardReference(CardSource.PAN, tokenizer.token(p), CardTokenizer.last4(p)))
                    .orElseGet(() -> new CardReference(CardSource.MALFORMED, null, null));
        }
        if (cardToken != null && !cardToken.isBlank()) {
            return CardTokenizer.isToken(cardToken)
                    ? new CardReference(CardSource.TOKEN, cardToken, null)
                    : new CardReference(CardSource.MALFORMED, null, null);
        }
        return new CardReference(CardSource.MISSING, null, null);
    }

    public boolean usable() {
        return token != null;
    }
}
