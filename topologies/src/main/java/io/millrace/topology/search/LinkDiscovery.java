package io.millrace.topology.search;

import io.millrace.schemas.search.CrawlRequest;
import io.millrace.schemas.search.CrawledPage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The links of a fetched page that the crawl may follow: normalized, once each, on allowed hosts, within the depth. */
public final class LinkDiscovery {

    /** A page contributes at most this many links: link farms and generated calendars stop here. */
    static final int MAX_LINKS_PER_PAGE = 500;

    private LinkDiscovery() {
    }

    /** Requests for the page's links one level deeper; none when the page is at its crawl's depth or was not fetched. */
    public static List<CrawlRequest> follow(CrawledPage page) {
        if (!fetched(page) || page.getDepth() >= page.getMaxDepth()) {
            return List.of();
        }
        Optional<String> url = Urls.normalize(page.getUrl());
        if (url.isEmpty()) {
            return List.of();
        }
        List<String> allowed = allowedHosts(page.getAllowedHosts(), url.get());
        List<CrawlRequest> requests = new ArrayList<>();
        for (String link : links(page)) {
            if (allowed.contains(Urls.hostAndPort(link))) {
                requests.add(CrawlRequest.newBuilder().setUrl(link).setDepth(page.getDepth() + 1).setMaxDepth(page.getMaxDepth())
                        .setAllowedHosts(allowed).setPolitenessMs(page.getPolitenessMs()).setTimestamp(page.getTimestamp()).build());
            }
        }
        return requests;
    }

    /** The page's distinct normalized outlinks, itself excluded. */
    public static List<String> links(CrawledPage page) {
        Optional<String> self = Urls.normalize(page.getUrl());
        Set<String> links = new LinkedHashSet<>();
        for (String link : page.getOutlinks()) {
            Urls.normalize(link).filter(url -> !self.map(url::equals).orElse(false)).ifPresent(links::add);
            if (links.size() == MAX_LINKS_PER_PAGE) {
                break;
            }
        }
        return List.copyOf(links);
    }

    /** The hosts a crawl may visit: those given, or else the seed's own ({@code url} normalized). */
    public static List<String> allowedHosts(List<String> given, String url) {
        return given.isEmpty() ? List.of(Urls.hostAndPort(url)) : given;
    }

    /** Whether the crawler got a page to index (a 200 with no failure). */
    public static boolean fetched(CrawledPage page) {
        return page.getStatus() == 200 && page.getFailure() == null;
    }

    /** Whether the page is gone for good, so its document leaves the index. */
    public static boolean gone(CrawledPage page) {
        return page.getFailure() == null && (page.getStatus() == 404 || page.getStatus() == 410);
    }
}
