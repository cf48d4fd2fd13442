package io.millrace.app;

import io.millrace.api.auth.AuthKeys;
import io.millrace.topology.Settings;
import java.nio.file.Path;
import java.time.Duration;
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
        ConnectConfig connect,
        Duration stallTimeout,
        Settings settings,
        AuthConfig auth) {

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
