package io.millrace.app.cli;

import io.millrace.api.auth.Role;
import io.millrace.api.auth.Tokens;
import io.millrace.app.auth.AuthKeyStore;
import io.millrace.schemas.registry.HttpRegistryClient;
import io.millrace.schemas.registry.SchemaRegistryClient;
import io.millrace.topology.Settings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    @Option(names = "--schema-registry-user-info", defaultValue = "${env:MILLRACE_SCHEMA_REGISTRY_USER_INFO}",
            description = "user:password for the registry's HTTP Basic auth, as Confluent's basic.auth.user.info (env "
                    + "MILLRACE_SCHEMA_REGISTRY_USER_INFO). Default for the local platform: a service token signed with its key.")
    String registryUserInfo;

    Optional<String> registryUserInfo() {
        return Optional.ofNullable(registryUserInfo).filter(s -> !s.isBlank());
    }

    /** bootstrap.servers and the client properties of --kafka-config. */
    Map<String, Object> clientConfig() {
        Map<String, Object> config = new TreeMap<>(kafkaClient());
        config.put("bootstrap.servers", bootstrapOrLocal());
        return config;
    }

    /**
     * A client of the registry that may register schemas: with --schema-registry-user-info, or, for the local
     * platform, a short-lived service token signed with the key it uses (found as {@code millrace token} finds it).
     */
    SchemaRegistryClient registryClient() {
        Optional<String> userInfo = registryUserInfo();
        if (userInfo.isEmpty() && registry().isEmpty()) {
            Settings settings = Settings.fromProcess();
            Path dataDir = Path.of(settings.get("data.dir").orElse("data"));
            userInfo = AuthKeyStore.existing(settings, settings.get("auth.key.file").map(Path::of), dataDir)
                    .map(keys -> "millrace-cli:" + new Tokens(keys).issue("millrace-cli", Role.SERVICE, Duration.ofHours(1)));
        }
        return new HttpRegistryClient(registryOrLocal(), userInfo);
    }

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
