package io.millrace.app;

import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which letters of one dead-letter partition were replayed, as kept in the replay consumer group's committed offset: every
 * offset below the position, and the offsets above it listed in the commit's metadata ({@code 17,19-23}). A replay of
 * everything moves the position; a replay of chosen letters adds them to the list, and the position moves over the ones
 * that become contiguous with it. Kafka keeps at most 4,096 bytes of metadata by default ({@code offset.metadata.max.bytes}).
 */
final class ReplayedLetters {

    static final int MAX_METADATA_CHARS = 4_000;

    private long position;
    private final NavigableSet<Long> above = new TreeSet<>();

    private ReplayedLetters(long position) {
        this.position = position;
    }

    /** As committed: {@code position} (none committed yet: the partition's first offset) and the commit's metadata. */
    static ReplayedLetters of(long position, Optional<String> metadata) {
        ReplayedLetters replayed = new ReplayedLetters(position);
        metadata.filter(m -> !m.isBlank()).ifPresent(m -> {
            for (String part : m.split(",")) {
                String[] range = part.split("-", 2);
                long from = Long.parseLong(range[0].trim());
                long to = range.length == 2 ? Long.parseLong(range[1].trim()) : from;
                for (long offset = from; offset <= to; offset++) {
                    replayed.mark(offset);
                }
            }
        });
        return replayed;
    }

    boolean contains(long offset) {
        return offset < position || above.contains(offset);
    }

    /** Marks a letter replayed. */
    void mark(long offset) {
        if (offset >= position) {
            above.add(offset);
        }
        while (above.remove(position)) {
            position++;
        }
    }

    /** Moves the position to {@code offset}: every letter before it has been replayed or passed over. */
    void passTo(long offset) {
        if (offset > position) {
            position = offset;
            above.headSet(position, false).clear();
        }
        while (above.remove(position)) {
            position++;
        }
    }

    long position() {
        return position;
    }

    /** The offsets above the position, as ranges; longer than {@link #MAX_METADATA_CHARS} is refused. */
    String metadata() {
        StringBuilder text = new StringBuilder();
        Long start = null;
        Long previous = null;
        for (long offset : above) {
            if (previous != null && offset == previous + 1) {
                previous = offset;
                continue;
            }
            append(text, start, previous);
            start = offset;
            previous = offset;
        }
        append(text, start, previous);
        if (text.length() > MAX_METADATA_CHARS) {
            throw new IllegalStateException("Too many scattered letters replayed one by one to remember; replay every pending letter "
                    + "instead, which keeps only a position");
        }
        return text.toString();
    }

    private static void append(StringBuilder text, Long start, Long end) {
        if (start == null) {
            return;
        }
        if (!text.isEmpty()) {
            text.append(',');
        }
        text.append(start);
        if (end > start) {
            text.append('-').append(end);
        }
    }
}
