package io.millrace.bench.harness;

import io.millrace.bench.measure.OutputLatency;
import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.bench.simulate.Simulator;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.runtime.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Benchmarks one pipeline against the raw passthrough of the same broker, in one run:
 * <ol>
 * <li>throughput: the same pre-generated events are loaded into the passthrough's input and into the
 * pipeline's inputs before either starts; each is timed from its first processing to having consumed all
 * (for the pipeline: its inputs and its own repartition topics);</li>
 * <li>latency: events made at send time are offered at a fixed rate, and each output record's age
 * (consume time minus the input event's time, which Kafka Streams carries to its outputs) is recorded.</li>
 * </ol>
 */
public final class PipelineBench {

    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(8);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final BenchClients clients;
    private final Consumer<String> progress;

    public PipelineBench(String bootstrapServers, Consumer<String> progress) {
        this.clients = new BenchClients(bootstrapServers);
        this.progress = progress;
    }

    public BenchResult run(Simulator simulator, Target target, PipelineLauncher launcher, int events, Duration latencyDuration, long seed)
            throws InterruptedException {
        String pipeline = simulator.pipeline();
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<SimulatedEvent> batch = pregenerate(simulator, events, seed, target);
        Set<String> inputTopics = new TreeSet<>();
        batch.forEach(e -> inputTopics.add(e.topic()));
        // The mix, for reading the output rate (e.g. the messenger's deliveries per message: its mean fan-out).
        progress.accept(pipeline + ": events by topic " + batch.stream()
                .collect(Collectors.groupingBy(SimulatedEvent::topic, TreeMap::new, Collectors.counting())));
        launcher.provisionTopics();
        try (Admin admin = clients.admin(); org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> reader = clients.committedReader()) {
            int partitions = partitions(admin, inputTopics);
            short replication = replication(admin, inputTopics.iterator().next());

            progress.accept(pipeline + ": passthrough throughput over " + partitions + " partitions, " + events + " events");
            String passIn = "bench.passthrough-in-" + run;
            String passOut = "bench.passthrough-out-" + run;
            createTopics(admin, partitions, replication, passIn, passOut);
            load(batch, passIn);
            long passthroughEvents = Offsets.endSum(admin, List.of(passIn));
            double passthroughRate;
            try (Passthrough relay = new Passthrough(clients, passIn, passOut, "bench-passthrough-" + run)) {
                passthroughRate = passthroughEvents / timeUntilProcessed(pipeline + " passthrough", passthroughEvents,
                        () -> relay.consumed() > 0, relay::relayed);
            }

            // Events for global stores (definitions, settings) are loaded too, but only what the stream
            // threads consume is counted and waited for.
            Set<String> consumed = new TreeSet<>(inputTopics);
            consumed.retainAll(launcher.sourceTopics());
            long counted = batch.stream().filter(e -> consumed.contains(e.topic())).count();
            progress.accept(pipeline + ": pipeline throughput, " + counted + " events; done when its group has consumed "
                    + launcher.sourceTopics());
            double inputRate;
            double seconds;
            long outputRecords;
            OutputLatency.Result passthroughLatency;
            OutputLatency.Result pipelineLatency;
            Ready ready = ready(admin, reader, simulator, launcher, batch, consumed, seed);
            Map<TopicPartition, Long> loaded = ready.loaded();
            long outputBefore = ready.outputBefore();
            try (PipelineLauncher.Started started = ready.started()) {
                // Kafka Streams processes while a rebalance completes: processing has begun with its first record.
                seconds = timeUntilProcessed(pipeline, counted, () -> started.processedRecords() > ready.processedBefore(),
                        () -> Offsets.pipelineCaughtUp(admin, started.consumerGroup(), loaded, launcher.sourceTopics(), reader) ? counted
                                : Math.max(0, Offsets.committedSum(admin, started.consumerGroup(), loaded.keySet()) - ready.committedBefore()));
                inputRate = counted / seconds;
                outputRecords = settledOutput(admin, simulator.outputTopic()) - outputBefore;
                progress.accept(String.format("  %s: %,d events in %.1f s; %,d records on %s", pipeline, counted, seconds,
                        outputRecords, simulator.outputTopic()));
                progress.accept("  " + pipeline + ": broker writes " + BrokerWrites.of(admin, pipeline, inputTopics).perEvent(counted));

                progress.accept(pipeline + ": latency at " + (long) target.latencyRunRate() + " events/s for "
                        + latencyDuration.toSeconds() + " s, passthrough then pipeline");
                String latencyIn = "bench.passthrough-latency-in-" + run;
                String latencyOut = "bench.passthrough-latency-out-" + run;
                createTopics(admin, partitions, replication, latencyIn, latencyOut);
                try (Passthrough relay = new Passthrough(clients, latencyIn, latencyOut, "bench-passthrough-latency-" + run)) {
                    awaitFirstRelay(simulator, latencyIn, relay);
                    passthroughLatency = fixedRate(simulator, seed + 1, target.latencyRunRate(), latencyDuration, latencyIn, latencyOut);
                }
                pipelineLatency = target.windowedOutput()
                        ? new OutputLatency.Result(simulator.outputTopic(), 0, 0, 0, 0, 0, 0, 0)
                        : fixedRate(simulator, seed + 2, target.latencyRunRate(), latencyDuration, null, simulator.outputTopic());
            }
            double outputRate = outputRecords / seconds;
            return BenchResult.of(pipeline, counted, partitions, passthroughRate, inputRate, outputRate, outputRecords,
                    target.latencyRunRate(), passthroughLatency, pipelineLatency, target);
        }
    }

    /**
     * The pipeline started, with the batch loaded and processing about to begin: loaded before it starts or, for a
     * simulator with a standing state, after that state has been loaded and taken in and while the pipeline is paused, so
     * that only the batch is timed. {@code committedBefore} and {@code processedBefore} are where the count starts.
     */
    private record Ready(PipelineLauncher.Started started, Map<TopicPartition, Long> loaded, long committedBefore, double processedBefore,
                         long outputBefore) {
    }

    private Ready ready(Admin admin, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> reader, Simulator simulator, PipelineLauncher launcher, List<SimulatedEvent> batch, Set<String> consumed,
                        long seed) throws InterruptedException {
        List<SimulatedEvent> standing = simulator.standingState(new SplittableRandom(seed + 3), System.currentTimeMillis());
        if (standing.isEmpty()) {
            long outputBefore = Offsets.endSum(admin, List.of(simulator.outputTopic()));
            Map<TopicPartition, Long> before = Offsets.end(admin, consumed);
            load(batch, null);
            Map<TopicPartition, Long> loaded = Offsets.end(admin, consumed);
            return new Ready(launcher.start(), loaded, before.values().stream().mapToLong(Long::longValue).sum(), 0, outputBefore);
        }
        Set<String> standingTopics = new TreeSet<>();
        standing.forEach(e -> standingTopics.add(e.topic()));
        standingTopics.retainAll(launcher.sourceTopics());
        progress.accept(String.format("%s: standing state, %,d events on %s, taken in before the run", simulator.pipeline(),
                standing.size(), standingTopics));
        load(standing, null);
        Map<TopicPartition, Long> standingLoaded = Offsets.end(admin, standingTopics);
        long total = standingLoaded.values().stream().mapToLong(Long::longValue).sum();
        PipelineLauncher.Started started = launcher.start();
        try {
            double seconds = timeUntilProcessed(simulator.pipeline() + " standing state", total, () -> started.processedRecords() > 0,
                    () -> Offsets.pipelineCaughtUp(admin, started.consumerGroup(), standingLoaded, launcher.sourceTopics(), reader) ? total
                            : Math.min(total - 1, Offsets.committedSum(admin, started.consumerGroup(), standingLoaded.keySet())));
            progress.accept(String.format("  %s: standing state taken in: %,d events in %.1f s (%,.0f/s)", simulator.pipeline(), total,
                    seconds, total / seconds));
            started.pause();
            long outputBefore = Offsets.endSum(admin, List.of(simulator.outputTopic()));
            Map<TopicPartition, Long> before = Offsets.end(admin, consumed);
            long committedBefore = Offsets.committedSum(admin, started.consumerGroup(), before.keySet());
            load(batch, null);
            Map<TopicPartition, Long> loaded = Offsets.end(admin, consumed);
            double processedBefore = started.processedRecords();
            started.resume();
            return new Ready(started, loaded, committedBefore, processedBefore, outputBefore);
        } catch (RuntimeException | InterruptedException e) {
            started.close();
            throw e;
        }
    }

    private static List<SimulatedEvent> pregenerate(Simulator simulator, int events, long seed, Target target) {
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.currentTimeMillis();
        double eventsPerMilli = Math.max(1, target.peakTarget()) / 1000.0;
        List<SimulatedEvent> batch = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            // Event time advances as if the events arrived at the peak rate, so windows see realistic density.
            batch.add(simulator.next(random, start + (long) (i / eventsPerMilli)));
        }
        return batch;
    }

    /** Produces the batch at full speed, to {@code topic} or, when null, to each event's own topic. */
    private void load(List<SimulatedEvent> batch, String topic) throws InterruptedException {
        new Loader(clients, progress).load(batch.stream().map(event -> record(event, topic == null ? event.topic() : topic, null)).toList());
    }

    /** Seconds from when processing began to when {@code processed} reached {@code events}. */
    private double timeUntilProcessed(String what, long events, java.util.function.BooleanSupplier begun, LongSupplier processed)
            throws InterruptedException {
        long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
        while (!begun.getAsBoolean()) {
            check(deadline, what + " did not start");
            Thread.sleep(5);
        }
        long start = System.nanoTime();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        long done;
        while ((done = processed.getAsLong()) < events) {
            check(deadline, what + " processed only " + done + " of " + events);
            if (System.nanoTime() >= nextProgress) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                double rate = done / elapsed;
                progress.accept(String.format("  %s: %,d/%,d events, %,.0f/s, ETA %.0f s", what, done, events, rate,
                        rate > 0 ? (events - done) / rate : Double.NaN));
                nextProgress += PROGRESS_EVERY.toNanos();
            }
            Thread.sleep(20);
        }
        return Math.max(1e-3, (System.nanoTime() - start) / 1e9);
    }

    private void awaitFirstRelay(Simulator simulator, String topic, Passthrough relay) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaProducer<byte[], byte[]> producer = clients.producer("bench-warmup")) {
            while (relay.relayed() == 0) {
                check(deadline, "passthrough did not start");
                producer.send(record(simulator.next(new SplittableRandom(), System.currentTimeMillis()), topic, null));
                producer.flush();
                Thread.sleep(100);
            }
        }
    }

    /**
     * Offers events at {@code rate} for {@code duration} while a consumer of {@code outputTopic} records how old
     * each output is; events made at send time, so an output's timestamp is the time its input was sent.
     */
    private OutputLatency.Result fixedRate(Simulator simulator, long seed, double rate, Duration duration, String inputTopic,
                                           String outputTopic) throws InterruptedException {
        OutputLatency latency = OutputLatency.start(clients.bootstrapServers(), outputTopic);
        SplittableRandom random = new SplittableRandom(seed);
        try (KafkaProducer<byte[], byte[]> producer = clients.producer("bench-latency")) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            double nanosPerEvent = 1e9 / rate;
            long sent = 0;
            while (System.nanoTime() < end) {
                long wait = start + (long) (sent * nanosPerEvent) - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                }
                long now = System.currentTimeMillis();
                SimulatedEvent event = simulator.next(random, now);
                producer.send(record(event, inputTopic == null ? event.topic() : inputTopic, now));
                sent++;
            }
            producer.flush();
        }
        // Outputs of the last inputs are still on their way: give them a few seconds before stopping the reader.
        Thread.sleep(3000);
        return latency.stop();
    }

    private static ProducerRecord<byte[], byte[]> record(SimulatedEvent event, String topic, Long timestamp) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, timestamp, event.key(), event.value());
        event.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private long settledOutput(Admin admin, String topic) throws InterruptedException {
        long last = Offsets.endSum(admin, List.of(topic));
        long stableSince = System.nanoTime();
        long deadline = stableSince + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - stableSince < Duration.ofSeconds(1).toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            long now = Offsets.endSum(admin, List.of(topic));
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }

    private static int partitions(Admin admin, Set<String> topics) {
        try {
            return admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .mapToInt(d -> d.partitions().size()).max().orElse(1);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot describe " + topics, e);
        }
    }

    private static short replication(Admin admin, String topic) {
        try {
            return (short) admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0).replicas().size();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot describe " + topic, e);
        }
    }

    private static void createTopics(Admin admin, int partitions, short replication, String... names) {
        new TopicProvisioner(admin).ensure(java.util.Arrays.stream(names)
                .map(name -> TopicSpec.events(name, partitions).with("retention.ms", String.valueOf(Duration.ofHours(1).toMillis())))
                .toList(), replication);
    }

    private static void check(long deadline, String failure) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(failure + " within " + PROCESS_TIMEOUT);
        }
    }
}
