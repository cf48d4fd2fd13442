package io.millrace.bench.search;

import io.millrace.topology.search.Bm25;
import io.millrace.topology.search.TextAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The same documents in an in-process Lucene index, for comparison: the same analyzer (our {@link TextAnalysis}'s English
 * analyzer), BM25 with the same k1 and b, and the query as ours scores it: each analyzed term in title, headings and
 * body with the same field weights, summed.
 */
public final class LuceneBaseline implements AutoCloseable {

    /** A document as both indexes see it. */
    public record Page(String url, String title, List<String> headings, String text) {
    }

    private final TextAnalysis analysis;
    private final Bm25 bm25;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private DirectoryReader reader;
    private IndexSearcher searcher;

    public LuceneBaseline(TextAnalysis analysis, Bm25 bm25) {
        this.analysis = analysis;
        this.bm25 = bm25;
    }

    /** Indexes the pages and opens a searcher; returns pages per second. */
    public double index(List<Page> pages) {
        long began = System.nanoTime();
        IndexWriterConfig config = new IndexWriterConfig(analysis.analyzer()).setSimilarity(similarity());
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (Page page : pages) {
                Document document = new Document();
                document.add(new StringField("url", page.url(), Field.Store.YES));
                document.add(new TextField("title", page.title(), Field.Store.NO));
                document.add(new TextField("headings", String.join("\n", page.headings()), Field.Store.NO));
                document.add(new TextField("body", page.text(), Field.Store.NO));
                writer.addDocument(document);
            }
            writer.commit();
            reader = DirectoryReader.open(directory);
            searcher = new IndexSearcher(reader);
            searcher.setSimilarity(similarity());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages.size() / ((System.nanoTime() - began) / 1e9);
    }

    /** The URLs of the best {@code k} pages for {@code query}. */
    public List<String> search(String query, int k) {
        Set<String> terms = new LinkedHashSet<>(analysis.terms(query));
        BooleanQuery.Builder builder = new BooleanQuery.Builder();
        for (String term : terms) {
            builder.add(field("title", term, bm25.titleWeight()), BooleanClause.Occur.SHOULD);
            builder.add(field("headings", term, bm25.headingsWeight()), BooleanClause.Occur.SHOULD);
            builder.add(field("body", term, bm25.bodyWeight()), BooleanClause.Occur.SHOULD);
        }
        try {
            List<String> urls = new ArrayList<>();
            for (ScoreDoc hit : searcher.search(builder.build(), k).scoreDocs) {
                urls.add(searcher.storedFields().document(hit.doc).get("url"));
            }
            return urls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BM25Similarity similarity() {
        return new BM25Similarity((float) bm25.k1(), (float) bm25.b());
    }

    private static Query field(String field, String term, double weight) {
        return new BoostQuery(new TermQuery(new Term(field, term)), (float) weight);
    }

    @Override
    public void close() {
        try {
            if (reader != null) {
                reader.close();
            }
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
