package io.millrace.bench.simulate.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScorecardTest {

    @Test
    void countsAReviewOrDeclineWithAFraudReasonAsFlaggedAndACreditDeclineAsNot() {
        Scorecard scorecard = new Scorecard();
        scorecard.add(true, "CARD_TESTING", "REVIEW", List.of("VELOCITY_1M"));
        scorecard.add(true, "CARD_TESTING", "APPROVE", List.of());
        scorecard.add(true, "LARGE_AMOUNT", "DECLINE", List.of("INSUFFICIENT_CREDIT", "AMOUNT_ANOMALY"));
        scorecard.add(true, "LARGE_AMOUNT", "DECLINE", List.of("INSUFFICIENT_CREDIT"));
        scorecard.add(false, null, "DECLINE", List.of("NEW_COUNTRY", "IMPOSSIBLE_TRAVEL"));
        scorecard.add(false, null, "DECLINE", List.of("CARD_UNKNOWN"));
        scorecard.add(false, null, "APPROVE", List.of());

        assertThat(scorecard.labelled()).isEqualTo(7);
        assertThat(scorecard.precision()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(scorecard.recall()).isCloseTo(2.0 / 4, within(1e-9));
        assertThat(scorecard.summary()).contains("CARD_TESTING       recall 0.500 (1 of 2)");
    }
}
