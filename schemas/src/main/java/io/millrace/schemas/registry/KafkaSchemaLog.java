package io.millrace.schemas.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A schema log on a single-partition compacted Kafka topic ({@code _schemas} by default), tailed by its own thread. */
public final class KafkaSchemaLog implements SchemaLog {

    public static final String DEFAULT_TOPIC = "_schemas";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration METADATA_RETRY_BACKOFF = Duration.ofMillis(100);

    private final String topic;
    private final TopicPartition partition;
    private final Map<String, Object> commonConfig;

    private final Object progress = new Object();
    private long nextOffsetToApply;
    private boolean caughtUp;
    private RuntimeException tailFailure;

    private volatile boolean closing;
    private KafkaProducer<String, byte[]> producer;
    private Admin admin;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread tailer;

    public KafkaSchemaLog(String bootstrapServers) {
        this(bootstrapServers, DEFAULT_TOPIC, Map.of());
    }

    /** {@code clientOverrides} (security settings, client ids...) apply to the admin, producer and consumer alike. */
    public KafkaSchemaLog(String bootstrapServers, String topic, Map<String, Object> clientOverrides) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = new TopicPartition(topic, 0);
        this.commonConfig = new HashMap<>(clientOverrides);
        this.commonConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
    }

    @Override
    public void start(BiConsumer<String, byte[]> listener) {
        if (tailer != null) {
            throw new IllegalStateException("Schema log '" + topic + "' already started");
        }
        long startedAt = System.nanoTime();
        ensureTopic();
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
        admin = Admin.create(commonConfig);
        consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer());
        tailer = new Thread(() -> tail(listener), "schema-log-" + topic);
        tailer.setDaemon(true);
        tailer.start();
        await(() -> caughtUp, startedAt + TIMEOUT.toNanos(), "replaying '" + topic + "'");
        LOG.info("Schema log '{}' replayed up to offset {} in {} ms", topic, appliedOffset(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    }

    @Override
    public void append(String key, byte[] value) {
        if (producer == null) {
            throw new IllegalStateException("Schema log '" + topic + "' not started");
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long offset;
        try {
            offset = producer.send(new ProducerRecord<>(topic, partition.partition(), key, value))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SchemaRegistryException.storeError("Interrupted while writing to '" + topic + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            throw SchemaRegistryException.storeError("Could not write to '" + topic + "'",
                    e instanceof ExecutionException ? e.getCause() : e);
        }
        await(() -> nextOffsetToApply > offset, deadline, "offset " + offset + " of '" + topic + "' to be applied");
    }

    @Override
    public void sync() {
        if (admin == null) {
            throw new IllegalStateException("Schema log '" + topic + "' not started");
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long end;
        try {
            end = admin.listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                    .partitionResult(partition).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SchemaRegistryException.storeError("Interrupted while reading the end of '" + topic + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            throw SchemaRegistryException.storeError("Could not read the end of '" + topic + "'",
                    e instanceof ExecutionException ? e.getCause() : e);
        }
        await(() -> nextOffsetToApply >= end, deadline, "'" + topic + "' to be replayed up to offset " + end);
    }

    @Override
    public void close() {
        closing = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (tailer != null) {
            try {
                tailer.join(TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(CLOSE_TIMEOUT);
        }
        if (admin != null) {
            admin.close(CLOSE_TIMEOUT);
        }
    }

    private void tail(BiConsumer<String, byte[]> listener) {
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long endAtStart = consumer.endOffsets(List.of(partition)).get(partition);
            markApplied(consumer.position(partition), endAtStart);
            while (!closing) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_INTERVAL)) {
                    applySafely(listener, record);
                }
                // The position, not the last record's offset: compaction leaves gaps that must count as applied.
                markApplied(consumer.position(partition), endAtStart);
            }
        } catch (WakeupException e) {
            if (!closing) {
                failTailing(e);
            }
        } catch (RuntimeException e) {
            failTailing(e);
        } finally {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    // One bad record must not stop every later schema from being seen.
    private void applySafely(BiConsumer<String, byte[]> listener, ConsumerRecord<String, byte[]> record) {
        try {
            listener.accept(record.key(), record.value());
        } catch (RuntimeException e) {
            LOG.warn("Skipping schema log record at offset {} of '{}': {}", record.offset(), topic, e.toString());
        }
    }

    private void markApplied(long position, long endAtStart) {
        synchronized (progress) {
            nextOffsetToApply = position;
            caughtUp = caughtUp || position >= endAtStart;
            progress.notifyAll();
        }
    }

    private void failTailing(RuntimeException e) {
        LOG.error("Schema log '{}' stopped tailing; registrations will fail until restart", topic, e);
        synchronized (progress) {
            tailFailure = e;
            progress.notifyAll();
        }
    }

    private long appliedOffset() {
        synchronized (progress) {
            return nextOffsetToApply;
        }
    }

    private void await(BooleanSupplier condition, long deadlineNanos, String what) {
        synchronized (progress) {
            while (!condition.getAsBoolean()) {
                if (tailFailure != null) {
                    throw SchemaRegistryException.storeError("Schema log '" + topic + "' is not being tailed", tailFailure);
                }
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    throw SchemaRegistryException.storeError("Timed out after " + TIMEOUT.toSeconds()
                            + " s waiting for " + what, null);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw SchemaRegistryException.storeError("Interrupted while waiting for " + what, e);
                }
            }
        }
    }

    private void ensureTopic() {
        try (Admin admin = Admin.create(commonConfig)) {
            int brokers = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            short replicationFactor = (short) Math.min(3, brokers);
            // One replica may be down without blocking registrations, except on a single broker.
            int minInSyncReplicas = Math.max(1, replicationFactor - 1);
            NewTopic newTopic = new NewTopic(topic, 1, replicationFactor).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInSyncReplicas)));
            try {
                admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created schema log topic '{}' (replication factor {}, min.insync.replicas {})",
                        topic, replicationFactor, minInSyncReplicas);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            verifyTopicOnceVisible(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SchemaRegistryException.storeError("Interrupted while preparing '" + topic + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            throw SchemaRegistryException.storeError("Could not prepare schema log topic '" + topic + "'",
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    // A topic just created is known to the controller before every broker can describe it.
    private void verifyTopicOnceVisible(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                verifyTopic(admin);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(METADATA_RETRY_BACKOFF.toMillis());
        }
    }

    // An existing topic made by someone else must still give one total order and keep every record forever.
    private void verifyTopic(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        TopicDescription description = admin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (description.partitions().size() != 1) {
            throw SchemaRegistryException.storeError("Schema log topic '" + topic + "' must have exactly one partition, it has "
                    + description.partitions().size(), null);
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource);
        String cleanupPolicy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(cleanupPolicy)) {
            throw SchemaRegistryException.storeError("Schema log topic '" + topic + "' must have cleanup.policy=compact, it has "
                    + cleanupPolicy, null);
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(commonConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return config;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(commonConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }
}
