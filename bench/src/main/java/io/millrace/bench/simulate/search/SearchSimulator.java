package io.millrace.bench.simulate.search;

import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.search.CrawlSeed;
import io.millrace.schemas.search.CrawledPage;
import io.millrace.schemas.search.SearchClick;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.search.SearchPipeline;
import io.millrace.topology.search.SearchTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A crawler's output over a generated site of 2,000 pages: words drawn Zipf-like from a small vocabulary, links drawn
 * towards the low-numbered pages (so PageRank has hubs to find), pages fetched again with new text now and then, about
 * 1 % gone (404); users' clicks on popular pages; now and then a seed (a closed local port, crawled to depth
 * 0); about 0.1 % records that are not Avro at all.
 */
public final class SearchSimulator implements Simulator {

    static final String SITE = "http://site.search.millrace.test";
    static final int PAGES = 2_000;
    private static final String[] WORDS = ("stream table topic partition node consumer producer offset commit record key value "
            + "schema registry window join aggregate state store changelog replica leader follower cluster controller quorum "
            + "metadata index search query rank score term document field posting crawler frontier link graph page site host "
            + "robots politeness depth snippet spelling suggestion answer conversion metric latency throughput backpressure "
            + "retention compaction segment log batch compression serializer deserializer connector task worker plugin sink "
            + "source transform filter map reduce group window session tumbling hopping sliding grace punctuation processor "
            + "topology thread instance rebalance assignment standby restore checkpoint transaction idempotent exactly once "
            + "dashboard grafana prometheus alert service endpoint region deployment container kubernetes helm chart release")
            .split(" ");
    private static final int USERS = 500;

    private final SearchTopics topics;

    public SearchSimulator(PipelineContext context) {
        this.topics = new SearchTopics(context);
    }

    @Override
    public String pipeline() {
        return SearchPipeline.NAME;
    }

    @Override
    public String outputTopic() {
        return SearchTopics.PAGERANK;
    }

    @Override
    public SimulatedEvent next(SplittableRandom random, long nowMillis) {
        int roll = random.nextInt(10_000);
        if (roll < 10) {
            return SimulatedEvent.garbage(topics.pages().name(), url(random.nextInt(PAGES)));
        }
        if (roll < 12) {
            // A closed port of this machine: the crawler tries it, fails at once, and nothing outside is asked.
            String seed = "http://127.0.0.1:9/seed-" + random.nextInt(100) + "/";
            return SimulatedEvent.of(topics.seeds(), seed, new CrawlSeed(seed, List.of(), 0, 1000L, nowMillis));
        }
        if (roll < 1_500) {
            String user = "user-" + skewed(random, USERS);
            String url = url(skewed(random, PAGES));
            return SimulatedEvent.of(topics.clicks(), user, new SearchClick(user, word(random) + " " + word(random), url, nowMillis));
        }
        int page = skewed(random, PAGES);
        String url = url(page);
        if (roll < 1_600) {
            return SimulatedEvent.of(topics.pages(), url, CrawledPage.newBuilder().setUrl(url).setFinalUrl(url).setStatus(404)
                    .setFetchedAt(nowMillis).setTimestamp(nowMillis).build());
        }
        List<String> links = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            links.add(url(skewed(random, PAGES)));
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            text.append(word(random)).append(i % 12 == 11 ? ". " : " ");
        }
        String title = word(random) + " " + word(random) + " " + word(random);
        return SimulatedEvent.of(topics.pages(), url, CrawledPage.newBuilder().setUrl(url).setFinalUrl(url).setStatus(200)
                .setContentType("text/html").setTitle(title).setHeadings(List.of(word(random) + " " + word(random)))
                .setText(text.toString().trim()).setOutlinks(links).setContentHash(Integer.toHexString(text.toString().hashCode()))
                .setDepth(1).setMaxDepth(3).setAllowedHosts(List.of("site.search.millrace.test:80")).setPolitenessMs(0)
                .setFetchedAt(nowMillis).setTimestamp(nowMillis).build());
    }

    static String url(int page) {
        return page == 0 ? SITE + "/" : SITE + "/page-" + page + ".html";
    }

    /** 0 ≤ n < bound, small numbers far more often (roughly 1/n). */
    private static int skewed(SplittableRandom random, int bound) {
        return (int) Math.min(bound - 1, Math.floor(Math.exp(random.nextDouble() * Math.log(bound + 1)) - 1));
    }

    private static String word(SplittableRandom random) {
        return WORDS[skewed(random, WORDS.length)];
    }
}
