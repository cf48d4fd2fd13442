package io.millrace.topology.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.Decision;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DecisionNotifierTest {

    private final DecisionNotifier notifier = new DecisionNotifier();

    @Test
    void answersWhoeverWaitsWithTheCommittedDecision() {
        CompletableFuture<AuthorizationDecision> first = notifier.await("tx-1");
        CompletableFuture<AuthorizationDecision> second = notifier.await("tx-1");

        notifier.committed("tx-1", decision("tx-1", "card-a", Decision.APPROVE));

        assertThat(first).isCompletedWithValue(decision("tx-1", "card-a", Decision.APPROVE));
        assertThat(second).isCompletedWithValue(decision("tx-1", "card-a", Decision.APPROVE));
        assertThat(notifier.waiting()).isZero();
    }

    @Test
    void answersALaterRequestForAnIdReusedWithAnotherCardWithTheFirstDecision() {
        notifier.committed("tx-1", decision("tx-1", "card-a", Decision.APPROVE));
        CompletableFuture<AuthorizationDecision> reused = notifier.await("tx-1");

        notifier.committed("tx-1", decision("tx-1", "card-b", Decision.DECLINE));

        assertThat(reused).isCompletedWithValue(decision("tx-1", "card-a", Decision.APPROVE));
        assertThat(notifier.recent("tx-1")).contains(decision("tx-1", "card-a", Decision.APPROVE));
    }

    @Test
    void remembersOnlyTheMostRecentTransactions() {
        for (int i = 0; i <= DecisionNotifier.REMEMBERED; i++) {
            notifier.committed("tx-" + i, decision("tx-" + i, "card-a", Decision.APPROVE));
        }

        assertThat(notifier.recent("tx-0")).isEmpty();
        assertThat(notifier.recent("tx-" + DecisionNotifier.REMEMBERED)).isPresent();
    }

    @Test
    void forgetsAWaiterThatGaveUp() {
        CompletableFuture<AuthorizationDecision> waiting = notifier.await("tx-1");

        waiting.complete(null);

        assertThat(notifier.waiting()).isZero();
    }

    private static AuthorizationDecision decision(String transactionId, String cardToken, Decision outcome) {
        return AuthorizationDecision.newBuilder().setTransactionId(transactionId).setCardToken(cardToken).setDecision(outcome)
                .setReasons(List.of()).setScore(0.1).setAmount(1_000L).setCurrency("USD").setMerchantId("m-1")
                .setAvailableCreditAfter(0L).setDecidedAt(1L).setTimestamp(1L).build();
    }
}
