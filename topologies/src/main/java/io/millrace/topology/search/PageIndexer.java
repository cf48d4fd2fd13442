package io.millrace.topology.search;

import io.millrace.schemas.search.CrawledPage;
import io.millrace.schemas.search.DocumentTerms;
import io.millrace.schemas.search.FieldCounts;
import io.millrace.schemas.search.IndexedDocument;
import io.millrace.schemas.search.LinkSet;
import io.millrace.schemas.search.Posting;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The inverted index of this partition's documents. A fetched page is analyzed into three fields and its postings, term
 * counts and collection figures are written; a page fetched again with the same hash costs nothing; one that changed
 * first takes its old postings out; one gone (404, 410) leaves the index. Each change of a page's links goes on to the
 * link graph.
 */
final class PageIndexer implements Processor<String, CrawledPage, String, LinkSet> {

    /** What a document keeps of its text for snippets. */
    static final int SNIPPET_SOURCE_CHARS = 8_000;

    private final TextAnalysis analysis;
    private final java.util.concurrent.atomic.AtomicLong changes;
    private ProcessorContext<String, LinkSet> context;
    private KeyValueStore<String, Posting> postings;
    private KeyValueStore<String, IndexedDocument> documents;
    private KeyValueStore<String, DocumentTerms> documentTerms;
    private KeyValueStore<String, FieldCounts> terms;
    private KeyValueStore<String, FieldCounts> collection;
    private KeyValueStore<String, Long> vocabulary;

    PageIndexer(TextAnalysis analysis, java.util.concurrent.atomic.AtomicLong changes) {
        this.analysis = analysis;
        this.changes = changes;
    }

    @Override
    public void init(ProcessorContext<String, LinkSet> context) {
        this.context = context;
        postings = context.getStateStore(SearchStores.POSTINGS);
        documents = context.getStateStore(SearchStores.DOCUMENTS);
        documentTerms = context.getStateStore(SearchStores.DOCUMENT_TERMS);
        terms = context.getStateStore(SearchStores.TERMS);
        collection = context.getStateStore(SearchStores.COLLECTION);
        vocabulary = context.getStateStore(SearchStores.VOCABULARY);
    }

    @Override
    public void process(Record<String, CrawledPage> record) {
        String url = record.key();
        CrawledPage page = record.value();
        IndexedDocument previous = documents.get(url);
        if (LinkDiscovery.fetched(page)) {
            String hash = page.getContentHash() == null ? "" : page.getContentHash();
            if (previous != null && previous.getContentHash().equals(hash) && !hash.isEmpty()) {
                return;
            }
            if (previous != null) {
                remove(url, previous);
            }
            add(url, page, hash);
            changes.incrementAndGet();
            context.forward(record.withValue(LinkSet.newBuilder().setUrl(url).setOutlinks(LinkDiscovery.links(page)).setGone(false)
                    .setTimestamp(page.getTimestamp()).build()));
        } else if (LinkDiscovery.gone(page) && previous != null) {
            remove(url, previous);
            documents.delete(url);
            documentTerms.delete(url);
            changes.incrementAndGet();
            context.forward(record.withValue(LinkSet.newBuilder().setUrl(url).setGone(true).setTimestamp(page.getTimestamp()).build()));
        }
    }

    private void add(String url, CrawledPage page, String hash) {
        String headingsText = String.join("\n", page.getHeadings());
        Map<String, Integer> title = analysis.frequencies(page.getTitle());
        Map<String, Integer> headings = analysis.frequencies(headingsText);
        Map<String, Integer> body = analysis.frequencies(page.getText());
        Set<String> all = new LinkedHashSet<>(title.keySet());
        all.addAll(headings.keySet());
        all.addAll(body.keySet());
        int titleLength = length(title);
        int headingsLength = length(headings);
        int bodyLength = length(body);
        for (String term : all) {
            Posting posting = new Posting(title.getOrDefault(term, 0), headings.getOrDefault(term, 0), body.getOrDefault(term, 0),
                    titleLength, headingsLength, bodyLength);
            postings.put(SearchStores.postingKey(term, url), posting);
            count(term, posting, 1);
        }
        FieldCounts totals = totals();
        collection.put(SearchStores.COLLECTION_KEY, FieldCounts.newBuilder(totals)
                .setDocuments(totals.getDocuments() + 1)
                .setTitle(totals.getTitle() + (titleLength > 0 ? 1 : 0)).setTitleTotal(totals.getTitleTotal() + titleLength)
                .setHeadings(totals.getHeadings() + (headingsLength > 0 ? 1 : 0)).setHeadingsTotal(totals.getHeadingsTotal() + headingsLength)
                .setBody(totals.getBody() + (bodyLength > 0 ? 1 : 0)).setBodyTotal(totals.getBodyTotal() + bodyLength)
                .build());
        Set<String> words = new LinkedHashSet<>(analysis.words(page.getTitle()));
        words.addAll(analysis.words(headingsText));
        words.addAll(analysis.words(page.getText()));
        for (String word : words) {
            Long documentsWithWord = vocabulary.get(word);
            vocabulary.put(word, documentsWithWord == null ? 1 : documentsWithWord + 1);
        }
        String text = page.getText();
        documents.put(url, IndexedDocument.newBuilder().setUrl(url).setTitle(page.getTitle())
                .setText(text.length() <= SNIPPET_SOURCE_CHARS ? text : text.substring(0, SNIPPET_SOURCE_CHARS))
                .setTitleLength(titleLength).setHeadingsLength(headingsLength).setBodyLength(bodyLength)
                .setContentHash(hash).setFetchedAt(page.getFetchedAt()).build());
        documentTerms.put(url, new DocumentTerms(new ArrayList<>(all), new ArrayList<>(words)));
    }

    private void remove(String url, IndexedDocument document) {
        DocumentTerms held = documentTerms.get(url);
        List<String> heldTerms = held == null ? List.of() : held.getTerms();
        List<String> heldWords = held == null ? List.of() : held.getWords();
        for (String term : heldTerms) {
            String key = SearchStores.postingKey(term, url);
            Posting posting = postings.delete(key);
            if (posting != null) {
                count(term, posting, -1);
            }
        }
        FieldCounts totals = totals();
        collection.put(SearchStores.COLLECTION_KEY, FieldCounts.newBuilder(totals)
                .setDocuments(totals.getDocuments() - 1)
                .setTitle(totals.getTitle() - (document.getTitleLength() > 0 ? 1 : 0))
                .setTitleTotal(totals.getTitleTotal() - document.getTitleLength())
                .setHeadings(totals.getHeadings() - (document.getHeadingsLength() > 0 ? 1 : 0))
                .setHeadingsTotal(totals.getHeadingsTotal() - document.getHeadingsLength())
                .setBody(totals.getBody() - (document.getBodyLength() > 0 ? 1 : 0))
                .setBodyTotal(totals.getBodyTotal() - document.getBodyLength())
                .build());
        for (String word : heldWords) {
            Long documentsWithWord = vocabulary.get(word);
            if (documentsWithWord == null || documentsWithWord <= 1) {
                vocabulary.delete(word);
            } else {
                vocabulary.put(word, documentsWithWord - 1);
            }
        }
    }

    private void count(String term, Posting posting, int delta) {
        FieldCounts counts = terms.get(term);
        FieldCounts.Builder updated = counts == null ? FieldCounts.newBuilder() : FieldCounts.newBuilder(counts);
        updated.setTitle(updated.getTitle() + (posting.getTitle() > 0 ? delta : 0))
                .setHeadings(updated.getHeadings() + (posting.getHeadings() > 0 ? delta : 0))
                .setBody(updated.getBody() + (posting.getBody() > 0 ? delta : 0))
                .setDocuments(updated.getDocuments() + delta);
        if (updated.getDocuments() <= 0) {
            terms.delete(term);
        } else {
            terms.put(term, updated.build());
        }
    }

    private FieldCounts totals() {
        FieldCounts totals = collection.get(SearchStores.COLLECTION_KEY);
        return totals == null ? FieldCounts.newBuilder().build() : totals;
    }

    private static int length(Map<String, Integer> frequencies) {
        int length = 0;
        for (int count : frequencies.values()) {
            length += count;
        }
        return length;
    }
}
