package io.millrace.connectors.crawler;

import io.millrace.schemas.search.CrawlRequest;
import io.millrace.schemas.search.CrawledPage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The crawler's rules around fetching: one queue per host, served in turn, never sooner than the politeness delay (the
 * request's, robots.txt's Crawl-delay, or the configured least one, whichever is longest) after the host's last fetch;
 * robots.txt read once an hour per host and obeyed; hosts outside the crawl's allowed ones and URLs deeper than its
 * depth refused without a request. Every request offered yields exactly one page or failure.
 */
public final class Crawler {

    static final Duration ROBOTS_TTL = Duration.ofHours(1);

    /** A request waiting its turn, with where it was read in the frontier. */
    public record Pending(CrawlRequest request, int partition, long offset) {
    }

    /** What came of a request. */
    public record Fetched(CrawledPage page, int partition, long offset) {
    }

    private record Robots(RobotsRules rules, long readAt) {
    }

    private final PageFetcher fetcher;
    private final String userAgent;
    private final long minPolitenessMs;
    private final LongSupplier clock;
    private final Map<String, ArrayDeque<Pending>> queues = new LinkedHashMap<>();
    private final Map<String, Long> nextAllowed = new HashMap<>();
    private final Map<String, Robots> robots = new HashMap<>();
    private int queued;

    public Crawler(PageFetcher fetcher, String userAgent, long minPolitenessMs, LongSupplier clock) {
        this.fetcher = fetcher;
        this.userAgent = userAgent;
        this.minPolitenessMs = minPolitenessMs;
        this.clock = clock;
    }

    public void offer(CrawlRequest request, int partition, long offset) {
        queues.computeIfAbsent(hostKey(request.getUrl()), host -> new ArrayDeque<>()).add(new Pending(request, partition, offset));
        queued++;
    }

    public int queued() {
        return queued;
    }

    /** Milliseconds until some host may be asked again (0: now; Long.MAX_VALUE: nothing waits). */
    public long millisUntilReady() {
        long now = clock.getAsLong();
        long soonest = Long.MAX_VALUE;
        for (Map.Entry<String, ArrayDeque<Pending>> queue : queues.entrySet()) {
            if (!queue.getValue().isEmpty()) {
                soonest = Math.min(soonest, Math.max(0, nextAllowed.getOrDefault(queue.getKey(), 0L) - now));
            }
        }
        return soonest;
    }

    /** Serves the next host whose turn it is: one request, fetched or refused; empty when no host may be asked now. */
    public Optional<Fetched> next() throws InterruptedException {
        long now = clock.getAsLong();
        for (Map.Entry<String, ArrayDeque<Pending>> queue : queues.entrySet()) {
            String host = queue.getKey();
            if (queue.getValue().isEmpty() || nextAllowed.getOrDefault(host, 0L) > now) {
                continue;
            }
            Pending pending = queue.getValue().poll();
            queued--;
            // Round robin: the host served goes to the back.
            queues.remove(host);
            if (!queue.getValue().isEmpty()) {
                queues.put(host, queue.getValue());
            }
            return Optional.of(new Fetched(handle(host, pending.request()), pending.partition(), pending.offset()));
        }
        return Optional.empty();
    }

    private CrawledPage handle(String host, CrawlRequest request) throws InterruptedException {
        long now = clock.getAsLong();
        if (host.startsWith(":")) {
            return outcome(request, now).setFailure("invalid-url").build();
        }
        List<String> allowed = request.getAllowedHosts();
        if (!allowed.isEmpty() && !allowed.contains(host)) {
            return outcome(request, now).setFailure("host-not-allowed").build();
        }
        if (request.getDepth() > request.getMaxDepth()) {
            return outcome(request, now).setFailure("too-deep").build();
        }
        URI uri = URI.create(request.getUrl());
        RobotsRules rules = robots(host, uri, now);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        if (!rules.allows(path)) {
            return outcome(request, now).setFailure("robots").build();
        }
        CrawledPage page = fetcher.fetch(request, now);
        long delay = Math.max(Math.max(request.getPolitenessMs(), rules.crawlDelayMs()), minPolitenessMs);
        nextAllowed.put(host, clock.getAsLong() + delay);
        return page;
    }

    private RobotsRules robots(String host, URI page, long now) throws InterruptedException {
        Robots known = robots.get(host);
        if (known != null && now - known.readAt() < ROBOTS_TTL.toMillis()) {
            return known.rules();
        }
        RobotsRules rules;
        try {
            PageFetcher.Body body = fetcher.get(page.resolve("/robots.txt"));
            if (body.status() >= 500) {
                rules = RobotsRules.DISALLOW_ALL;
            } else if (body.status() != 200 || body.bytes().isEmpty()) {
                rules = RobotsRules.ALLOW_ALL;
            } else {
                rules = RobotsRules.parse(new String(body.bytes().get(), StandardCharsets.UTF_8), userAgent);
            }
        } catch (IOException | IllegalArgumentException e) {
            // Unreachable host: the page fetch that follows fails and says why.
            rules = RobotsRules.ALLOW_ALL;
        }
        robots.put(host, new Robots(rules, now));
        return rules;
    }

    /** The page of a request before anything is known of it: status 0, nothing found. */
    static CrawledPage.Builder outcome(CrawlRequest request, long now) {
        return CrawledPage.newBuilder().setUrl(request.getUrl()).setFinalUrl(request.getUrl()).setStatus(0).setDepth(request.getDepth())
                .setMaxDepth(request.getMaxDepth()).setAllowedHosts(request.getAllowedHosts()).setPolitenessMs(request.getPolitenessMs())
                .setFetchedAt(now).setTimestamp(now);
    }

    /** host:port of a URL, the scheme's port when it names none: how allowed hosts are written. */
    static String hostKey(String url) {
        try {
            URI uri = URI.create(url);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
        } catch (IllegalArgumentException e) {
            return ":0";
        }
    }
}
