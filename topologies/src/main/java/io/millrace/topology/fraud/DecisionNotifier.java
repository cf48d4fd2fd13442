package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.AuthorizationDecision;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells waiting HTTP requests, in this JVM, that their transaction's decision has just been stored, so that a
 * client waiting for its own decision gets it without polling.
 */
public final class DecisionNotifier {

    private final Map<String, List<CompletableFuture<AuthorizationDecision>>> waiting = new ConcurrentHashMap<>();

    /**
     * A future completed with the decision once it is stored. Register before publishing the request, then read
     * the store once: a decision stored in between is found by one or the other.
     */
    public CompletableFuture<AuthorizationDecision> await(String transactionId) {
        CompletableFuture<AuthorizationDecision> future = new CompletableFuture<>();
        waiting.compute(transactionId, (id, futures) -> {
            List<CompletableFuture<AuthorizationDecision>> list = futures == null ? new CopyOnWriteArrayList<>() : futures;
            list.add(future);
            return list;
        });
        future.whenComplete((decision, error) -> waiting.computeIfPresent(transactionId, (id, futures) -> {
            futures.remove(future);
            return futures.isEmpty() ? null : futures;
        }));
        return future;
    }

    void decided(String transactionId, AuthorizationDecision decision) {
        if (waiting.isEmpty()) {
            return;
        }
        List<CompletableFuture<AuthorizationDecision>> futures = waiting.remove(transactionId);
        if (futures != null) {
            futures.forEach(f -> f.complete(decision));
        }
    }

    int waiting() {
        return waiting.size();
    }
}
