package io.millrace.topology.pricealerts;

/**
 * The composite keys of the stores. Parts are joined with '|', which no offer key, search key, currency or id holds,
 * and numbers are zero-padded so that RocksDB's byte order is numeric order: a search's offers are a range from the
 * cheapest, a target's watches in one currency a range of thresholds, due expiries a range up to now.
 */
final class BoardKeys {

    static final char SEPARATOR = '|';
    /** Sorts after every character of every key part. */
    static final String AFTER_ALL = "\uffff";
    private static final String ZEROS = "0000000000000000000";

    private BoardKeys() {
    }

    /** {@code search|usd cents|offer}: a search's offers, cheapest first. */
    static String searchEntry(String searchKey, long usdMinor, String offerKey) {
        return searchKey + SEPARATOR + padded(usdMinor, 19) + SEPARATOR + offerKey;
    }

    /** {@code target|currency|threshold|user|watch}: a target's watches in one currency, by threshold. */
    static String watchEntry(String target, String currency, long threshold, String user, String watchId) {
        return thresholds(target, currency) + padded(threshold, 19) + SEPARATOR + user + SEPARATOR + watchId;
    }

    /** The start of a target's watches in one currency. */
    static String thresholds(String target, String currency) {
        return target + SEPARATOR + currency + SEPARATOR;
    }

    /** {@code target|~|user|watch}: an ANY_DROP watch waiting for its target's first price. */
    static String pendingEntry(String target, String user, String watchId) {
        return pending(target) + user + SEPARATOR + watchId;
    }

    static String pending(String target) {
        return target + SEPARATOR + "~" + SEPARATOR;
    }

    /** {@code due|offer}: when an offer's next quote lapses, due time first. */
    static String deadline(long dueAt, String offerKey) {
        return padded(dueAt, 13) + SEPARATOR + offerKey;
    }

    static long dueOf(String deadline) {
        return Long.parseLong(deadline.substring(0, deadline.indexOf(SEPARATOR)));
    }

    static String offerOf(String deadline) {
        return deadline.substring(deadline.indexOf(SEPARATOR) + 1);
    }

    static String join(String first, String second) {
        return first + SEPARATOR + second;
    }

    /** Everything whose key starts with {@code first|}. */
    static String prefix(String first) {
        return first + SEPARATOR;
    }

    /** The last part of a key. */
    static String lastOf(String key) {
        return key.substring(key.lastIndexOf(SEPARATOR) + 1);
    }

    static String padded(long value, int width) {
        if (value < 0) {
            throw new IllegalArgumentException("negative values do not sort as strings: " + value);
        }
        String digits = Long.toString(value);
        return digits.length() >= width ? digits : ZEROS.substring(0, width - digits.length()) + digits;
    }
}
