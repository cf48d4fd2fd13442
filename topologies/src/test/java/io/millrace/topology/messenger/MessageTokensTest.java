package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a message's blind tokens are kept and matched. */
class MessageTokensTest {

    private static final String INDEXED = MessageTokens.of(List.of("Q2hhbmdlbG9nLXRva2VuAA", "bGlnaHRob3VzZS10b2tlbg", "ZGlubmVyLXRva2VuLXh5eg"));

    @Test
    void matchesWhenEveryWantedTokenIsAmongTheMessages() {
        assertThat(MessageTokens.containsAll(INDEXED, List.of("ZGlubmVyLXRva2VuLXh5eg", "Q2hhbmdlbG9nLXRva2VuAA"))).isTrue();
    }

    @Test
    void doesNotMatchWhenOneWantedTokenIsMissing() {
        assertThat(MessageTokens.containsAll(INDEXED, List.of("bGlnaHRob3VzZS10b2tlbg", "dG91ci10b2tlbi1hYmNkZQ"))).isFalse();
    }

    @Test
    void matchesWholeTokensOnly() {
        assertThat(MessageTokens.containsAll(INDEXED, List.of("bGlnaHRob3VzZS10b2"))).isFalse();
        assertThat(MessageTokens.containsAll(INDEXED, List.of("tlbg ZGlubmVy"))).isFalse();
    }
}
