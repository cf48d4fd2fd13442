package io.millrace.topology.search;

import io.millrace.topology.Settings;
import java.time.Duration;

/**
 * Settings of the search pipeline: how results are ranked, how often PageRank is recomputed, when pages are crawled again.
 *
 * @param ranking            BM25 parameters and field weights ({@code search.bm25-k1}, {@code search.bm25-b},
 *                           {@code search.title-weight}, {@code search.headings-weight})
 * @param pageRankWeight     how much PageRank lifts a result: score × (1 + w·ln(1 + N·rank)); 0 ranks by BM25 alone
 *                           ({@code search.pagerank-weight})
 * @param pageRankInterval   least time between two PageRank computations while the graph changes ({@code search.pagerank-interval-ms})
 * @param recrawlInterval    a fetched page is fetched again after this long ({@code search.recrawl-interval-ms})
 * @param answerCache        how long an instance serves a search answer again while its index is unchanged; 0: never
 *                           ({@code search.answer-cache-ms})
 */
public record SearchConfig(Bm25 ranking, double pageRankWeight, Duration pageRankInterval, Duration recrawlInterval,
                           Duration answerCache) {

    public static final SearchConfig DEFAULT = new SearchConfig(Bm25.DEFAULT, 0.3, Duration.ofSeconds(2), Duration.ofDays(1),
            Duration.ofSeconds(1));

    public static SearchConfig from(Settings settings) {
        Bm25 bm25 = new Bm25(number(settings, "search.bm25-k1", Bm25.DEFAULT.k1()), number(settings, "search.bm25-b", Bm25.DEFAULT.b()),
                number(settings, "search.title-weight", Bm25.DEFAULT.titleWeight()),
                number(settings, "search.headings-weight", Bm25.DEFAULT.headingsWeight()), Bm25.DEFAULT.bodyWeight());
        return new SearchConfig(bm25, number(settings, "search.pagerank-weight", DEFAULT.pageRankWeight()),
                Duration.ofMillis((long) number(settings, "search.pagerank-interval-ms", DEFAULT.pageRankInterval().toMillis())),
                Duration.ofMillis((long) number(settings, "search.recrawl-interval-ms", DEFAULT.recrawlInterval().toMillis())),
                Duration.ofMillis((long) number(settings, "search.answer-cache-ms", DEFAULT.answerCache().toMillis())));
    }

    /** The same ranking without PageRank, as the Lucene comparison needs. */
    public SearchConfig withoutPageRank() {
        return new SearchConfig(ranking, 0, pageRankInterval, recrawlInterval, answerCache);
    }

    private static double number(Settings settings, String name, double fallback) {
        return settings.get(name).map(value -> {
            try {
                double parsed = Double.parseDouble(value);
                if (parsed < 0 || Double.isNaN(parsed) || Double.isInfinite(parsed)) {
                    throw new IllegalArgumentException(name + " must be a number of at least 0, not " + value);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, not " + value, e);
            }
        }).orElse(fallback);
    }
}
