package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How text becomes search terms. */
class SearchTermsTest {

    @Test
    void lowerCasesSplitsOnPunctuationAndDropsSingleLetters() {
        assertThat(SearchTerms.of("Dinner at the Lighthouse? 7pm, a TABLE for 2!"))
                .containsExactly("dinner", "at", "the", "lighthouse", "7pm", "table", "for");
    }

    @Test
    void keepsLettersOfAnyScriptAndEachTermOnce() {
        assertThat(SearchTerms.of("Café café ÇA Ölçü ölçü")).containsExactly("café", "ça", "ölçü");
    }

    @Test
    void capsTheTermsOfOneText() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            text.append("word").append(i).append(' ');
        }
        assertThat(SearchTerms.of(text.toString())).hasSize(SearchTerms.MAX_TERMS);
    }
}
