package io.millrace.topology.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.search.CrawledPage;
import io.millrace.schemas.search.FieldCounts;
import io.millrace.schemas.search.Posting;
import io.millrace.schemas.search.SearchClick;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchIndexTest {

    @TempDir Path stateDir;
    private SearchTestbed bed;

    @BeforeEach
    void start() {
        bed = new SearchTestbed(stateDir, SearchConfig.DEFAULT.withoutPageRank());
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    private void tinyCorpus() {
        bed.crawled(bed.page("http://example.org/a", "", "apple banana apple"));
        bed.crawled(bed.page("http://example.org/b", "", "banana cherry"));
        bed.crawled(bed.page("http://example.org/c", "", "cherry cherry cherry date"));
    }

    @Test
    void aPageNotKeyedByItsUrlOrAClickNotKeyedByItsUserIsRejectedAndChangesNothing() {
        CrawledPage page = bed.page("http://example.org/a", "", "apple banana apple").build();
        bed.pages.pipeInput("http://example.org/elsewhere", page, SearchTestbed.NOW);
        bed.pages.pipeInput((String) null, page, SearchTestbed.NOW);
        bed.clicks.pipeInput("mallory", new SearchClick("ana", "apple", "http://example.org/a", SearchTestbed.NOW.toEpochMilli()),
                SearchTestbed.NOW);
        bed.clicks.pipeInput((String) null, new SearchClick("ana", "apple", "http://example.org/a", SearchTestbed.NOW.toEpochMilli()),
                SearchTestbed.NOW);

        assertThat(bed.kit.rejections()).extracting(Rejected::getCode).containsExactly(CrawlRules.KEY_MISMATCH, CrawlRules.KEY_MISMATCH,
                CrawlRules.KEY_MISMATCH, CrawlRules.KEY_MISMATCH);
        assertThat(bed.search("apple", 10).total()).isZero();
        assertThat(bed.kit.deadLetters()).isEmpty();
    }

    @Test
    void scoresASingleTermAsBm25ComputedByHand() {
        tinyCorpus();

        SearchQueries.ShardTop top = bed.search("apple", 10);

        // N = 3, df = 1: idf = ln(1 + 2.5 / 1.5) = 0.98083; lengths 3, 2, 4 average 3; tf 2 in a document of length 3:
        // 0.98083 × 2 / (2 + 1.2 × (0.25 + 0.75 × 3/3)) = 0.613018.
        assertThat(top.total()).isEqualTo(1);
        assertThat(top.hits()).singleElement().satisfies(hit -> {
            assertThat(hit.url()).isEqualTo("http://example.org/a");
            assertThat(hit.score()).isCloseTo(0.6130182831, within(1e-9));
        });
    }

    @Test
    void ranksByBm25WithLengthNormalisationComputedByHand() {
        tinyCorpus();

        List<SearchQueries.Hit> hits = bed.search("cherries", 10).hits();

        // "cherries" and "cherry" are one stem; df = 2: idf = ln(1 + 1.5 / 2.5) = 0.470004.
        // c: tf 3, length 4: 0.470004 × 3 / (3 + 1.2 × (0.25 + 0.75 × 4/3)) = 0.313336
        // b: tf 1, length 2: 0.470004 × 1 / (1 + 1.2 × (0.25 + 0.75 × 2/3)) = 0.247370
        assertThat(hits).extracting(SearchQueries.Hit::url).containsExactly("http://example.org/c", "http://example.org/b");
        assertThat(hits.get(0).score()).isCloseTo(0.3133357528, within(1e-9));
        assertThat(hits.get(1).score()).isCloseTo(0.2473703312, within(1e-9));
    }

    @Test
    void aTitleMatchOutweighsTheSameMatchInTheBody() {
        bed.crawled(bed.page("http://example.org/guide", "Kafka guide", "streams and tables explained step by step"));
        bed.crawled(bed.page("http://example.org/notes", "Release notes", "kafka streams and tables explained step by step"));

        assertThat(bed.search("kafka", 10).hits()).extracting(SearchQueries.Hit::url)
                .containsExactly("http://example.org/guide", "http://example.org/notes");
    }

    @Test
    void aRecrawledPageReplacesItsPostings() {
        bed.crawled(bed.page("http://example.org/news", "News", "the harvest of apples is late"));
        bed.crawled(bed.page("http://example.org/news", "News", "the bananas arrived early"));

        assertThat(bed.search("apples", 10).hits()).isEmpty();
        assertThat(bed.search("bananas", 10).hits()).extracting(SearchQueries.Hit::url).containsExactly("http://example.org/news");
        KeyValueStore<String, FieldCounts> terms = bed.kit.driver.getKeyValueStore(SearchStores.TERMS);
        KeyValueStore<String, Posting> postings = bed.kit.driver.getKeyValueStore(SearchStores.POSTINGS);
        assertThat(terms.get("appl")).isNull();
        assertThat(postings.get(SearchStores.postingKey("appl", "http://example.org/news"))).isNull();
        assertThat(collection().getDocuments()).isEqualTo(1);
        assertThat(collection().getBodyTotal()).isEqualTo(3);
    }

    @Test
    void anUnchangedPageIsNotIndexedAgain() {
        CrawledPage.Builder first = bed.page("http://example.org/stable", "Stable", "nothing changes here");
        bed.crawled(first);
        // Same hash: the indexer trusts it and does not even read the text.
        bed.crawled(CrawledPage.newBuilder(first.build()).setText("entirely different words").setFetchedAt(first.getFetchedAt() + 1));

        assertThat(bed.search("changes", 10).hits()).hasSize(1);
        assertThat(bed.search("entirely", 10).hits()).isEmpty();
    }

    @Test
    void aPageGoneLeavesTheIndex() {
        bed.crawled(bed.page("http://example.org/old", "Old offer", "discount on winter tyres"));
        bed.crawled(bed.page("http://example.org/keep", "Tyres", "summer tyres"));

        bed.crawled(bed.page("http://example.org/old", "", "").setStatus(404).setContentHash(null));

        assertThat(bed.search("tyres", 10).hits()).extracting(SearchQueries.Hit::url).containsExactly("http://example.org/keep");
        assertThat(collection().getDocuments()).isEqualTo(1);
        assertThat(bed.queries.crawler().gone()).isEqualTo(1);
    }

    @Test
    void aFailedFetchKeepsWhatWasIndexed() {
        bed.crawled(bed.page("http://example.org/flaky", "Flaky", "sometimes answers"));

        bed.crawled(bed.page("http://example.org/flaky", "", "").setStatus(0).setFailure("timeout").setContentHash(null));

        assertThat(bed.search("answers", 10).hits()).hasSize(1);
        assertThat(bed.queries.crawler().failures()).containsEntry("timeout", 1L);
    }

    @Test
    void snippetsHighlightTheQueryTerms() {
        bed.crawled(bed.page("http://example.org/rivers", "Rivers",
                "A long introduction about nothing in particular. The mill race carries water to the wheel <fast>."));

        String snippet = bed.search("wheel water", 1).hits().get(0).snippet();

        assertThat(snippet).contains("<b>water</b>").contains("<b>wheel</b>").contains("&lt;fast&gt;");
    }

    @Test
    void suggestsTheFrequentSpellingOfARareWord() {
        for (int i = 0; i < 4; i++) {
            bed.crawled(bed.page("http://example.org/p" + i, "Page " + i, "configuration of the broker"));
        }

        SearchQueries.ShardStats stats = SearchQueries.merge(List.of(bed.queries.stats("brokr configuration")));

        assertThat(bed.queries.didYouMean("brokr configuration", stats)).contains("broker configuration");
        assertThat(bed.queries.didYouMean("broker configuration", SearchQueries.merge(List.of(bed.queries.stats("broker configuration")))))
                .isEmpty();
        assertThat(bed.queries.complete("con", 5)).extracting(SearchQueries.Completion::word).containsExactly("configuration");
    }

    @Test
    void clicksLiftTheUsersResults() {
        bed.crawled(bed.page("http://example.org/one", "Pasta", "pasta recipe with tomatoes"));
        bed.crawled(bed.page("http://other.org/two", "Pasta", "pasta recipe with tomatoes"));
        String first = bed.search("pasta", 2).hits().get(0).url();
        String second = first.equals("http://example.org/one") ? "http://other.org/two" : "http://example.org/one";

        bed.clicks.pipeInput("ada", new SearchClick("ada", "pasta", second, SearchTestbed.NOW.toEpochMilli()));

        assertThat(bed.search("pasta", 2, "ada").hits().get(0).url()).isEqualTo(second);
        assertThat(bed.search("pasta", 2, "bob").hits().get(0).url()).isEqualTo(first);
    }

    private FieldCounts collection() {
        KeyValueStore<String, FieldCounts> store = bed.kit.driver.getKeyValueStore(SearchStores.COLLECTION);
        return store.get(SearchStores.COLLECTION_KEY);
    }
}
