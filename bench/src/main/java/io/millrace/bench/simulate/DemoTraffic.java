package io.millrace.bench.simulate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Background traffic for {@code run --demo}: every simulator at a gentle rate, so the dashboard shows live data. */
public final class DemoTraffic implements AutoCloseable {

    private static final int EVENTS_PER_TICK = 5;
    private static final long TICK_MS = 100;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "millrace-demo-traffic");
        thread.setDaemon(true);
        return thread;
    });
    private final KafkaProducer<byte[], byte[]> producer;

    private DemoTraffic(KafkaProducer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** Starts producing the events of {@code simulators} at a gentle rate. */
    public static DemoTraffic start(List<Simulator> simulators, Map<String, Object> clientConfig) {
        Map<String, Object> config = new java.util.HashMap<>(clientConfig);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "millrace-demo");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        DemoTraffic demo = new DemoTraffic(producer);
        SplittableRandom random = new SplittableRandom();
        demo.scheduler.scheduleAtFixedRate(() -> {
            for (Simulator simulator : simulators) {
                for (int i = 0; i < EVENTS_PER_TICK; i++) {
                    SimulatedEvent event = simulator.next(random, System.currentTimeMillis());
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(event.topic(), event.key(), event.value());
                    event.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                    producer.send(record);
                }
            }
        }, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return demo;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        producer.close();
    }
}
