package io.millrace.topology.search;

import java.util.List;
import java.util.Set;

/**
 * A result's snippet: the window of its text where the query's terms are densest, its matches in {@code <b>}, the rest
 * HTML-escaped, so a page can show it as it is.
 */
public final class Snippets {

    static final int WINDOW_TOKENS = 30;
    static final int MAX_CHARS = 320;
    static final int ANALYZED_CHARS = 1_500;

    private Snippets() {
    }

    public static String of(TextAnalysis analysis, String text, Set<String> queryTerms) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        // Analysis is the cost of a snippet: only the start of a long text is searched for the best window.
        List<TextAnalysis.Token> tokens = analysis.tokens(text.length() <= ANALYZED_CHARS ? text : text.substring(0, ANALYZED_CHARS));
        int bestStart = 0;
        int bestScore = -1;
        for (int start = 0; start < tokens.size(); start++) {
            if (!queryTerms.contains(tokens.get(start).term())) {
                continue;
            }
            int score = 0;
            for (int i = start; i < Math.min(tokens.size(), start + WINDOW_TOKENS); i++) {
                if (queryTerms.contains(tokens.get(i).term())) {
                    score++;
                }
            }
            if (score > bestScore) {
                bestScore = score;
                bestStart = start;
            }
        }
        int from = tokens.isEmpty() ? 0 : Math.max(0, tokens.get(Math.max(0, bestStart - 3)).start());
        if (bestScore < 0) {
            from = 0;
        }
        int to = Math.min(text.length(), from + MAX_CHARS);
        StringBuilder snippet = new StringBuilder();
        if (from > 0) {
            snippet.append("… ");
        }
        int at = from;
        for (TextAnalysis.Token token : tokens) {
            if (token.start() < from || token.end() > to) {
                continue;
            }
            if (queryTerms.contains(token.term())) {
                snippet.append(escape(text.substring(at, token.start()))).append("<b>")
                        .append(escape(text.substring(token.start(), token.end()))).append("</b>");
                at = token.end();
            }
        }
        snippet.append(escape(text.substring(at, to)));
        if (to < text.length()) {
            snippet.append(" …");
        }
        return snippet.toString();
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
