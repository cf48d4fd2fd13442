package io.millrace.app.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Role;
import io.millrace.app.Platform;
import io.millrace.topology.Settings;
import io.millrace.topology.search.SearchPipeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search demo: a Debian package's HTML documentation (git-doc by default, {@code search.demo-docs} for another
 * directory) served on loopback and given to the crawler as a seed, so the search box has real pages within a minute.
 */
public final class SearchDemo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SearchDemo.class);
    /** HTML documentation Debian installs with {@code apt-get install git-doc}. */
    public static final Path DEFAULT_DOCS = Path.of("/usr/share/doc/git-doc");
    static final int DEMO_DEPTH = 5;

    private final LocalSite site;

    private SearchDemo(LocalSite site) {
        this.site = site;
    }

    /** Serves the docs and seeds the crawl, when the search pipeline runs here and the docs are installed. */
    public static Optional<SearchDemo> start(Platform platform, Settings settings) throws IOException, InterruptedException {
        if (platform.pipelines().stream().noneMatch(p -> p.name().equals(SearchPipeline.NAME))) {
            return Optional.empty();
        }
        Path docs = settings.get("search.demo-docs").map(Path::of).orElse(DEFAULT_DOCS);
        if (!Files.isRegularFile(docs.resolve("index.html"))) {
            log.warn("No {} to crawl for the search demo (apt-get install git-doc, or set MILLRACE_SEARCH_DEMO_DOCS to a directory "
                    + "with an index.html)", docs.resolve("index.html"));
            return Optional.empty();
        }
        LocalSite site = LocalSite.serve(docs);
        seed(platform, site, List.of(site.url("/index.html")), DEMO_DEPTH);
        log.info("Search demo: crawling {} served at {}", docs, site.url("/"));
        return Optional.of(new SearchDemo(site));
    }

    /** POSTs a seed to the platform's own API as an operator. */
    public static void seed(Platform platform, LocalSite site, List<String> urls, int depth) throws IOException, InterruptedException {
        String token = platform.tokens().issue("search-demo", Role.OPERATOR, Duration.ofMinutes(5));
        String body = new ObjectMapper().writeValueAsString(Map.of("urls", urls, "allowedHosts", List.of(site.host()),
                "maxDepth", depth, "politenessMs", 0));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + platform.httpPort() + "/api/search/seeds"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IOException("The seeds were refused: " + response.statusCode() + " " + response.body());
        }
    }

    @Override
    public void close() {
        site.close();
    }
}
