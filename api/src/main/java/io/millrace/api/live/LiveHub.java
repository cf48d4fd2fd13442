package io.millrace.api.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.millrace.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves subscriptions on this instance. Each subscribed topic is read once here, by one consumer of its own (no group,
 * every partition, read_committed, from the end when the first client arrives), and each record goes to the connections
 * that follow its key or every key; a record nobody here follows is not even decoded. So every instance reads each
 * subscribed topic whole, whoever owns its partitions: the cost per instance is the topic's throughput, not the number
 * of subscribers, and adding instances adds readers, not work per record. Each connection has a bounded queue and one
 * sender at a time: a slow client fills its own queue, gets {@code resync} and is closed, and never holds up the
 * consumer or the other clients.
 */
public final class LiveHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);
    /** Events a client may be behind before it is told to resync. */
    public static final int DEFAULT_QUEUE = 1_000;
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> consumerConfig;
    private final MeterRegistry meters;
    private final int queueCapacity;
    private final Map<String, Tail<?>> tails = new ConcurrentHashMap<>();
    private final Set<Connection<?>> connections = ConcurrentHashMap.newKeySet();
    private final Map<List<String>, AtomicInteger> connected = new ConcurrentHashMap<>();
    final ExecutorService senders = Executors.newCachedThreadPool(daemon("millrace-live-send"));
    final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("millrace-live-timer"));
    private volatile boolean closed;

    public LiveHub(Map<String, Object> consumerConfig, MeterRegistry meters, int queueCapacity, Duration heartbeat) {
        this.consumerConfig = Map.copyOf(consumerConfig);
        this.meters = meters;
        this.queueCapacity = queueCapacity;
        timers.scheduleAtFixedRate(() -> connections.forEach(Connection::heartbeat), heartbeat.toMillis(), heartbeat.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a connection following {@code follow} on {@code subscription}'s topic: from {@code since} (everything after it,
     * read from the topic, then live) or from now. The first event it gets is {@code ready}, whose id is where it starts.
     */
    public <V> Connection<V> connect(Subscription<V> subscription, Follow<V> follow, Optional<Position> since, Transport transport) {
        if (closed) {
            throw ApiException.unavailable("This instance is stopping", 2);
        }
        Tail<V> tail = tail(subscription);
        Connection<V> connection = new Connection<>(this, subscription.name, follow, transport, queueCapacity);
        List<Integer> partitions = follow.key().map(key -> List.of(tail.partitionOf(key))).orElseGet(tail::allPartitions);
        // Registered first, then the tail's position read: a record past that position reaches the queue; one before it is
        // history, which a resuming client reads from the topic.
        tail.add(connection, follow.key());
        Map<Integer, Long> now = new HashMap<>();
        partitions.forEach(p -> now.put(p, tail.claimed(p)));
        connections.add(connection);
        gauge(subscription.name, transport.kind()).incrementAndGet();
        connection.onClose(() -> {
            tail.remove(connection, follow.key());
            connections.remove(connection);
            gauge(subscription.name, transport.kind()).decrementAndGet();
        });
        if (since.isEmpty()) {
            connection.start(Position.of(now));
        } else {
            counter("millrace_live_resumes_total", subscription.name).increment();
            senders.execute(() -> catchUp(tail, connection, follow, since.get(), now));
        }
        return connection;
    }

    /** Reads what a resuming client missed, from its position to where the live stream took over, then lets it go live. */
    private <V> void catchUp(Tail<V> tail, Connection<V> connection, Follow<V> follow, Position since, Map<Integer, Long> until) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-live-resume-" + UUID.randomUUID());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = until.keySet().stream().map(p -> new TopicPartition(tail.topic, p)).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions);
            Map<Integer, Long> from = new HashMap<>();
            for (TopicPartition partition : partitions) {
                long wanted = since.next().getOrDefault(partition.partition(), until.get(partition.partition()));
                if (wanted < first.get(partition)) {
                    counter("millrace_live_dropped_total", tail.name, "reason", "history_gone").increment();
                    connection.resync("history_gone", "The events after this position are no longer kept; read the current state and subscribe again");
                    return;
                }
                from.put(partition.partition(), Math.min(wanted, until.get(partition.partition())));
                consumer.seek(partition, from.get(partition.partition()));
            }
            connection.beginCatchUp(Position.of(from));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < until.get(p.partition()))) {
                if (System.nanoTime() > deadline || connection.isClosed()) {
                    connection.close();
                    return;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() >= until.get(record.partition()) || !tail.follows(follow, record)) {
                        continue;
                    }
                    connection.replay(record.partition(), record.offset(), tail.decode(record));
                }
            }
            connection.goLive(Position.of(until));
        } catch (RuntimeException e) {
            log.warn("{}: a client's catch-up failed: {}", tail.name, e.toString());
            connection.close();
        }
    }

    @SuppressWarnings("unchecked")
    private <V> Tail<V> tail(Subscription<V> subscription) {
        Tail<V> tail = (Tail<V>) tails.computeIfAbsent(subscription.topic, topic -> {
            Tail<V> started = new Tail<>(subscription);
            started.start();
            return started;
        });
        tail.awaitReady();
        return tail;
    }

    void sent(String stream) {
        counter("millrace_live_events_total", stream).increment();
    }

    void droppedSlow(String stream) {
        counter("millrace_live_dropped_total", stream, "reason", "slow_client").increment();
    }

    private Counter counter(String name, String stream, String... tags) {
        return Counter.builder(name).tags(Tags.of("stream", stream).and(tags)).register(meters);
    }

    private AtomicInteger gauge(String stream, String transport) {
        return connected.computeIfAbsent(List.of(stream, transport), key -> {
            AtomicInteger value = new AtomicInteger();
            meters.gauge("millrace_live_connections", Tags.of("stream", stream, "transport", transport), value);
            return value;
        });
    }

    /** Connections open on this instance, for tests and the dashboard. */
    public int connections() {
        return connections.size();
    }

    @Override
    public void close() {
        closed = true;
        new ArrayList<>(connections).forEach(Connection::close);
        tails.values().forEach(Tail::stop);
        timers.shutdownNow();
        senders.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One topic read from its end by one consumer, each record handed to the connections that follow it. */
    private final class Tail<V> {
        final String name;
        final String topic;
        private final Subscription<V> subscription;
        private final Map<String, Set<Connection<V>>> byKey = new ConcurrentHashMap<>();
        private final Set<Connection<V>> everyKey = ConcurrentHashMap.newKeySet();
        private final CountDownLatch ready = new CountDownLatch(1);
        private final KafkaConsumer<byte[], byte[]> consumer;
        private volatile AtomicLongArray claimed;
        private volatile RuntimeException failure;
        private volatile boolean running = true;
        private Thread thread;

        Tail(Subscription<V> subscription) {
            this.subscription = subscription;
            this.name = subscription.name;
            this.topic = subscription.topic;
            Map<String, Object> config = new HashMap<>(consumerConfig);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-live-" + topic + "-" + UUID.randomUUID());
            this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        void start() {
            thread = new Thread(this::run, "millrace-live-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, READY_TIMEOUT);
                List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                AtomicLongArray positions = new AtomicLongArray(partitions.size());
                partitions.forEach(p -> positions.set(p.partition(), consumer.position(p)));
                claimed = positions;
                ready.countDown();
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        // Claimed before it is routed: a connection registered after this sees it as history, one before in its queue.
                        claimed.set(record.partition(), record.offset() + 1);
                        dispatch(record);
                    }
                }
            } catch (WakeupException stopping) {
                // close() wakes the consumer
            } catch (RuntimeException e) {
                failure = e;
                log.error("{}: the live stream of {} stopped: {}", name, topic, e.toString());
                new ArrayList<>(everyKey).forEach(Connection::close);
                byKey.values().forEach(set -> new ArrayList<>(set).forEach(Connection::close));
                tails.remove(topic, this);
            } finally {
                ready.countDown();
                consumer.close(Duration.ofSeconds(2));
            }
        }

        private void dispatch(ConsumerRecord<byte[], byte[]> record) {
            Set<Connection<V>> keyed = record.key() == null ? Set.of() : byKey.getOrDefault(new String(record.key(), StandardCharsets.UTF_8), Set.of());
            if (keyed.isEmpty() && everyKey.isEmpty()) {
                return;
            }
            V value = decode(record);
            if (value == null) {
                return;
            }
            keyed.forEach(c -> c.offer(record.partition(), record.offset(), value));
            everyKey.forEach(c -> c.offer(record.partition(), record.offset(), value));
        }

        V decode(ConsumerRecord<byte[], byte[]> record) {
            try {
                return record.value() == null ? null : subscription.values.deserialize(record.topic(), record.value());
            } catch (RuntimeException undecodable) {
                // Output topics are written by the pipeline: this would be a bug there, not a reason to stop the stream.
                counter("millrace_live_dropped_total", name, "reason", "undecodable").increment();
                return null;
            }
        }

        boolean follows(Follow<V> follow, ConsumerRecord<byte[], byte[]> record) {
            return follow.key().isEmpty() || (record.key() != null && follow.key().get().equals(new String(record.key(), StandardCharsets.UTF_8)));
        }

        void awaitReady() {
            try {
                if (!ready.await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || claimed == null) {
                    throw ApiException.unavailable("The stream " + name + " is not readable right now" + (failure == null ? ""
                            : ": " + failure.getClass().getSimpleName()), 5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("Interrupted", 2);
            }
        }

        int partitionOf(String key) {
            return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % claimed.length();
        }

        List<Integer> allPartitions() {
            List<Integer> all = new ArrayList<>();
            for (int p = 0; p < claimed.length(); p++) {
                all.add(p);
            }
            return all;
        }

        long claimed(int partition) {
            return claimed.get(partition);
        }

        void add(Connection<V> connection, Optional<String> key) {
            key.ifPresentOrElse(k -> byKey.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(connection),
                    () -> everyKey.add(connection));
        }

        void remove(Connection<V> connection, Optional<String> key) {
            key.ifPresentOrElse(k -> byKey.computeIfPresent(k, (x, set) -> {
                set.remove(connection);
                return set.isEmpty() ? null : set;
            }), () -> everyKey.remove(connection));
        }

        void stop() {
            running = false;
            consumer.wakeup();
        }
    }
}
