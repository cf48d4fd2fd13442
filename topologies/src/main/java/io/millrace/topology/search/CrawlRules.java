package io.millrace.topology.search;

import io.millrace.schemas.search.CrawlSeed;
import io.millrace.schemas.search.CrawledPage;
import io.millrace.schemas.search.SearchClick;
import io.millrace.topology.runtime.Identifiers;
import io.millrace.topology.runtime.Violation;
import java.util.Optional;
import java.util.regex.Pattern;

/** What seeds, pages and clicks must be to enter the pipeline. */
public final class CrawlRules {

    public static final String INVALID_URL = "INVALID_URL";
    public static final String INVALID_CRAWL_BOUNDS = "INVALID_CRAWL_BOUNDS";
    /** A page not keyed by its normalized URL, or a click not keyed by its user: it would be kept on another URL's or user's partition. */
    public static final String KEY_MISMATCH = Violation.KEY_MISMATCH;
    public static final int MAX_DEPTH = 20;
    public static final long MAX_POLITENESS_MS = 60_000;
    public static final int MAX_ALLOWED_HOSTS = 100;
    private static final Pattern HOST_AND_PORT = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,252})(:[0-9]{1,5})?");

    private CrawlRules() {
    }

    public static Optional<Violation> seed(CrawlSeed seed) {
        if (Urls.normalize(seed.getUrl()).isEmpty()) {
            return Violation.of(INVALID_URL, "url must be an absolute http(s) URL of at most " + Urls.MAX_LENGTH + " characters");
        }
        if (seed.getMaxDepth() < 0 || seed.getMaxDepth() > MAX_DEPTH) {
            return Violation.of(INVALID_CRAWL_BOUNDS, "maxDepth must be 0 to " + MAX_DEPTH);
        }
        if (seed.getPolitenessMs() < 0 || seed.getPolitenessMs() > MAX_POLITENESS_MS) {
            return Violation.of(INVALID_CRAWL_BOUNDS, "politenessMs must be 0 to " + MAX_POLITENESS_MS);
        }
        if (seed.getAllowedHosts().size() > MAX_ALLOWED_HOSTS) {
            return Violation.of(INVALID_CRAWL_BOUNDS, "at most " + MAX_ALLOWED_HOSTS + " allowed hosts");
        }
        for (String host : seed.getAllowedHosts()) {
            if (!isHostAndPort(host)) {
                return Violation.of(INVALID_CRAWL_BOUNDS, "allowedHosts are host or host:port in lower case");
            }
        }
        return Optional.empty();
    }

    /** A page as it arrives on {@code search.pages}: keyed by its URL in normal form, as the crawler writes it. */
    public static Optional<Violation> page(String key, CrawledPage page) {
        Optional<String> url = Urls.normalize(page.getUrl());
        if (url.isEmpty()) {
            return Violation.of(INVALID_URL, "url must be an absolute http(s) URL");
        }
        return url.get().equals(key) ? Optional.empty() : Violation.of(KEY_MISMATCH, "a page is keyed by its url in normal form, " + url.get());
    }

    public static Optional<Violation> click(SearchClick click) {
        return Identifiers.id("user", click.getUser())
                .or(() -> Urls.normalize(click.getUrl()).isEmpty() ? Violation.of(INVALID_URL, "url must be an absolute http(s) URL")
                        : Optional.empty());
    }

    /** A click as it arrives on {@code search.clicks}: valid, and keyed by its user, whose profile counts it. */
    public static Optional<Violation> click(String key, SearchClick click) {
        return click(click).or(() -> click.getUser().equals(key) ? Optional.empty()
                : Violation.of(KEY_MISMATCH, "a click is keyed by its user"));
    }

    public static boolean isHostAndPort(String host) {
        return host != null && HOST_AND_PORT.matcher(host).matches();
    }
}
