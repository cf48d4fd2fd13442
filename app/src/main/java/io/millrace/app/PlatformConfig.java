package io.millrace.app;

import io.millrace.api.auth.AuthKeys;
import io.millrace.topology.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        ConnectConfig connect,
        Duration stallTimeout,
        Settings settings,
        AuthConfig auth,
        Map<String, String> kafkaClient,
        Optional<String> schemaRegistryUserInfo) {

    public PlatformConfig {
        pipelines = List.copyOf(pipelines);
        kafkaClient = Map.copyOf(kafkaClient);
    }

    /** A configuration with the embedded defaults, changed where the caller says. */
    public static Builder embedded(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Builds a {@link PlatformConfig}; every option starts at the embedded default. */
    public static final class Builder {
        private final Path dataDir;
        private String httpHost = "127.0.0.1";
        private int httpPort = 7070;
        private String advertisedHost = "localhost";
        private Optional<String> bootstrapServers = Optional.empty();
        private Optional<String> schemaRegistryUrl = Optional.empty();
        private int kafkaPort = 9092;
        private int replicationFactor = 1;
        private int standbyReplicas;
        private int streamThreads = 1;
        private long rocksDbMemoryBytes = 1024L * 1024 * 1024;
        private long commitIntervalMs = 1000;
        private List<String> pipelines = List.of();
        private ConnectConfig connect = ConnectConfig.none();
        private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
        private Settings settings = Settings.none();
        private AuthConfig auth;
        private Map<String, String> kafkaClient = Map.of();
        private Optional<String> schemaRegistryUserInfo = Optional.empty();

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder http(String host, int port, String advertisedHost) {
            this.httpHost = host;
            this.httpPort = port;
            this.advertisedHost = advertisedHost;
            return this;
        }

        /** An external cluster: nothing embedded starts. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = Optional.of(bootstrapServers);
            return this;
        }

        public Builder schemaRegistryUrl(Optional<String> url) {
            this.schemaRegistryUrl = url;
            return this;
        }

        /** user:password for an external registry's HTTP Basic auth (Confluent's basic.auth.user.info). */
        public Builder schemaRegistryUserInfo(Optional<String> userInfo) {
            this.schemaRegistryUserInfo = userInfo;
            return this;
        }

        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        public Builder replication(int replicationFactor, int standbyReplicas) {
            this.replicationFactor = replicationFactor;
            this.standbyReplicas = standbyReplicas;
            return this;
        }

        public Builder streamThreads(int threads) {
            this.streamThreads = threads;
            return this;
        }

        public Builder rocksDbMemoryBytes(long bytes) {
            this.rocksDbMemoryBytes = bytes;
            return this;
        }

        public Builder commitIntervalMs(long millis) {
            this.commitIntervalMs = millis;
            return this;
        }

        public Builder pipelines(List<String> names) {
            this.pipelines = names;
            return this;
        }

        public Builder connect(ConnectConfig connect) {
            this.connect = connect;
            return this;
        }

        public Builder stallTimeout(Duration timeout) {
            this.stallTimeout = timeout;
            return this;
        }

        public Builder settings(Settings settings) {
            this.settings = settings;
            return this;
        }

        public Builder auth(AuthConfig auth) {
            this.auth = auth;
            return this;
        }

        /** Client properties every Kafka client of the platform takes (security.protocol, sasl.*, ssl.*). */
        public Builder kafkaClient(Map<String, String> properties) {
            this.kafkaClient = properties;
            return this;
        }

        public PlatformConfig build() {
            return new PlatformConfig(dataDir, httpHost, httpPort, advertisedHost, bootstrapServers, schemaRegistryUrl, kafkaPort,
                    replicationFactor, standbyReplicas, streamThreads, rocksDbMemoryBytes, commitIntervalMs, pipelines, connect,
                    stallTimeout, settings, auth == null ? AuthConfig.ephemeral() : auth, kafkaClient, schemaRegistryUserInfo);
        }
    }

    /** How callers authenticate: the keys tokens are signed with, whether /metrics needs an operator, the allowed CORS origins. */
    public record AuthConfig(AuthKeys keys, boolean metricsNeedOperator, List<String> corsOrigins) {
        public AuthConfig {
            corsOrigins = List.copyOf(corsOrigins);
        }

        /** A fresh random key, nothing else: for tests and tools that issue their own tokens. */
        public static AuthConfig ephemeral() {
            byte[] key = new byte[AuthKeys.MIN_KEY_BYTES];
            new java.security.SecureRandom().nextBytes(key);
            return new AuthConfig(AuthKeys.of(List.of(key)), false, List.of());
        }
    }

    /** How long a pipeline may make no progress while records wait before it is reported DEGRADED. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    public boolean embeddedKafka() {
        return bootstrapServers.isEmpty();
    }

    /** The registry runs in this JVM unless a registry URL points elsewhere. */
    public boolean embeddedRegistry() {
        return schemaRegistryUrl.isEmpty();
    }

    /** Kafka Connect: the embedded worker's REST port, or an external worker, and the webhook the notifications go to. */
    public record ConnectConfig(int embeddedPort, Optional<String> workerUrl, Optional<String> webhookUrl, String webhookSecret) {

        public static ConnectConfig none() {
            return new ConnectConfig(0, Optional.empty(), Optional.empty(), "");
        }
    }
}
