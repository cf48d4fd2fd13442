package io.millrace.topology.search;

import io.millrace.schemas.search.ClickProfile;
import io.millrace.schemas.search.CrawlState;
import io.millrace.schemas.search.FieldCounts;
import io.millrace.schemas.search.FrontierEntry;
import io.millrace.schemas.search.IndexedDocument;
import io.millrace.schemas.search.PageRank;
import io.millrace.schemas.search.Posting;
import io.millrace.topology.runtime.StoreReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The read side of the index, over one instance's stores. The index is partitioned by document, so a search is two
 * rounds over every instance: {@link #stats} (collection and term figures, vocabulary counts, spelling candidates),
 * summed into one {@link Ranking}; then {@link #top} ranks each instance's documents with those global figures, so
 * that its scores are the ones a single index would give and the merged top k is exact.
 */
public final class SearchQueries {

    /** How much a user's clicks lift a result: × (1 + ln(1 + clicks on it) + 0.25·ln(1 + clicks on its host)). */
    static final double URL_CLICKS_WEIGHT = 1.0;
    static final double HOST_CLICKS_WEIGHT = 0.25;
    static final StringSerializer KEYS = new StringSerializer();

    private final StoreReader stores;
    private final TextAnalysis analysis;
    private final SearchConfig config;

    public SearchQueries(StoreReader stores, TextAnalysis analysis, SearchConfig config) {
        this.stores = stores;
        this.analysis = analysis;
        this.config = config;
    }

    /** Documents and summed field lengths; a field's docs are the documents that have it. */
    public record CollectionStats(long documents, long titleDocs, long headingsDocs, long bodyDocs, long titleLength,
                                  long headingsLength, long bodyLength) {
        public static final CollectionStats EMPTY = new CollectionStats(0, 0, 0, 0, 0, 0, 0);

        CollectionStats plus(CollectionStats o) {
            return new CollectionStats(documents + o.documents, titleDocs + o.titleDocs, headingsDocs + o.headingsDocs,
                    bodyDocs + o.bodyDocs, titleLength + o.titleLength, headingsLength + o.headingsLength, bodyLength + o.bodyLength);
        }
    }

    /** The documents holding a term, per field and in any field. */
    public record TermStats(long title, long headings, long body, long documents) {
        static final TermStats NONE = new TermStats(0, 0, 0, 0);

        TermStats plus(TermStats o) {
            return new TermStats(title + o.title, headings + o.headings, body + o.body, documents + o.documents);
        }
    }

    /** One instance's figures for a query: what {@link #merge} adds up into the global ones. */
    public record ShardStats(CollectionStats collection, Map<String, TermStats> terms, Map<String, Long> words,
                             Map<String, Map<String, Long>> corrections) {
    }

    /** The global figures every instance ranks with, and the user whose clicks personalize (null: nobody's). */
    public record Ranking(CollectionStats collection, Map<String, TermStats> terms, String user) {
    }

    /** A ranked document. */
    public record Hit(String url, String title, String snippet, double score) {
    }

    /** One instance's best documents for a query and how many of its documents matched. */
    public record ShardTop(long total, List<Hit> hits) {
    }

    /** A completion from the vocabulary and the documents holding it. */
    public record Completion(String word, long documents) {
    }

    /** The frontier in figures: URLs waiting, fetched, gone, failed (by reason). */
    public record CrawlerCounts(long queued, long fetched, long gone, long failed, Map<String, Long> failures) {
        public static CrawlerCounts sum(List<CrawlerCounts> parts) {
            Map<String, Long> failures = new TreeMap<>();
            long queued = 0, fetched = 0, gone = 0, failed = 0;
            for (CrawlerCounts part : parts) {
                queued += part.queued;
                fetched += part.fetched;
                gone += part.gone;
                failed += part.failed;
                part.failures.forEach((reason, n) -> failures.merge(reason, n, Long::sum));
            }
            return new CrawlerCounts(queued, fetched, gone, failed, failures);
        }
    }

    /** The query's distinct index terms (stop words dropped). */
    public List<String> terms(String query) {
        return analysis.queryWords(query).stream().map(TextAnalysis.QueryWord::term).filter(term -> term != null).distinct().toList();
    }

    /** This instance's figures for {@code query}. */
    public ShardStats stats(String query) {
        CollectionStats collection = CollectionStats.EMPTY;
        try (KeyValueIterator<String, FieldCounts> all = stores.<String, FieldCounts>keyValue(SearchStores.COLLECTION).all()) {
            while (all.hasNext()) {
                FieldCounts c = all.next().value;
                collection = collection.plus(new CollectionStats(c.getDocuments(), c.getTitle(), c.getHeadings(), c.getBody(),
                        c.getTitleTotal(), c.getHeadingsTotal(), c.getBodyTotal()));
            }
        }
        ReadOnlyKeyValueStore<String, FieldCounts> termStore = stores.keyValue(SearchStores.TERMS);
        Map<String, TermStats> terms = new TreeMap<>();
        for (String term : terms(query)) {
            TermStats stats = TermStats.NONE;
            // Every partition has its own entry for the term: a range over one key reads them all, a get only one.
            try (KeyValueIterator<String, FieldCounts> entries = termStore.range(term, term)) {
                while (entries.hasNext()) {
                    FieldCounts c = entries.next().value;
                    stats = stats.plus(new TermStats(c.getTitle(), c.getHeadings(), c.getBody(), c.getDocuments()));
                }
            }
            terms.put(term, stats);
        }
        ReadOnlyKeyValueStore<String, Long> vocabulary = stores.keyValue(SearchStores.VOCABULARY);
        Map<String, Long> words = new TreeMap<>();
        for (String word : spellable(query)) {
            words.put(word, documentsWith(vocabulary, word));
        }
        // A word rare everywhere is rare here: candidates from each instance where it is rare make the global candidates.
        List<String> rare = words.entrySet().stream().filter(e -> Spelling.rare(e.getValue())).map(Map.Entry::getKey).toList();
        Map<String, Map<String, Long>> corrections = new TreeMap<>();
        if (!rare.isEmpty()) {
            try (KeyValueIterator<String, Long> all = vocabulary.all()) {
                while (all.hasNext()) {
                    KeyValue<String, Long> entry = all.next();
                    for (String word : rare) {
                        if (Spelling.near(word, entry.key)) {
                            corrections.computeIfAbsent(word, w -> new TreeMap<>()).merge(entry.key, entry.value, Long::sum);
                        }
                    }
                }
            }
        }
        return new ShardStats(collection, terms, words, corrections);
    }

    /** Adds up the instances' figures. */
    public static ShardStats merge(List<ShardStats> parts) {
        CollectionStats collection = CollectionStats.EMPTY;
        Map<String, TermStats> terms = new TreeMap<>();
        Map<String, Long> words = new TreeMap<>();
        Map<String, Map<String, Long>> corrections = new TreeMap<>();
        for (ShardStats part : parts) {
            collection = collection.plus(part.collection());
            part.terms().forEach((term, stats) -> terms.merge(term, stats, TermStats::plus));
            part.words().forEach((word, n) -> words.merge(word, n, Long::sum));
            part.corrections().forEach((word, candidates) -> candidates.forEach((candidate, n) ->
                    corrections.computeIfAbsent(word, w -> new TreeMap<>()).merge(candidate, n, Long::sum)));
        }
        return new ShardStats(collection, terms, words, corrections);
    }

    /** "Did you mean": the query with each rare word replaced by its best correction, when there is one. */
    public Optional<String> didYouMean(String query, ShardStats global) {
        List<String> corrected = new ArrayList<>();
        boolean changed = false;
        for (TextAnalysis.QueryWord word : analysis.queryWords(query)) {
            long documents = global.words().getOrDefault(word.word(), 0L);
            Optional<String> correction = Spelling.rare(documents) && TextAnalysis.isWord(word.word())
                    ? Spelling.best(word.word(), documents, global.corrections().getOrDefault(word.word(), Map.of()))
                    : Optional.empty();
            corrected.add(correction.orElse(word.word()));
            changed |= correction.isPresent();
        }
        return changed ? Optional.of(String.join(" ", corrected)) : Optional.empty();
    }

    /** This instance's best {@code k} documents for {@code query}, scored with the global figures of {@code ranking}. */
    public ShardTop top(String query, Ranking ranking, int k) {
        ReadOnlyKeyValueStore<String, Posting> postings = stores.keyValue(SearchStores.POSTINGS);
        Map<String, Double> bm25 = new HashMap<>();
        Set<String> queryTerms = new LinkedHashSet<>(terms(query));
        for (String term : queryTerms) {
            TermStats stats = ranking.terms().get(term);
            if (stats == null || stats.documents() == 0) {
                continue;
            }
            String prefix = SearchStores.postingPrefix(term);
            try (KeyValueIterator<String, Posting> matches = postings.prefixScan(prefix, KEYS)) {
                while (matches.hasNext()) {
                    KeyValue<String, Posting> match = matches.next();
                    double score = config.ranking().score(ranking.collection(), stats, match.value);
                    bm25.merge(match.key.substring(prefix.length()), score, Double::sum);
                }
            }
        }
        ClickProfile profile = ranking.user() == null ? null
                : stores.<String, ClickProfile>keyValue(SearchStores.CLICK_PROFILES).get(ranking.user());
        ReadOnlyKeyValueStore<String, PageRank> ranks = config.pageRankWeight() > 0 ? stores.keyValue(SearchStores.PAGERANK) : null;
        Comparator<Map.Entry<String, Double>> order = Map.Entry.<String, Double>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey());
        PriorityQueue<Map.Entry<String, Double>> best = new PriorityQueue<>(order.reversed());
        for (Map.Entry<String, Double> scored : bm25.entrySet()) {
            double score = scored.getValue() * authority(ranks, scored.getKey()) * personal(profile, scored.getKey());
            best.add(Map.entry(scored.getKey(), score));
            if (best.size() > k) {
                best.poll();
            }
        }
        List<Map.Entry<String, Double>> ordered = new ArrayList<>(best);
        ordered.sort(order);
        ReadOnlyKeyValueStore<String, IndexedDocument> documents = stores.keyValue(SearchStores.DOCUMENTS);
        List<Hit> hits = new ArrayList<>();
        for (Map.Entry<String, Double> entry : ordered) {
            IndexedDocument document = documents.get(entry.getKey());
            if (document != null) {
                hits.add(new Hit(entry.getKey(), document.getTitle(), Snippets.of(analysis, document.getText(), queryTerms),
                        entry.getValue()));
            }
        }
        return new ShardTop(bm25.size(), hits);
    }

    /** The instances' best documents merged: the page from {@code from}, {@code size} long, and how many matched in all. */
    public static ShardTop merge(List<ShardTop> parts, int from, int size) {
        Map<String, Hit> unique = new HashMap<>();
        long total = 0;
        for (ShardTop part : parts) {
            total += part.total();
            part.hits().forEach(hit -> unique.putIfAbsent(hit.url(), hit));
        }
        List<Hit> hits = unique.values().stream()
                .sorted(Comparator.comparingDouble(Hit::score).reversed().thenComparing(Hit::url))
                .skip(from).limit(size).toList();
        return new ShardTop(total, hits);
    }

    /** Vocabulary words starting with {@code prefix}, most documents first. */
    public List<Completion> complete(String prefix, int n) {
        Map<String, Long> found = new HashMap<>();
        try (KeyValueIterator<String, Long> words = stores.<String, Long>keyValue(SearchStores.VOCABULARY).prefixScan(prefix, KEYS)) {
            words.forEachRemaining(kv -> found.merge(kv.key, kv.value, Long::sum));
        }
        return best(found, n);
    }

    /** Completions of the instances merged. */
    public static List<Completion> mergeCompletions(List<List<Completion>> parts, int n) {
        Map<String, Long> found = new HashMap<>();
        parts.forEach(part -> part.forEach(c -> found.merge(c.word(), c.documents(), Long::sum)));
        return best(found, n);
    }

    /** The frontier of this instance in figures. */
    public CrawlerCounts crawler() {
        long queued = 0, fetched = 0, gone = 0, failed = 0;
        Map<String, Long> failures = new TreeMap<>();
        try (KeyValueIterator<String, FrontierEntry> all = stores.<String, FrontierEntry>keyValue(SearchStores.FRONTIER).all()) {
            while (all.hasNext()) {
                FrontierEntry entry = all.next().value;
                CrawlState state = entry.getState();
                switch (state) {
                    case QUEUED -> queued++;
                    case FETCHED -> fetched++;
                    case GONE -> gone++;
                    case FAILED -> {
                        failed++;
                        failures.merge(entry.getFailure() == null ? "unknown" : entry.getFailure(), 1L, Long::sum);
                    }
                    default -> throw new IllegalStateException("Unknown crawl state " + state);
                }
            }
        }
        return new CrawlerCounts(queued, fetched, gone, failed, failures);
    }

    /** The PageRank of a URL, or empty before one was computed. */
    public Optional<Double> pageRank(String url) {
        PageRank rank = stores.<String, PageRank>keyValue(SearchStores.PAGERANK).get(url);
        return Optional.ofNullable(rank).map(PageRank::getRank);
    }

    private double authority(ReadOnlyKeyValueStore<String, PageRank> ranks, String url) {
        if (ranks == null) {
            return 1;
        }
        PageRank rank = ranks.get(url);
        return rank == null ? 1 : 1 + config.pageRankWeight() * Math.log1p(rank.getPages() * rank.getRank());
    }

    private static double personal(ClickProfile profile, String url) {
        if (profile == null) {
            return 1;
        }
        long onUrl = profile.getUrls().getOrDefault(url, 0L);
        long onHost = profile.getHosts().getOrDefault(Urls.host(url), 0L);
        return 1 + URL_CLICKS_WEIGHT * Math.log1p(onUrl) + HOST_CLICKS_WEIGHT * Math.log1p(onHost);
    }

    private List<String> spellable(String query) {
        return analysis.queryWords(query).stream().map(TextAnalysis.QueryWord::word).filter(TextAnalysis::isWord).distinct()
                .collect(Collectors.toList());
    }

    private static long documentsWith(ReadOnlyKeyValueStore<String, Long> vocabulary, String word) {
        long documents = 0;
        try (KeyValueIterator<String, Long> entries = vocabulary.range(word, word)) {
            while (entries.hasNext()) {
                documents += entries.next().value;
            }
        }
        return documents;
    }

    private static List<Completion> best(Map<String, Long> found, int n) {
        return found.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).map(e -> new Completion(e.getKey(), e.getValue())).toList();
    }
}
