package io.millrace.bench.harness;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The upper bound a pipeline is compared with: a plain consumer that re-produces every record's bytes,
 * key and timestamp to another topic with the same partitions and acks, and does nothing else.
 */
final class Passthrough implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    private final Thread thread;

    Passthrough(BenchClients clients, String from, String to, String group) {
        thread = new Thread(() -> relay(clients, from, to, group), "bench-passthrough");
        thread.setDaemon(true);
        thread.start();
    }

    long relayed() {
        return relayed.get();
    }

    /** Records read so far: the relay has begun once this is above zero. */
    long consumed() {
        return consumed.get();
    }

    private void relay(BenchClients clients, String from, String to, String group) {
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(group);
             KafkaProducer<byte[], byte[]> producer = clients.producer(group)) {
            consumer.subscribe(List.of(from));
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                consumed.addAndGet(records.count());
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    producer.send(new ProducerRecord<>(to, record.partition(), record.timestamp(), record.key(), record.value()),
                            (metadata, error) -> {
                                if (error == null) {
                                    relayed.incrementAndGet();
                                }
                            });
                }
                if (!records.isEmpty()) {
                    consumer.commitAsync();
                }
            }
            producer.flush();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }
}
