package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.app.broker.EmbeddedKafka;
import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.serde.AvroSerde;
import io.millrace.topology.Pipeline;
import io.millrace.topology.Topic;
import io.millrace.topology.runtime.Rejections;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Junk on every input topic of every pipeline, generated from the pipelines' own declarations ({@link Pipeline#inputs()}),
 * so a new pipeline is fuzzed without a line here: random bytes, an unknown schema id, another topic's schema id, a
 * truncated record, a valid record with trailing bytes, an empty value, tombstones, a valid record too large for its
 * topic, interleaved with good records from the pipeline's simulator and random records of the topic's schema.
 * Every bad record must reach the dead-letter topic (or, for a tombstone on a topic of events, the rejected topic)
 * exactly once, no good record may, every record must be consumed, and no pipeline may stop or degrade. Runs on a
 * broker of its own, so the junk stays out of the other tests' topics.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class KafkaFuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20261010L;
    private static final int GOOD_FROM_SIMULATOR = 30;
    private static final int GOOD_RANDOM = 10;
    private static final String FUZZ_HEADER = "millrace-fuzz";

    private static EmbeddedKafka kafka;
    private static Platform platform;

    /** One record sent: which case it was, where it landed, and what must become of it. */
    private record Sent(String topic, String fuzzCase, Outcome expected, int partition, long offset) {
    }

    private enum Outcome { PROCESSED, DEAD_LETTER, NO_VALUE, DELETE }

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(Files.createTempDirectory("millrace-fuzz-kafka"), 0);
        // No names: every pipeline of the catalog runs.
        platform = TestPlatform.startOn(kafka.bootstrapServers(), Files.createTempDirectory("millrace-fuzz-app"),
                PipelineModules.discover());
        TestPlatform.awaitRunning(platform, Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyBadRecordOnEveryInputEndsInTheDeadLetterOrRejectedTopicExactlyOnceAndNothingStops() throws Exception {
        Random random = new Random(SEED);
        List<Pipeline> pipelines = platform.pipelines().stream().map(p -> p.pipeline()).toList();
        Map<String, List<Good>> goodByTopic = goodRecords(pipelines, random);
        List<Sent> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Pipeline pipeline : pipelines) {
                for (Topic<String, ?> input : pipeline.inputs()) {
                    List<Probe> probes = probes(input, goodByTopic, random);
                    Collections.shuffle(probes, random);
                    for (Probe probe : probes) {
                        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(input.name(), probe.key(), probe.value());
                        record.headers().add(FUZZ_HEADER, probe.fuzzCase().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        RecordMetadata landed = producer.send(record).get(30, TimeUnit.SECONDS);
                        sent.add(new Sent(input.name(), probe.fuzzCase(), probe.expected(), landed.partition(), landed.offset()));
                    }
                }
            }
        }

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (JsonNode info : pipelinesInfo()) {
                assertThat(info.get("lag").asLong()).as("records left unconsumed by %s: %s", info.get("name").asText(), info.get("lagByTopic"))
                        .isZero();
            }
        });

        Map<String, List<ConsumerRecord<byte[], byte[]>>> letters = new HashMap<>();
        Map<String, List<Rejected>> rejections = new HashMap<>();
        for (Pipeline pipeline : pipelines) {
            letters.put(pipeline.name(), committed(pipeline.deadLetterTopic()));
            var rejectedSerde = platform.pipelineContext().serdes().value(Rejected.class);
            rejections.put(pipeline.name(), committed(pipeline.rejectedTopic()).stream()
                    .map(r -> rejectedSerde.deserializer().deserialize(pipeline.rejectedTopic(), r.value())).toList());
        }
        Map<String, String> report = new TreeMap<>();
        for (Pipeline pipeline : pipelines) {
            for (Topic<String, ?> input : pipeline.inputs()) {
                List<Sent> toTopic = sent.stream().filter(s -> s.topic().equals(input.name())).toList();
                List<String> deadLettered = letters.get(pipeline.name()).stream()
                        .filter(l -> input.name().equals(Topics.header(l, "__streams.errors.topic")))
                        .map(l -> Topics.header(l, "__streams.errors.partition") + "@" + Topics.header(l, "__streams.errors.offset"))
                        .toList();
                List<String> expectedDead = toTopic.stream().filter(s -> s.expected() == Outcome.DEAD_LETTER)
                        .map(s -> s.partition() + "@" + s.offset()).toList();
                assertThat(deadLettered).as("dead letters of %s (partition@offset), each bad record exactly once", input.name())
                        .containsExactlyInAnyOrderElementsOf(expectedDead);
                long noValue = rejections.get(pipeline.name()).stream()
                        .filter(r -> r.getSourceTopic().equals(input.name()) && r.getCode().equals(Rejections.NO_VALUE)).count();
                long tombstones = toTopic.stream().filter(s -> s.expected() == Outcome.NO_VALUE).count();
                assertThat(noValue).as("tombstones on %s rejected as NO_VALUE", input.name()).isEqualTo(tombstones);
                report.put(input.name(), String.format(Locale.ROOT, "%d records: %d good, %d dead-lettered, %d rejected without a value, "
                                + "%d deletes", toTopic.size(), toTopic.stream().filter(s -> s.expected() == Outcome.PROCESSED).count(),
                        deadLettered.size(), noValue, toTopic.stream().filter(s -> s.expected() == Outcome.DELETE).count()));
            }
        }
        report.forEach((topic, line) -> System.out.println("Kafka fuzz " + topic + ": " + line));
        System.out.println("Kafka fuzz total: " + sent.size() + " records on " + report.size() + " topics");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (JsonNode info : pipelinesInfo()) {
                String name = info.get("name").asText();
                assertThat(info.get("deadLetters").asLong()).as("%s's dead-letter counter against its topic", name)
                        .isEqualTo(letters.get(name).size());
            }
        });
        for (JsonNode info : pipelinesInfo()) {
            assertThat(info.get("state").asText()).as(info.get("name").asText()).isEqualTo("RUNNING");
            assertThat(info.get("status").asText()).as(info.get("name").asText()).isEqualTo("UP");
            assertThat(info.get("threadFailures").asInt()).as(info.get("name").asText()).isZero();
        }
        assertThat(TestPlatform.get(platform, "/health").statusCode()).isEqualTo(200);
    }

    private record Probe(String fuzzCase, byte[] key, byte[] value, Outcome expected) {
    }

    /** A record that decodes and is keyed as its producer would key it. */
    private record Good(byte[] key, byte[] value) {
    }

    /** The good records and the junk for one input topic. */
    private static List<Probe> probes(Topic<String, ?> input, Map<String, List<Good>> goodByTopic, Random random) {
        boolean compacted = "compact".equals(input.spec().config().get("cleanup.policy"));
        byte[] key = Topics.utf8("fuzz-" + input.name());
        List<Good> good = goodByTopic.get(input.name());
        byte[] sample = good.get(random.nextInt(good.size())).value();
        byte[] foreign = foreign(input.name(), goodByTopic, random);
        List<Probe> probes = new ArrayList<>();
        for (Good record : good) {
            probes.add(new Probe("good", record.key(), record.value(), Outcome.PROCESSED));
        }
        for (int i = 0; i < 3; i++) {
            byte[] junk = new byte[1 + random.nextInt(200)];
            random.nextBytes(junk);
            junk[0] = (byte) (i == 0 ? 0 : junk[0] == 0 ? 1 : junk[0]);
            probes.add(new Probe("random-bytes", key, junk, Outcome.DEAD_LETTER));
        }
        probes.add(new Probe("unknown-schema-id", key, withSchemaId(sample, 999_999), Outcome.DEAD_LETTER));
        probes.add(new Probe("another-topics-schema-id", key, foreign, Outcome.DEAD_LETTER));
        probes.add(new Probe("truncated", key, Arrays.copyOf(sample, Math.max(5, sample.length / 2)), Outcome.DEAD_LETTER));
        probes.add(new Probe("trailing-bytes", key, concat(sample, new byte[] {1, 2, 3}), Outcome.DEAD_LETTER));
        probes.add(new Probe("empty", key, new byte[0], Outcome.DEAD_LETTER));
        probes.add(new Probe("oversized-valid", key, oversized(input, sample), Outcome.DEAD_LETTER));
        probes.add(new Probe("tombstone", key, null, compacted ? Outcome.DELETE : Outcome.NO_VALUE));
        if (!compacted) {
            probes.add(new Probe("keyless-tombstone", null, null, Outcome.NO_VALUE));
            probes.add(new Probe("keyless-valid", null, sample, Outcome.PROCESSED));
        }
        return probes;
    }

    /** Good records per input topic: what the pipeline's simulator makes for it, and random records of its schema. */
    private static Map<String, List<Good>> goodRecords(List<Pipeline> pipelines, Random random) {
        Map<String, List<Good>> good = new HashMap<>();
        for (Pipeline pipeline : pipelines) {
            Set<String> inputs = pipeline.inputs().stream().map(Topic::name).collect(Collectors.toSet());
            for (Simulator simulator : platform.simulators().stream().filter(s -> s.pipeline().equals(pipeline.name())).toList()) {
                SplittableRandom events = new SplittableRandom(random.nextLong());
                for (int i = 0; i < 20_000; i++) {
                    SimulatedEvent event = simulator.next(events, System.currentTimeMillis());
                    List<Good> kept = good.computeIfAbsent(event.topic(), t -> new ArrayList<>());
                    if (inputs.contains(event.topic()) && kept.size() < GOOD_FROM_SIMULATOR && decodes(pipeline, event)) {
                        kept.add(new Good(event.key(), event.value()));
                    }
                }
            }
            for (Topic<String, ?> input : pipeline.inputs()) {
                good.computeIfAbsent(input.name(), t -> new ArrayList<>()).addAll(randomRecords(input, random.nextLong()));
            }
        }
        return good;
    }

    private static boolean decodes(Pipeline pipeline, SimulatedEvent event) {
        Topic<String, ?> topic = pipeline.inputs().stream().filter(t -> t.name().equals(event.topic())).findFirst().orElseThrow();
        try {
            return event.value() != null && topic.boundedDeserializer().deserialize(topic.name(), event.value()) != null;
        } catch (RuntimeException simulatedJunk) {
            return false;
        }
    }

    /** Records of the topic's schema with random values, their times set to now so that no window is pushed into the future. */
    @SuppressWarnings("unchecked")
    private static List<Good> randomRecords(Topic<String, ?> input, long seed) {
        Schema schema = ((AvroSerde<?>) input.valueSerde()).schema();
        Serializer<Object> serializer = (Serializer<Object>) input.valueSerde().serializer();
        List<Good> records = new ArrayList<>();
        for (Object generated : new RandomData(SpecificData.getForSchema(schema), schema, GOOD_RANDOM, seed)) {
            SpecificRecord record = (SpecificRecord) generated;
            for (Schema.Field field : schema.getFields()) {
                if (field.schema().getType() == Schema.Type.LONG
                        && (field.name().toLowerCase(Locale.ROOT).endsWith("timestamp") || field.name().endsWith("At"))) {
                    record.put(field.pos(), System.currentTimeMillis());
                }
            }
            byte[] value = serializer.serialize(input.name(), record);
            records.add(new Good(Topics.utf8("fuzz-random-" + Arrays.hashCode(value)), value));
        }
        return records;
    }

    /** A valid record of the topic's type whose first string field is inflated past the topic's event limit. */
    @SuppressWarnings("unchecked")
    private static byte[] oversized(Topic<String, ?> input, byte[] sample) {
        SpecificRecord record = (SpecificRecord) input.valueSerde().deserializer().deserialize(input.name(), sample);
        Schema schema = record.getSchema();
        Schema.Field text = schema.getFields().stream().filter(f -> accepts(f.schema(), Schema.Type.STRING)).findFirst().orElseThrow();
        record.put(text.pos(), "x".repeat(input.maxEventBytes() + 1024));
        return ((Serializer<Object>) input.valueSerde().serializer()).serialize(input.name(), record);
    }

    private static boolean accepts(Schema schema, Schema.Type type) {
        return schema.getType() == type || schema.getType() == Schema.Type.UNION && schema.getTypes().stream().anyMatch(s -> s.getType() == type);
    }

    /** A good record of another input topic: a valid wire-format record whose schema id names another record type. */
    private static byte[] foreign(String topic, Map<String, List<Good>> goodByTopic, Random random) {
        List<String> others = goodByTopic.keySet().stream().filter(t -> !t.equals(topic) && !goodByTopic.get(t).isEmpty()).sorted().toList();
        List<Good> candidates = goodByTopic.get(others.get(random.nextInt(others.size())));
        return candidates.get(random.nextInt(candidates.size())).value();
    }

    private static byte[] withSchemaId(byte[] payload, int id) {
        byte[] copy = payload.clone();
        ByteBuffer.wrap(copy).putInt(1, id);
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static JsonNode pipelinesInfo() throws Exception {
        return JSON.readTree(TestPlatform.get(platform, "/api/pipelines").body());
    }

    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        return Topics.committed(kafka.bootstrapServers(), topic);
    }

}
