package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplayedLettersTest {

    @Test
    void lettersReplayedOneByOneAreRememberedAboveThePositionAsRanges() {
        ReplayedLetters replayed = ReplayedLetters.of(10, Optional.empty());

        replayed.mark(12);
        replayed.mark(14);
        replayed.mark(15);
        replayed.mark(16);

        assertThat(replayed.position()).isEqualTo(10);
        assertThat(replayed.metadata()).isEqualTo("12,14-16");
        assertThat(replayed.contains(9)).as("below the position").isTrue();
        assertThat(replayed.contains(12)).isTrue();
        assertThat(replayed.contains(13)).isFalse();
    }

    @Test
    void thePositionMovesOverLettersThatBecomeContiguousWithIt() {
        ReplayedLetters replayed = ReplayedLetters.of(10, Optional.of("11-12,14"));

        replayed.mark(10);

        assertThat(replayed.position()).isEqualTo(13);
        assertThat(replayed.metadata()).isEqualTo("14");
    }

    @Test
    void replayingEverythingPassesOverWhatWasReplayedBefore() {
        ReplayedLetters replayed = ReplayedLetters.of(0, Optional.of("3,5-6"));

        replayed.passTo(4);

        assertThat(replayed.position()).isEqualTo(4);
        assertThat(replayed.metadata()).isEqualTo("5-6");
        replayed.passTo(5);
        assertThat(replayed.position()).as("5 and 6 were replayed already").isEqualTo(7);
        assertThat(replayed.metadata()).isEmpty();
    }

    @Test
    void aMarkBelowThePositionChangesNothing() {
        ReplayedLetters replayed = ReplayedLetters.of(20, Optional.empty());

        replayed.mark(3);

        assertThat(replayed.position()).isEqualTo(20);
        assertThat(replayed.metadata()).isEmpty();
    }

    @Test
    void tooManyScatteredLettersToKeepInTheCommitAreRefused() {
        ReplayedLetters replayed = ReplayedLetters.of(0, Optional.empty());
        for (long offset = 1; offset < 4_000; offset += 2) {
            replayed.mark(offset);
        }

        assertThatThrownBy(replayed::metadata).hasMessageContaining("replay every pending letter");
    }
}
