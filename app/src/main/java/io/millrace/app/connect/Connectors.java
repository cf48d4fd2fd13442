package io.millrace.app.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates or updates connectors through a Connect worker's REST API (embedded or the docker-compose one), idempotently. */
public final class Connectors {

    private static final Logger log = LoggerFactory.getLogger(Connectors.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String connectUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public Connectors(String connectUrl) {
        this.connectUrl = connectUrl.replaceAll("/$", "");
    }

    /** PUT /connectors/{name}/config: creates the connector, or updates it when it exists. */
    public void put(String name, Map<String, String> config) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(connectUrl + "/connectors/" + name + "/config"))
                        .timeout(TIMEOUT).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))).build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 || response.statusCode() == 201) {
                    log.info("Connector {} {} on {}", name, response.statusCode() == 201 ? "created" : "updated", connectUrl);
                    return;
                }
                // 409: the worker is rebalancing; retry until it settles.
                if (response.statusCode() != 409 || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Connect refused connector " + name + ": " + response.statusCode() + " " + response.body());
                }
                Thread.sleep(500);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Connect worker " + connectUrl + " unreachable: " + e.getMessage(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating connector " + name, e);
            }
        }
    }
}
