package io.millrace.topology.messenger;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits text into the terms search matches on: lower-cased runs of letters and digits, 2 to 40 long, at most 64 per
 * text. A message's sender and a direct conversation's other user are indexed as terms of their own, {@code from:<id>}
 * and {@code with:<id>}, which no word of a text can be (a term has no ':').
 */
public final class SearchTerms {

    public static final int MAX_TERMS = 64;
    private static final int MIN_LENGTH = 2;
    private static final int MAX_LENGTH = 40;
    private static final Pattern NOT_A_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private SearchTerms() {
    }

    /** The term that finds the messages {@code user} sent. */
    public static String sender(String user) {
        return "from:" + user;
    }

    /** The term that finds the messages of the direct conversation with {@code user}. */
    public static String partner(String user) {
        return "with:" + user;
    }

    public static Set<String> of(String text) {
        Set<String> terms = new LinkedHashSet<>();
        for (String word : NOT_A_WORD.split(text)) {
            int length = word.codePointCount(0, word.length());
            if (length >= MIN_LENGTH && length <= MAX_LENGTH) {
                terms.add(word.toLowerCase(Locale.ROOT));
                if (terms.size() == MAX_TERMS) {
                    break;
                }
            }
        }
        return terms;
    }
}
