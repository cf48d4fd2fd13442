package io.millrace.connectors.crawler;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where a restarted crawler must read the frontier from, per partition: the first request read and not answered yet
 * (requests are answered out of order, host by host), or past the last one read when all are answered.
 */
final class FrontierPositions {

    private final Map<Integer, TreeSet<Long>> unanswered = new HashMap<>();
    private final Map<Integer, Long> nextToRead = new HashMap<>();

    /** A record was read at {@code offset}; {@code awaitsAnswer} when it is a request the crawler will answer. */
    void read(int partition, long offset, boolean awaitsAnswer) {
        nextToRead.merge(partition, offset + 1, Math::max);
        if (awaitsAnswer) {
            unanswered.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
        }
    }

    /** The request at {@code offset} is answered; returns where to resume in its partition from now on. */
    long answered(int partition, long offset) {
        TreeSet<Long> waiting = unanswered.computeIfAbsent(partition, p -> new TreeSet<>());
        waiting.remove(offset);
        return waiting.isEmpty() ? nextToRead.getOrDefault(partition, offset + 1) : waiting.first();
    }
}
