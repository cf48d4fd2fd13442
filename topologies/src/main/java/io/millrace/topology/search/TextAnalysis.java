package io.millrace.topology.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Text as the index sees it, through Lucene's analyzers: {@link #terms} is the English analyzer (standard tokenizer,
 * possessives, lower case, stop words, Porter stemming) that both documents and queries go through; {@link #words} keeps
 * the surface words (lower case, no stemming) that spelling correction and completion offer back to people.
 */
public final class TextAnalysis {

    /** Words longer than this are not offered as spellings or completions (hashes, base64). */
    static final int MAX_WORD_LENGTH = 30;
    private static final String FIELD = "text";

    private final Analyzer english = new EnglishAnalyzer();
    private final Analyzer plain = new StandardAnalyzer(org.apache.lucene.analysis.CharArraySet.EMPTY_SET);

    /** The analyzer the index uses, for a Lucene index built to compare with it. */
    public Analyzer analyzer() {
        return english;
    }

    /** Analyzed terms of {@code text}, in order, repeats kept. */
    public List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        tokens(english, text, (term, start, end) -> terms.add(term));
        return terms;
    }

    /** Term frequencies of {@code text}, in the order the terms first appear. */
    public Map<String, Integer> frequencies(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        tokens(english, text, (term, start, end) -> counts.merge(term, 1, Integer::sum));
        return counts;
    }

    /** Distinct lower-case alphabetic words of {@code text}, unstemmed. */
    public Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        tokens(plain, text, (word, start, end) -> {
            if (isWord(word)) {
                words.add(word);
            }
        });
        return words;
    }

    /** The query's words as typed (lower case), each with its analyzed term, or none for a stop word. */
    public List<QueryWord> queryWords(String query) {
        List<QueryWord> words = new ArrayList<>();
        tokens(plain, query, (word, start, end) -> {
            List<String> analyzed = terms(word);
            words.add(new QueryWord(word, analyzed.isEmpty() ? null : analyzed.get(0)));
        });
        return words;
    }

    /** A token of a text: its analyzed term and where it is in the text. */
    public record Token(String term, int start, int end) {
    }

    /** The analyzed tokens of {@code text} with their character offsets, for snippets. */
    public List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        tokens(english, text, (term, start, end) -> tokens.add(new Token(term, start, end)));
        return tokens;
    }

    /** A word of a query and its term in the index (null for a stop word). */
    public record QueryWord(String word, String term) {
    }

    static boolean isWord(String word) {
        if (word.length() < 2 || word.length() > MAX_WORD_LENGTH) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (!Character.isLetter(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private interface TokenSink {
        void accept(String term, int start, int end);
    }

    private static void tokens(Analyzer analyzer, String text, TokenSink sink) {
        if (text == null || text.isEmpty()) {
            return;
        }
        try (TokenStream stream = analyzer.tokenStream(FIELD, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                sink.accept(term.toString(), offset.startOffset(), offset.endOffset());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
