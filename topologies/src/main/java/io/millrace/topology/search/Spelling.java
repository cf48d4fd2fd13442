package io.millrace.topology.search;

import java.util.Map;
import java.util.Optional;

/** "Did you mean": a word rare or unknown in the index is replaced by the most frequent word of the vocabulary near it. */
public final class Spelling {

    /** A word held by at most this many documents is a candidate for correction. */
    public static final long RARE = 1;
    /** A correction must be held by this many times more documents than the word. */
    static final long MORE_FREQUENT = 3;
    public static final int MAX_DISTANCE = 2;

    private Spelling() {
    }

    public static boolean rare(long documents) {
        return documents <= RARE;
    }

    /** Whether {@code candidate} may correct {@code word}: close enough, and not the word itself. */
    public static boolean near(String word, String candidate) {
        return !word.equals(candidate) && Math.abs(word.length() - candidate.length()) <= MAX_DISTANCE
                && word.length() >= 3 && distance(word, candidate) <= MAX_DISTANCE;
    }

    /** The best correction of a word held by {@code documents} documents among {@code candidates} (word → documents). */
    public static Optional<String> best(String word, long documents, Map<String, Long> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        long bestCount = 0;
        for (Map.Entry<String, Long> candidate : candidates.entrySet()) {
            long count = candidate.getValue();
            if (count < Math.max(1, documents) * MORE_FREQUENT && documents > 0) {
                continue;
            }
            int distance = distance(word, candidate.getKey());
            if (distance < bestDistance || distance == bestDistance && (count > bestCount
                    || count == bestCount && candidate.getKey().compareTo(best) < 0)) {
                best = candidate.getKey();
                bestDistance = distance;
                bestCount = count;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Damerau–Levenshtein distance (optimal string alignment): a swap of two neighbours is one edit. */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
