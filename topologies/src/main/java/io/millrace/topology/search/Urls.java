package io.millrace.topology.search;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** The one form of a URL the frontier and the index key by: http(s), lower-case host, no default port, no fragment, a path. */
public final class Urls {

    /** Longer URLs are not crawled: they are most often session ids or traps. */
    public static final int MAX_LENGTH = 2048;

    private Urls() {
    }

    /** The normalized form of {@code url}, or empty when it is not an absolute http(s) URL with a host. */
    public static Optional<String> normalize(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.trim()).normalize();
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                return Optional.empty();
            }
            int port = uri.getPort();
            if (port == 80 && scheme.equals("http") || port == 443 && scheme.equals("https")) {
                port = -1;
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (path.startsWith("/..")) {
                path = "/";
            }
            StringBuilder normalized = new StringBuilder(scheme).append("://").append(uri.getHost().toLowerCase(Locale.ROOT));
            if (port != -1) {
                normalized.append(':').append(port);
            }
            normalized.append(path);
            if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
                normalized.append('?').append(uri.getRawQuery());
            }
            return Optional.of(normalized.toString());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** host:port of a normalized URL (the scheme's default port when it has none), as allowed hosts are written. */
    public static String hostAndPort(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The host of a URL, for per-host click counts; empty when it has none. */
    public static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
