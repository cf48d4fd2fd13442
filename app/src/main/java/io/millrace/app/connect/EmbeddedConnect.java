package io.millrace.app.connect;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.rest.RestServer;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.ShutdownThread;
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
        leaveRestServerShutdownToConnect(connect.rest());
        String url = connect.rest().advertisedUrl().toString().replaceAll("/$", "");
        log.info("Kafka Connect worker (standalone) at {}", url);
        return new EmbeddedConnect(connect, url);
    }

    /**
     * Connect's REST server asks Jetty's shutdown hook to stop it at JVM exit, and Connect's own shutdown hook stops it
     * too. At SIGTERM the two stops raced on one Jetty server: Jetty's failed half-way ("Unable to destroy ... STARTED")
     * and Connect's waited for ever in join(), so the JVM did not exit (EmbeddedRunIT: not stopped 90 s after SIGTERM,
     * every pipeline already closed). Connect stops its server (from its hook, or from {@link #close}); Jetty's hook is
     * told to leave it alone. The server is a private field of Connect's RestServer: no API hands it out.
     */
    private static void leaveRestServerShutdownToConnect(RestServer rest) {
        try {
            Field server = RestServer.class.getDeclaredField("jettyServer");
            server.setAccessible(true);
            ShutdownThread.deregister((LifeCycle) server.get(rest));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Could not take Kafka Connect's REST server out of Jetty's shutdown hook ({}): a SIGTERM may hang while both stop it", e.toString());
        }
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
