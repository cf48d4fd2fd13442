package io.millrace.topology.runtime;

import io.millrace.topology.Pipeline;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams configuration every pipeline shares: one application id per pipeline, this
 * instance's HTTP address for interactive queries, the dead-letter handlers, event time, bounded
 * RocksDB memory. A pipeline adds only what is its own (e.g. exactly-once).
 */
public record StreamsSettings(
        String bootstrapServers,
        Path stateDir,
        String applicationServer,
        int replicationFactor,
        int standbyReplicas,
        int threadsPerPipeline,
        long rocksDbTotalBytes,
        long commitIntervalMs,
        DeadLetters deadLetters,
        Map<String, Object> clientOverrides) {

    static final int SESSION_TIMEOUT_MS = 10_000;
    /** What the pipelines' producers compress with, unless --kafka-config says otherwise; the benchmark's clients use the same. */
    public static final String COMPRESSION = "none";

    public StreamsSettings {
        clientOverrides = Map.copyOf(clientOverrides);
    }

    /** The properties of {@code pipeline}; {@code poison} is where its handlers and processor guard mark poison records. */
    public Properties forPipeline(Pipeline pipeline, PoisonRecords poison) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, Pipeline.applicationId(pipeline.name()));
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threadsPerPipeline);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, EventTimeExtractor.class);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Deserialization.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class);
        config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Production.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, pipeline.deadLetterTopic());
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        config.put(BoundedRocksDbMemory.TOTAL_BYTES_CONFIG, rocksDbTotalBytes);
        config.put(DeadLetters.CONFIG_KEY, deadLetters);
        config.put(PoisonRecords.CONFIG_KEY, poison);
        config.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, ProcessorGuard.class);
        config.put(DeadLetterHandlers.REDACTED_TOPICS_CONFIG, String.join(",", pipeline.redactedTopics()));
        // Standbys restore a lost instance's stores in seconds instead of replaying whole changelogs.
        config.put(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, 10_000L);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // No compression by default: on the 2-core bench machine (broker in-process) the messenger moved 21,506 deliveries/s
        // uncompressed against 17,415 with lz4 in the same conditions; lz4 cost the stream thread a frame header per batch (a JNI
        // xxhash, 9 % of its samples: a transaction writes small batches to ~90 changelog and output partitions) and the broker
        // a decompression to validate each batch. Where the network is the bottleneck, set producer.compression.type=lz4 in
        // --kafka-config.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), COMPRESSION);
        // Under exactly-once (transactions v2) a transaction's first produce often races the previous one's commit
        // markers and is answered CONCURRENT_TRANSACTIONS (then OUT_OF_ORDER_SEQUENCE for the batches behind it), and
        // retried after retry.backoff.ms: at the default 100 ms (growing to 1 s) that wait is most of a record's
        // latency. 10 ms, still growing exponentially to retry.backoff.max.ms for a broker that stays away.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A stream thread that dies does not leave its group: its partitions wait for the session to time out before the
        // thread that replaces it gets them. 10 s instead of 45 s, with heartbeats every 3 s.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        config.putAll(clientOverrides);
        config.putAll(pipeline.streamsOverrides());
        Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }

    /** Settings for a TopologyTestDriver: no broker, a throwaway state dir, the same handlers. */
    public static StreamsSettings forTests(Path stateDir, DeadLetters deadLetters) {
        return new StreamsSettings("127.0.0.1:9", stateDir, "localhost:0", 1, 0, 1,
                16L * 1024 * 1024, 100, deadLetters, Map.of());
    }
}
