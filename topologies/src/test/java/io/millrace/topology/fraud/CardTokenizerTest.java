package io.millrace.topology.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.fraud.CardSource;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CardTokenizerTest {

    private final CardTokenizer tokenizer = new CardTokenizer("a-test-key-of-at-least-thirty-two-characters".getBytes(StandardCharsets.UTF_8));

    @Test
    void givesTheSameCardTheSameTokenWhateverItsFormatting() {
        String token = tokenizer.token(CardTokenizer.normalize("4111 1111 1111 1111").orElseThrow());

        assertThat(tokenizer.token(CardTokenizer.normalize("4111-1111-1111-1111").orElseThrow())).isEqualTo(token);
        assertThat(token).hasSize(CardTokenizer.TOKEN_LENGTH).matches("[A-Za-z0-9_-]+").doesNotContain("1111");
        assertThat(CardTokenizer.isToken(token)).isTrue();
    }

    @Test
    void givesDifferentTokensToDifferentCardsAndUnderDifferentKeys() {
        CardTokenizer otherKey = new CardTokenizer("another-key-of-at-least-thirty-two-characters".getBytes(StandardCharsets.UTF_8));

        assertThat(tokenizer.token("4111111111111111")).isNotEqualTo(tokenizer.token("5555555555554444"))
                .isNotEqualTo(otherKey.token("4111111111111111"));
    }

    @Test
    void acceptsOnlyTwelveToNineteenDigitsThatPassTheLuhnCheck() {
        assertThat(CardTokenizer.normalize("4111111111111111")).contains("4111111111111111");
        assertThat(CardTokenizer.normalize("378282246310005")).as("15-digit Amex").isPresent();
        assertThat(CardTokenizer.normalize("4111111111111112")).as("Luhn fails").isEmpty();
        assertThat(CardTokenizer.normalize("41111111111")).as("too short").isEmpty();
        assertThat(CardTokenizer.normalize("4111x11111111111")).isEmpty();
        assertThat(CardTokenizer.last4("4111111111111111")).isEqualTo("1111");
    }

    @Test
    void resolvesACardNumberSentAsATokenAsMalformedRatherThanPassingItOn() {
        CardReference fromPan = CardReference.resolve("5555 5555 5555 4444", null, tokenizer);
        CardReference panAsToken = CardReference.resolve(null, "5555555555554444", tokenizer);
        CardReference token = CardReference.resolve(null, fromPan.token(), tokenizer);

        assertThat(fromPan).isEqualTo(new CardReference(CardSource.PAN, tokenizer.token("5555555555554444"), "4444"));
        assertThat(panAsToken).isEqualTo(new CardReference(CardSource.MALFORMED, null, null));
        assertThat(token.source()).isEqualTo(CardSource.TOKEN);
        assertThat(CardReference.resolve(null, " ", tokenizer).source()).isEqualTo(CardSource.MISSING);
    }

    @Test
    void digestsDeadLetterBytesDifferentlyFromTokens() {
        byte[] pan = "4111111111111111".getBytes(StandardCharsets.US_ASCII);

        assertThat(tokenizer.digest(pan)).isNotEqualTo(tokenizer.token("4111111111111111")).hasSize(CardTokenizer.TOKEN_LENGTH);
        assertThat(tokenizer.digest(pan)).isEqualTo(tokenizer.digest(pan.clone()));
    }
}
