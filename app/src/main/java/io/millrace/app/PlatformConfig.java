package io.millrace.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How this instance runs, read once at start. With nothing set it runs everything embedded: a
 * broker under ./data, the schema registry, every pipeline, and HTTP on port 7070.
 */
public record PlatformConfig(
        Path dataDir,
        String httpHost,
        int httpPort,
        String advertisedHost,
        Optional<String> bootstrapServers,
        Optional<String> schemaRegistryUrl,
        int kafkaPort,
        int replicationFactor,
        int standbyReplicas,
        int streamThreads,
        long rocksDbMemoryBytes,
        long commitIntervalMs,
        List<String> pipelines,
        boolean demo) {

    public boolean embeddedKafka() {
        return bootstrapServers.isEmpty();
    }

    /** The registry runs in this JVM unless a registry URL points elsewhere. */
    public boolean embeddedRegistry() {
        return schemaRegistryUrl.isEmpty();
    }

    public static PlatformConfig embeddedDefaults(Path dataDir) {
        return new PlatformConfig(dataDir, "127.0.0.1", 7070, "localhost", Optional.empty(), Optional.empty(), 9092,
                1, 0, 1, 256L * 1024 * 1024, 1000, List.of(), false);
    }

    public PlatformConfig withHttpPort(int port) {
        return new PlatformConfig(dataDir, httpHost, port, advertisedHost, bootstrapServers, schemaRegistryUrl, kafkaPort,
                replicationFactor, standbyReplicas, streamThreads, rocksDbMemoryBytes, commitIntervalMs, pipelines, demo);
    }

    public PlatformConfig withKafka(String bootstrap, int replication, int standbys) {
        return new PlatformConfig(dataDir, httpHost, httpPort, advertisedHost, Optional.of(bootstrap), schemaRegistryUrl, kafkaPort,
                replication, standbys, streamThreads, rocksDbMemoryBytes, commitIntervalMs, pipelines, demo);
    }

    public PlatformConfig withKafkaPort(int port) {
        return new PlatformConfig(dataDir, httpHost, httpPort, advertisedHost, bootstrapServers, schemaRegistryUrl, port,
                replicationFactor, standbyReplicas, streamThreads, rocksDbMemoryBytes, commitIntervalMs, pipelines, demo);
    }
}
