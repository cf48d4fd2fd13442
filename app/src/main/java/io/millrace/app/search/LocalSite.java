package io.millrace.app.search;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A directory of static pages served on loopback, read-only: the local corpus the demo and the benchmark crawl. */
public final class LocalSite implements AutoCloseable {

    private final HttpServer server;
    private final Path root;

    private LocalSite(HttpServer server, Path root) {
        this.server = server;
        this.root = root;
    }

    /** Serves {@code root} on 127.0.0.1 at a free port. */
    public static LocalSite serve(Path root) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        LocalSite site = new LocalSite(server, root.toAbsolutePath().normalize());
        server.createContext("/", site::answer);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "millrace-local-site");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return site;
    }

    /** host:port, as a crawl's allowed hosts name it. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The URL of a page of the site, e.g. {@code /index.html}. */
    public String url(String path) {
        return "http://" + host() + path;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Path file = root.resolve(path.substring(1)).normalize();
            if (Files.isDirectory(file)) {
                file = file.resolve("index.html");
            }
            if (!exchange.getRequestMethod().equals("GET") || !file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            exchange.getResponseHeaders().add("Content-Type", name.endsWith(".html") || name.endsWith(".htm") ? "text/html; charset=utf-8"
                    : name.endsWith(".txt") ? "text/plain; charset=utf-8" : name.endsWith(".css") ? "text/css" : "application/octet-stream");
            exchange.sendResponseHeaders(200, Files.size(file));
            Files.copy(file, exchange.getResponseBody());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
