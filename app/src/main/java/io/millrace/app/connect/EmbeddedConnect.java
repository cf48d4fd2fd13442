package io.millrace.app.connect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A standalone Kafka Connect worker in this JVM, with its REST API on loopback, running Millrace's connectors. */
public final class EmbeddedConnect implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedConnect.class);

    private final Connect<?> connect;
    private final String restUrl;

    private EmbeddedConnect(Connect<?> connect, String restUrl) {
        this.connect = connect;
        this.restUrl = restUrl;
    }

    public static EmbeddedConnect start(String bootstrapServers, Path dataDir, int restPort) {
        return start(bootstrapServers, Map.of(), dataDir, restPort);
    }

    /**
     * A worker whose Kafka clients use {@code kafkaClient} (the platform's --kafka-config: SASL, SSL): the worker's
     * own clients take them as they are, and its tasks' producers, consumers and admin through Connect's
     * {@code producer.}, {@code consumer.} and {@code admin.} prefixes, as a worker properties file would say.
     */
    public static EmbeddedConnect start(String bootstrapServers, Map<String, String> kafkaClient, Path dataDir, int restPort) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create " + dataDir, e);
        }
        Map<String, String> worker = new HashMap<>();
        kafkaClient.forEach((key, value) -> {
            worker.put(key, value);
            worker.put("producer." + key, value);
            worker.put("consumer." + key, value);
            worker.put("admin." + key, value);
        });
        worker.put("bootstrap.servers", bootstrapServers);
        worker.put("offset.storage.file.filename", dataDir.resolve("connect.offsets").toAbsolutePath().toString());
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        worker.put("listeners", "http://127.0.0.1:" + restPort);
        // Plugins are on the application classpath and declare themselves in META-INF/services (KIP-898),
        // so the worker finds them without scanning every class of the classpath (seconds at start).
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "5000");
        Connect<?> connect = new ConnectStandalone().startConnect(worker);
        String url = connect.rest().advertisedUrl().toString().replaceAll("/$", "");
        log.info("Kafka Connect worker (standalone) at {}", url);
        return new EmbeddedConnect(connect, url);
    }

    public String restUrl() {
        return restUrl;
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
