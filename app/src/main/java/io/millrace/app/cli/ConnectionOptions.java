package io.millrace.app.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the Kafka cluster and schema registry are, for commands that talk to a running platform. */
public final class ConnectionOptions {

    @Option(names = "--bootstrap-servers", defaultValue = "${env:MILLRACE_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env MILLRACE_BOOTSTRAP_SERVERS). Default: the embedded broker at localhost:9092.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", defaultValue = "${env:MILLRACE_SCHEMA_REGISTRY_URL}",
            description = "Schema registry URL (env MILLRACE_SCHEMA_REGISTRY_URL). Default: the app's embedded registry.")
    String schemaRegistryUrl;

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
