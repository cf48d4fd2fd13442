package io.millrace.topology.search;

import io.millrace.schemas.search.Posting;

/**
 * Okapi BM25 over three fields, each with its own weight and its own length statistics, written as Lucene's
 * {@code BM25Similarity} computes it (no (k1 + 1) factor, idf = ln(1 + (N - df + 0.5) / (df + 0.5))), so that a Lucene
 * index of the same documents, queried with the same boosts, ranks alike. N and the average length are per field: the
 * documents that have the field.
 */
public record Bm25(double k1, double b, double titleWeight, double headingsWeight, double bodyWeight) {

    public static final Bm25 DEFAULT = new Bm25(1.2, 0.75, 3.0, 2.0, 1.0);

    /** Inverse document frequency of a term held by {@code df} of {@code docCount} documents. */
    public static double idf(long docCount, long df) {
        return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
    }

    /** One field's part of a document's score for one term. */
    public static double fieldScore(double weight, long docCount, long df, long sumLength, int tf, int length, double k1, double b) {
        if (tf == 0 || df == 0 || docCount == 0) {
            return 0;
        }
        double averageLength = (double) sumLength / docCount;
        double norm = k1 * (1 - b + b * length / averageLength);
        return weight * idf(docCount, df) * tf / (tf + norm);
    }

    /** A document's score for one term, over its three fields. */
    public double score(SearchQueries.CollectionStats collection, SearchQueries.TermStats term, Posting posting) {
        return fieldScore(titleWeight, collection.titleDocs(), term.title(), collection.titleLength(), posting.getTitle(),
                posting.getTitleLength(), k1, b)
                + fieldScore(headingsWeight, collection.headingsDocs(), term.headings(), collection.headingsLength(), posting.getHeadings(),
                posting.getHeadingsLength(), k1, b)
                + fieldScore(bodyWeight, collection.bodyDocs(), term.body(), collection.bodyLength(), posting.getBody(),
                posting.getBodyLength(), k1, b);
    }
}
