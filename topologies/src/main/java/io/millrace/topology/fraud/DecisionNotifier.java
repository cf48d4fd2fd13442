package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.AuthorizationDecision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells waiting HTTP requests, in this JVM, that their transaction's decision has been committed, so that a client
 * waiting for its own decision gets it without polling. It is told only by the {@link DecisionListener}, a
 * read_committed consumer of the decisions: a decision answered here can no longer be rolled back. It also remembers
 * the first committed decision of recent transactions, so that a later, different decision for the same id (a client
 * reusing an id with another card) is never answered.
 */
public final class DecisionNotifier {

    /** How many recent transactions' first decisions are remembered (at 6,944/s, about 7 s of them). */
    static final int REMEMBERED = 50_000;

    private final Map<String, List<CompletableFuture<AuthorizationDecision>>> waiting = new ConcurrentHashMap<>();
    private final Map<String, AuthorizationDecision> recent = new LinkedHashMap<>(REMEMBERED * 4 / 3 + 1) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AuthorizationDecision> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * A future completed with the decision once it is committed. Register before publishing the request, then read
     * {@link #recent} and the store once: a decision committed in between is found by one or the other.
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

    /** The first committed decision of a transaction this instance has seen lately. */
    public Optional<AuthorizationDecision> recent(String transactionId) {
        synchronized (recent) {
            return Optional.ofNullable(recent.get(transactionId));
        }
    }

    /** A decision read from the committed decisions topic: whoever waits for its transaction gets the first one. */
    void committed(String transactionId, AuthorizationDecision decision) {
        AuthorizationDecision first;
        synchronized (recent) {
            first = recent.putIfAbsent(transactionId, decision);
        }
        if (waiting.isEmpty()) {
            return;
        }
        List<CompletableFuture<AuthorizationDecision>> futures = waiting.remove(transactionId);
        if (futures != null) {
            AuthorizationDecision answer = first == null ? decision : first;
            futures.forEach(f -> f.complete(answer));
        }
    }

    int waiting() {
        return waiting.size();
    }
}
