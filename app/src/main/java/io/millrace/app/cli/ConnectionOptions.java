package io.millrace.app.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** Where the Kafka cluster and schema registry are, for commands that talk to a running platform. */
public final class ConnectionOptions {

    @Option(names = "--bootstrap-servers", defaultValue = "${env:MILLRACE_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env MILLRACE_BOOTSTRAP_SERVERS). Default: the embedded broker at localhost:9092.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", defaultValue = "${env:MILLRACE_SCHEMA_REGISTRY_URL}",
            description = "Schema registry URL (env MILLRACE_SCHEMA_REGISTRY_URL). Default: the app's embedded registry.")
    String schemaRegistryUrl;

    @Option(names = "--kafka-config", defaultValue = "${env:MILLRACE_KAFKA_CONFIG}",
            description = "A client-properties file every Kafka client of the platform takes: security.protocol, sasl.*, ssl.* "
                    + "for a secured cluster (env MILLRACE_KAFKA_CONFIG).")
    Path kafkaConfig;

    /** The client properties of --kafka-config; none without it. */
    Map<String, String> kafkaClient() {
        if (kafkaConfig == null) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(kafkaConfig)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read --kafka-config " + kafkaConfig, e);
        }
        Map<String, String> config = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
        return config;
    }

    Optional<String> bootstrap() {
        return Optional.ofNullable(bootstrapServers).filter(s -> !s.isBlank());
    }

    Optional<String> registry() {
        return Optional.ofNullable(schemaRegistryUrl).filter(s -> !s.isBlank());
    }

    String bootstrapOrLocal() {
        return bootstrap().orElse("127.0.0.1:9092");
    }

    String registryOrLocal() {
        return registry().orElse("http://localhost:7070/registry");
    }
}
