package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.AuthorizationRequest;
import io.millrace.schemas.fraud.CardUpdate;
import io.millrace.schemas.fraud.TokenizedAuthorization;
import io.millrace.schemas.fraud.TokenizedCardUpdate;

/** How each raw event becomes its tokenized form at the edge, and what it is keyed by from then on. */
public final class Tokenization {

    private Tokenization() {
    }

    /** A tokenized event and its key: the card token, or for an event without a usable card something to reject it by. */
    public record Tokenized<T>(String key, T value) {
    }

    public static Tokenized<TokenizedAuthorization> authorization(AuthorizationRequest request, CardTokenizer tokenizer) {
        CardReference card = CardReference.resolve(request.getCardNumber(), request.getCardToken(), tokenizer);
        TokenizedAuthorization tokenized = TokenizedAuthorization.newBuilder()
                .setTransactionId(request.getTransactionId())
                .setCardToken(card.token())
                .setLast4(card.last4())
                .setCardSource(card.source())
                .setMerchantId(request.getMerchantId())
                .setMerchantCategory(request.getMerchantCategory())
                .setAmount(request.getAmount())
                .setCurrency(request.getCurrency())
                .setCountry(request.getCountry())
                .setLatitude(request.getLatitude())
                .setLongitude(request.getLongitude())
                .setTimestamp(request.getTimestamp())
                .build();
        return new Tokenized<>(card.usable() ? card.token() : request.getTransactionId(), tokenized);
    }

    public static Tokenized<TokenizedCardUpdate> cardUpdate(CardUpdate update, CardTokenizer tokenizer) {
        CardReference card = CardReference.resolve(update.getCardNumber(), update.getCardToken(), tokenizer);
        TokenizedCardUpdate tokenized = TokenizedCardUpdate.newBuilder()
                .setCardToken(card.token())
                .setLast4(card.last4())
                .setCardSource(card.source())
                .setCreditLimit(update.getCreditLimit())
                .setStatus(update.getStatus())
                .setHomeCountry(update.getHomeCountry())
                .setTimestamp(update.getTimestamp())
                .build();
        return new Tokenized<>(card.token(), tokenized);
    }
}
