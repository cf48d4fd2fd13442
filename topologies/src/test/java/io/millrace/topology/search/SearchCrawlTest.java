package io.millrace.topology.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.search.CrawlRequest;
import io.millrace.schemas.search.CrawlSeed;
import io.millrace.schemas.search.PageRank;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchCrawlTest {

    @TempDir Path stateDir;
    private SearchTestbed bed;

    @BeforeEach
    void start() {
        bed = new SearchTestbed(stateDir, SearchConfig.DEFAULT);
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void aSeedIsQueuedOnceNormalized() {
        CrawlSeed seed = new CrawlSeed("HTTP://Example.org:80/docs/../index.html#top", List.of(), 2, 0L, SearchTestbed.NOW.toEpochMilli());
        bed.seeds.pipeInput("HTTP://Example.org:80/docs/../index.html#top", seed);

        List<KeyValue<String, CrawlRequest>> queued = bed.frontier.readKeyValuesToList();

        assertThat(queued).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("http://example.org/index.html");
            assertThat(kv.value.getAllowedHosts()).containsExactly("example.org:80");
            assertThat(kv.value.getDepth()).isZero();
        });
    }

    @Test
    void followsLinksOnAllowedHostsOnceAndWithinTheDepth() {
        bed.crawled(bed.page("http://example.org/", "Home", "welcome", "http://example.org/a", "http://example.org/a#part",
                "http://elsewhere.net/x", "http://example.org/b"));
        bed.crawled(bed.page("http://example.org/a", "A", "first", "http://example.org/b", "http://example.org/c").setDepth(1));
        bed.crawled(bed.page("http://example.org/c", "C", "deepest", "http://example.org/d").setDepth(2));

        List<String> queued = bed.frontier.readKeyValuesToList().stream().map(kv -> kv.key).toList();

        assertThat(queued).containsExactly("http://example.org/a", "http://example.org/b", "http://example.org/c");
    }

    @Test
    void fetchedPagesAreQueuedAgainAfterTheRecrawlInterval() {
        SearchConfig config = new SearchConfig(Bm25.DEFAULT, 0, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ZERO);
        bed.close();
        bed = new SearchTestbed(stateDir.resolve("recrawl"), config);
        bed.seeds.pipeInput("http://example.org/", new CrawlSeed("http://example.org/", List.of(), 0, 0L, SearchTestbed.NOW.toEpochMilli()));
        bed.crawled(bed.page("http://example.org/", "Home", "welcome").setMaxDepth(0));
        bed.frontier.readKeyValuesToList();

        bed.kit.driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertThat(bed.frontier.isEmpty()).isTrue();
        bed.kit.driver.advanceWallClockTime(Duration.ofMinutes(6));

        assertThat(bed.frontier.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("http://example.org/");
    }

    /**
     * A generated site: every page links home; home links the two section pages; each section links its three leaves;
     * leaves link their section. Known order: home, then sections, then leaves.
     */
    @Test
    void pageRankOrdersAGeneratedSiteByItsLinks() {
        String home = "http://example.org/";
        bed.crawled(bed.page(home, "Home", "home", home + "s1", home + "s2"));
        for (int s = 1; s <= 2; s++) {
            String section = home + "s" + s;
            bed.crawled(bed.page(section, "Section", "section", home, section + "/l1", section + "/l2", section + "/l3"));
            for (int l = 1; l <= 3; l++) {
                bed.crawled(bed.page(section + "/l" + l, "Leaf", "leaf", home, section));
            }
        }

        bed.recomputePageRank();

        Map<String, Double> ranks = new HashMap<>();
        bed.ranks.readKeyValuesToList().forEach(kv -> ranks.put(kv.key, kv.value.getRank()));
        assertThat(ranks).hasSize(9);
        assertThat(ranks.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(ranks.get(home)).isGreaterThan(ranks.get(home + "s1"));
        assertThat(ranks.get(home + "s1")).isGreaterThan(ranks.get(home + "s1/l1"));
        assertThat(ranks.get(home + "s1")).isCloseTo(ranks.get(home + "s2"), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(bed.queries.pageRank(home)).contains(ranks.get(home));
    }

    @Test
    void aPageGoneLeavesTheGraphAndItsRankIsWithdrawn() {
        String home = "http://example.org/";
        bed.crawled(bed.page(home, "Home", "home", home + "a"));
        bed.crawled(bed.page(home + "a", "A", "a", home));
        bed.recomputePageRank();
        bed.ranks.readKeyValuesToList();

        bed.crawled(bed.page(home + "a", "", "").setStatus(410).setContentHash(null));
        bed.recomputePageRank();

        List<KeyValue<String, PageRank>> changes = bed.ranks.readKeyValuesToList();
        assertThat(changes).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo(home + "a");
            assertThat(kv.value).isNull();
        });
        assertThat(changes).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo(home);
            assertThat(kv.value.getRank()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        });
    }
}
