package io.millrace.topology.messenger;

/**
 * The composite string keys of the messenger's stores. Parts are joined with '|', which ids never
 * contain, and numbers are zero-padded so that RocksDB's byte order is numeric order: a prefix scan
 * lists a user's entries, a range lists a conversation's messages by sequence.
 */
final class StoreKeys {

    private static final char SEPARATOR = '|';
    private static final String ZEROS = "0000000000000000000";

    private StoreKeys() {
    }

    public static String join(String first, String second) {
        return first + SEPARATOR + second;
    }

    /** Everything whose key starts with {@code first|}. */
    public static String prefix(String first) {
        return first + SEPARATOR;
    }

    public static String sequenced(String prefix, long sequence) {
        return prefix + SEPARATOR + padded(sequence, 19);
    }

    /** A deadline index entry: due time first, so a range up to now lists what is due, oldest first. */
    public static String deadline(long dueAt, String id) {
        return padded(dueAt, 13) + SEPARATOR + id;
    }

    /** The part after the first separator: a deadline entry's id, an inbox key's conversation. */
    public static String secondOf(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }

    /** The part before the first separator. */
    public static String firstOf(String key) {
        return key.substring(0, key.indexOf(SEPARATOR));
    }

    static String padded(long value, int width) {
        if (value < 0) {
            throw new IllegalArgumentException("negative values do not sort as strings: " + value);
        }
        String digits = Long.toString(value);
        return digits.length() >= width ? digits : ZEROS.substring(0, width - digits.length()) + digits;
    }
}
