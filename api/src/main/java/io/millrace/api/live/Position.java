package io.millrace.api.live;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where a subscriber is in a stream: for each partition it reads, the offset of the next record it has not seen. It is
 * the id of every event (SSE {@code id:}, WebSocket {@code "id"}), written {@code 3:1042} or, for a stream over several
 * partitions, {@code 0:17.1:9.2:311}; a client that reconnects with it ({@code Last-Event-ID} or {@code ?since=}) gets
 * exactly what it has not seen.
 */
public record Position(Map<Integer, Long> next) {

    public Position {
        next = Map.copyOf(next);
    }

    /** Longer ids are not positions of any stream here (a topic has at most a few hundred partitions). */
    static final int MAX_TEXT = 4096;

    public static Position of(Map<Integer, Long> next) {
        return new Position(next);
    }

    /** The position after a record at {@code offset} in {@code partition}. */
    public Position after(int partition, long offset) {
        Map<Integer, Long> moved = new TreeMap<>(next);
        moved.put(partition, offset + 1);
        return new Position(moved);
    }

    public long next(int partition) {
        return next.getOrDefault(partition, 0L);
    }

    /** Empty for text that is not a position: the caller answers 400. */
    public static Optional<Position> parse(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            return Optional.empty();
        }
        Map<Integer, Long> next = new TreeMap<>();
        for (String part : text.trim().split("\\.")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            try {
                int partition = Integer.parseInt(part.substring(0, colon));
                long offset = Long.parseLong(part.substring(colon + 1));
                if (partition < 0 || offset < 0 || next.put(partition, offset) != null) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new Position(next));
    }

    @Override
    public String toString() {
        return new TreeMap<>(next).entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining("."));
    }
}
