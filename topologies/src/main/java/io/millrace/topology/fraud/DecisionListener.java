package io.millrace.topology.fraud;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.schemas.fraud.AuthorizationDecision;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each instance's read_committed consumer of every partition of {@value FraudTopics#DECISIONS}, from its end when the
 * instance starts: it tells the {@link DecisionNotifier} of each decision once its transaction has committed, so that
 * an HTTP answer is never a decision a crash could still roll back, and the instance a request came in on answers it.
 * No consumer group: every instance reads every decision. Failures are logged and counted
 * ({@code millrace.fraud.decision.listener.failures}, {@code ...listener.up} is 0 while polling fails); the thread
 * keeps going until closed.
 */
public final class DecisionListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DecisionListener.class);
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration RETRY = Duration.ofSeconds(1);
    static final Duration CLOSE = Duration.ofSeconds(5);
    /** How long the broker may hold a fetch with nothing new: the answer waits at most this long after a commit. */
    static final int FETCH_MAX_WAIT_MS = 5;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<AuthorizationDecision> decisions;
    private final DecisionNotifier notifier;
    private final Counter failures;
    private final Counter read;
    private final AtomicInteger up = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;

    private DecisionListener(Map<String, Object> clientConfig, Deserializer<AuthorizationDecision> decisions, DecisionNotifier notifier,
                             MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-fraud-decision-listener");
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.decisions = decisions;
        this.notifier = notifier;
        this.failures = Counter.builder("millrace.fraud.decision.listener.failures")
                .description("Polls and decision records the fraud decision listener failed on").tag("pipeline", FraudPipeline.NAME).register(meters);
        this.read = Counter.builder("millrace.fraud.decision.listener.decisions")
                .description("Committed decisions the fraud decision listener has read").tag("pipeline", FraudPipeline.NAME).register(meters);
        Gauge.builder("millrace.fraud.decision.listener.up", up, AtomicInteger::get)
                .description("1 while the fraud decision listener polls successfully, 0 otherwise").tag("pipeline", FraudPipeline.NAME).register(meters);
        this.thread = new Thread(this::run, "millrace-fraud-decision-listener");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, error) -> {
            up.set(0);
            failures.increment();
            log.error("fraud: the decision listener stopped; authorizations over HTTP will time out until the instance restarts", error);
        });
    }

    /**
     * Starts listening: every partition is assigned and positioned at its end before this returns, so that any decision
     * of a request published afterwards is seen.
     */
    public static DecisionListener start(Map<String, Object> clientConfig, Deserializer<AuthorizationDecision> decisions,
                                         DecisionNotifier notifier, MeterRegistry meters) {
        DecisionListener listener = new DecisionListener(clientConfig, decisions, notifier, meters);
        try {
            List<TopicPartition> partitions = listener.consumer.partitionsFor(FraudTopics.DECISIONS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("Topic " + FraudTopics.DECISIONS + " has no partitions");
            }
            listener.consumer.assign(partitions);
            listener.consumer.seekToEnd(partitions);
            partitions.forEach(p -> listener.consumer.position(p, Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            listener.consumer.close(CLOSE);
            throw e;
        }
        listener.up.set(1);
        listener.thread.start();
        return listener;
    }

    private void run() {
        try {
            while (closing.getCount() > 0) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        tell(record);
                    }
                    up.set(1);
                } catch (WakeupException closed) {
                    // close() woke the poll: the loop ends.
                } catch (RuntimeException e) {
                    up.set(0);
                    failures.increment();
                    log.warn("fraud: the decision listener could not poll {}; retrying in {} ms: {}", FraudTopics.DECISIONS,
                            RETRY.toMillis(), e.toString());
                    closing.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            up.set(0);
            consumer.close(CLOSE);
        }
    }

    private void tell(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        AuthorizationDecision decision;
        try {
            decision = decisions.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("fraud: the decision listener skipped an undecodable record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getClass().getSimpleName());
            return;
        }
        read.increment();
        notifier.committed(decision.getTransactionId(), decision);
    }

    /** Whether the listener's thread is alive and its last poll succeeded. */
    public boolean isUp() {
        return thread.isAlive() && up.get() == 1;
    }

    @Override
    public void close() {
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(CLOSE.plusSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
