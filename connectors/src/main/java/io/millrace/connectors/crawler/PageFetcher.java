package io.millrace.connectors.crawler;

import io.millrace.schemas.search.CrawlRequest;
import io.millrace.schemas.search.CrawledPage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** Fetches one URL over HTTP within a size and a time limit, and makes a {@link CrawledPage} of what came back with jsoup. */
public final class PageFetcher {

    /** Links kept of one page. */
    static final int MAX_OUTLINKS = 1000;

    private final HttpClient http;
    private final String userAgent;
    private final Duration timeout;
    private final int maxPageBytes;
    private final int maxTextChars;

    public PageFetcher(String userAgent, Duration timeout, int maxPageBytes, int maxTextChars) {
        this.userAgent = userAgent;
        this.timeout = timeout;
        this.maxPageBytes = maxPageBytes;
        this.maxTextChars = maxTextChars;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A response's status and body (empty above the size limit); for robots.txt. */
    record Body(int status, Optional<byte[]> bytes, URI finalUri, String contentType) {
    }

    Body get(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", userAgent)
                .header("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1").GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        try (InputStream in = response.body()) {
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxPageBytes) {
                return new Body(response.statusCode(), Optional.empty(), response.uri(), contentType);
            }
            byte[] bytes = in.readNBytes(maxPageBytes + 1);
            return new Body(response.statusCode(), bytes.length > maxPageBytes ? Optional.empty() : Optional.of(bytes), response.uri(),
                    contentType);
        }
    }

    /** Fetches the request's URL; a failure is a page with its reason, never an exception. */
    public CrawledPage fetch(CrawlRequest request, long now) throws InterruptedException {
        CrawledPage.Builder page = Crawler.outcome(request, now);
        try {
            Body body = get(URI.create(request.getUrl()));
            page.setStatus(body.status()).setFinalUrl(body.finalUri().toString()).setContentType(body.contentType().isEmpty() ? null
                    : body.contentType());
            if (body.bytes().isEmpty()) {
                return page.setFailure("too-large").build();
            }
            if (body.status() != 200) {
                return page.build();
            }
            String type = body.contentType().toLowerCase(Locale.ROOT);
            if (!type.isEmpty() && !type.contains("html")) {
                return page.setFailure("not-html").build();
            }
            return parse(page, body.bytes().get(), body.finalUri().toString(), charset(type));
        } catch (HttpTimeoutException e) {
            return page.setFailure("timeout").build();
        } catch (IOException | IllegalArgumentException e) {
            return page.setFailure("io-error").build();
        }
    }

    private CrawledPage parse(CrawledPage.Builder page, byte[] html, String baseUrl, String charset) throws IOException {
        Document document = Jsoup.parse(new java.io.ByteArrayInputStream(html), charset, baseUrl);
        String robots = document.select("meta[name=robots]").attr("content").toLowerCase(Locale.ROOT);
        if (robots.contains("noindex")) {
            return page.setFailure("noindex").build();
        }
        List<String> headings = new ArrayList<>();
        for (Element heading : document.select("h1, h2, h3, h4, h5, h6")) {
            String text = heading.text().trim();
            if (!text.isEmpty()) {
                headings.add(text);
            }
        }
        String text = document.body() == null ? "" : document.body().text();
        if (text.length() > maxTextChars) {
            text = text.substring(0, maxTextChars);
        }
        Set<String> links = new LinkedHashSet<>();
        if (!robots.contains("nofollow")) {
            for (Element anchor : document.select("a[href]")) {
                if (anchor.attr("rel").toLowerCase(Locale.ROOT).contains("nofollow")) {
                    continue;
                }
                String link = anchor.absUrl("href");
                int fragment = link.indexOf('#');
                link = fragment >= 0 ? link.substring(0, fragment) : link;
                if (link.startsWith("http://") || link.startsWith("https://")) {
                    links.add(link);
                }
                if (links.size() == MAX_OUTLINKS) {
                    break;
                }
            }
        }
        String title = document.title().trim();
        return page.setTitle(title).setHeadings(headings).setText(text).setOutlinks(List.copyOf(links))
                .setContentHash(hash(title, headings, text)).build();
    }

    static String hash(String title, List<String> headings, String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(title.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(String.join("\n", headings).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String charset(String contentType) {
        int at = contentType.indexOf("charset=");
        if (at < 0) {
            return null;
        }
        String name = contentType.substring(at + "charset=".length()).replace("\"", "").split(";")[0].trim();
        return java.nio.charset.Charset.isSupported(name) ? name : null;
    }
}
