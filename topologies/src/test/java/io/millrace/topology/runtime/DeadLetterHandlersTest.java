package io.millrace.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.topology.Pipeline;
import io.millrace.topology.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterHandlersTest {

    /** Divides 1000 by each number: a non-number fails to decode, a zero fails in processing. */
    static final class DividerPipeline implements Pipeline {
        private final Set<String> redacted;

        DividerPipeline(Set<String> redacted) {
            this.redacted = redacted;
        }

        @Override public String name() { return "divider"; }
        @Override public Set<String> redactedTopics() { return redacted; }
        @Override public List<TopicSpec> topics() { return List.of(); }
        @Override public List<io.millrace.topology.Topic<String, ?>> inputs() { return List.of(); }
        @Override public List<String> queryableStores() { return List.of(); }
        @Override public void build(StreamsBuilder builder) {
            builder.stream("divider.numbers", Consumed.with(Serdes.String(), strictLong()))
                    .mapValues(n -> 1000 / n)
                    .to("divider.quotients", Produced.with(Serdes.String(), Serdes.Long()));
        }
    }

    @TempDir Path stateDir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DeadLetters deadLetters = new DeadLetters(meters);
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> numbers;
    private TestOutputTopic<String, Long> quotients;
    private TestOutputTopic<byte[], byte[]> dlq;
    private BuiltPipeline built;

    @BeforeEach
    void start() {
        start(Set.of());
    }

    private void start(Set<String> redactedTopics) {
        Pipeline pipeline = new DividerPipeline(redactedTopics);
        built = BuiltPipeline.of(pipeline, StreamsSettings.forTests(stateDir.resolve("state-" + redactedTopics.size()), deadLetters));
        Properties props = built.properties();
        driver = new TopologyTestDriver(built.topology(), props);
        numbers = driver.createInputTopic("divider.numbers", Serdes.String().serializer(), Serdes.String().serializer());
        quotients = driver.createOutputTopic("divider.quotients", Serdes.String().deserializer(), Serdes.Long().deserializer());
        dlq = driver.createOutputTopic("divider.dlq", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        assertThat(props.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("divider.dlq");
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void undecodableRecordGoesToDeadLetterTopicAndNextRecordIsProcessed() {
        numbers.pipeInput("k1", "not-a-number");
        numbers.pipeInput("k2", "250");

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not-a-number");
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("k1");
        assertThat(header(dead, "__streams.errors.exception")).contains("SerializationException");
        assertThat(header(dead, "__streams.errors.topic")).isEqualTo("divider.numbers");
        assertThat(quotients.readKeyValuesToList()).singleElement()
                .satisfies(kv -> assertThat(kv.value).isEqualTo(4L));
        assertThat(deadLetters.attempts("divider")).isEqualTo(1);
        assertThat(meters.get("millrace.dead.letter.attempts").tags("pipeline", "divider", "stage", "deserialization")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void recordThatBreaksProcessingGoesToDeadLetterTopicWithItsSourceBytes() {
        numbers.pipeInput("zero", "0");
        numbers.pipeInput("ten", "10");

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("0");
        assertThat(header(dead, "__streams.errors.exception")).contains("ArithmeticException");
        assertThat(quotients.readValuesToList()).containsExactly(100L);
        assertThat(meters.get("millrace.dead.letter.attempts").tags("stage", "processing").counter().count()).isEqualTo(1.0);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithWhatItDidAndTheRecordsAroundItAreProcessed() {
        numbers.pipeInput("a", "10");
        built.poison().mark(new PoisonRecords.Coordinates("divider.numbers", 0, 1), "its output to divider.quotients was refused");
        numbers.pipeInput("b", "20");
        numbers.pipeInput("c", "40");

        assertThat(quotients.readValuesToList()).containsExactly(100L, 25L);
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("20");
        assertThat(header(dead, "__streams.errors.offset")).isEqualTo("1");
        assertThat(header(dead, "__streams.errors.message"))
                .isEqualTo("Skipped divider.numbers-0@1: its output to divider.quotients was refused");
        assertThat(header(dead, "millrace.stage")).isEqualTo("processing");
        assertThat(built.poison().skippedCount()).isEqualTo(1);
    }

    @Test
    void aRecordThatStopsTheThreadTwiceBecomesPoison() {
        PoisonRecords.Coordinates record = new PoisonRecords.Coordinates("divider.numbers", 2, 77);

        assertThat(built.poison().threadFailedOn(record, new StackOverflowError("deep"))).isFalse();
        assertThat(built.poison().threadFailedOn(record, new StackOverflowError("deep"))).isTrue();
        assertThat(built.poison().failureOf(record)).contains("stopped a stream thread 2 times: StackOverflowError: deep");
    }

    @Test
    void aDeadLetterFromATopicThatMayCarrySecretsKeepsOnlyLengths() {
        driver.close();
        start(Set.of("divider.numbers"));
        TestInputTopic<String, String> withHeaders = numbers;
        built.poison().mark(new PoisonRecords.Coordinates("divider.numbers", 0, 0), "card 4111 1111 1111 1111 was refused");
        org.apache.kafka.common.header.internals.RecordHeaders producerHeaders = new org.apache.kafka.common.header.internals.RecordHeaders();
        producerHeaders.add("pan", "4111111111111111".getBytes(StandardCharsets.UTF_8));
        withHeaders.pipeInput(new TestRecord<>("4111111111111111", "4111111111111111", producerHeaders, 0L));

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isNull();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"redacted\":\"lengths\",\"keyLength\":16,\"valueLength\":16}");
        assertThat(dead.headers().lastHeader("pan")).isNull();
        assertThat(header(dead, "__streams.errors.message")).doesNotContain("4111").contains("[redacted]");
        assertThat(header(dead, "millrace.redacted")).isEqualTo("lengths");
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Serde<Long> strictLong() {
        Serializer<Long> serializer = (topic, value) -> value.toString().getBytes(StandardCharsets.UTF_8);
        Deserializer<Long> deserializer = (topic, bytes) -> {
            try {
                return Long.parseLong(new String(bytes, StandardCharsets.UTF_8));
            } catch (NumberFormatException e) {
                throw new SerializationException("not a number");
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
