package io.millrace.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;

/**
 * Writes a benchmark's events before the run. A producer sends only once it knows the leader of every partition it
 * writes to (a topic created a moment ago may not have one in its metadata yet), and a producer that fails for good
 * (an idempotent session broken by NOT_LEADER, then OUT_OF_ORDER_SEQUENCE until its records expire) is replaced by a
 * fresh one that sends what was not acknowledged, instead of failing the run.
 */
final class Loader {

    static final int ATTEMPTS = 5;
    private static final Duration LEADERS_TIMEOUT = Duration.ofSeconds(60);

    private final BenchClients clients;
    private final Consumer<String> progress;

    Loader(BenchClients clients, Consumer<String> progress) {
        this.clients = clients;
        this.progress = progress;
    }

    void load(List<ProducerRecord<byte[], byte[]>> records) throws InterruptedException {
        BitSet acknowledged = new BitSet(records.size());
        for (int attempt = 1; ; attempt++) {
            AtomicReference<Exception> failure = new AtomicReference<>();
            try (KafkaProducer<byte[], byte[]> producer = clients.producer("bench-loader-" + attempt)) {
                awaitLeaders(producer, topicsOf(records));
                for (int i = acknowledged.nextClearBit(0); i < records.size(); i = acknowledged.nextClearBit(i + 1)) {
                    int index = i;
                    producer.send(records.get(i), (metadata, error) -> {
                        if (error == null) {
                            synchronized (acknowledged) {
                                acknowledged.set(index);
                            }
                        } else {
                            failure.compareAndSet(null, error);
                        }
                    });
                }
                producer.flush();
            }
            int missing = records.size() - acknowledged.cardinality();
            if (missing == 0) {
                return;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("Loading the benchmark's events failed: " + missing + " of " + records.size()
                        + " never acknowledged after " + ATTEMPTS + " producers", failure.get());
            }
            progress.accept("  loader: " + missing + " records not acknowledged (" + failure.get() + "); a fresh producer sends them");
        }
    }

    private static Set<String> topicsOf(List<ProducerRecord<byte[], byte[]>> records) {
        Set<String> topics = new TreeSet<>();
        records.forEach(record -> topics.add(record.topic()));
        return topics;
    }

    /** Waits until the producer's own metadata names a leader for every partition of {@code topics}. */
    private static void awaitLeaders(KafkaProducer<byte[], byte[]> producer, Set<String> topics) throws InterruptedException {
        long deadline = System.nanoTime() + LEADERS_TIMEOUT.toNanos();
        List<String> leaderless = new ArrayList<>(topics);
        while (!leaderless.isEmpty()) {
            leaderless.removeIf(topic -> producer.partitionsFor(topic).stream().allMatch(Loader::hasLeader));
            if (!leaderless.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("No leader known to the producer within " + LEADERS_TIMEOUT + " for " + leaderless);
                }
                Thread.sleep(50);
            }
        }
    }

    private static boolean hasLeader(PartitionInfo partition) {
        return partition.leader() != null && !partition.leader().isEmpty();
    }
}
