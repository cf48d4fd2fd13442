package io.millrace.topology.search;

import java.util.List;

/** The search pipeline's state stores: the frontier, the inverted index partitioned by document, the link graph and the ranks. */
public final class SearchStores {

    /** URL → its frontier entry (queued, fetched, failed, gone), partitioned like search.pages. */
    public static final String FRONTIER = "search-frontier";
    /** term NUL url → the term's frequency per field in that document. */
    public static final String POSTINGS = "search-postings";
    /** URL → what the index keeps of the document (lengths, title, text for snippets, its terms). */
    public static final String DOCUMENTS = "search-documents";
    /** URL → the document's distinct terms and words, read only when it changes or goes. */
    static final String DOCUMENT_TERMS = "search-document-terms";
    /** term → this partition's documents holding it, per field. */
    public static final String TERMS = "search-terms";
    /** One entry per partition: its documents and their summed field lengths. */
    public static final String COLLECTION = "search-collection";
    /** Surface word → this partition's documents holding it: the spelling and completion vocabulary. */
    public static final String VOCABULARY = "search-vocabulary";
    /** URL → outlinks: the link graph, on one partition. */
    static final String LINKS = "search-links";
    /** URL → PageRank, whole on every instance (global). */
    public static final String PAGERANK = "search-pagerank";
    /** user → their clicks per URL and host. */
    static final String CLICKS = "search-clicks";
    /** user → their clicks, whole on every instance (global), for ranking on any instance. */
    public static final String CLICK_PROFILES = "search-click-profiles";

    /** The key of a partition's entry in {@link #COLLECTION}. */
    static final String COLLECTION_KEY = "collection";

    /** The stores the HTTP API reads. */
    public static final List<String> QUERYABLE = List.of(FRONTIER, POSTINGS, DOCUMENTS, TERMS, COLLECTION, VOCABULARY, PAGERANK,
            CLICK_PROFILES);

    private SearchStores() {
    }

    /** The key of a posting: the term, NUL, the URL, so that one term's postings are one prefix. */
    static String postingKey(String term, String url) {
        return term + '\u0000' + url;
    }

    static String postingPrefix(String term) {
        return term + '\u0000';
    }
}
