package io.millrace.topology.testkit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.registry.InMemorySchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Topic;
import io.millrace.topology.runtime.BuiltPipeline;
import io.millrace.topology.runtime.DeadLetters;
import io.millrace.topology.runtime.StoreReader;
import io.millrace.topology.runtime.StreamsSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A pipeline in a TopologyTestDriver, built exactly as the platform builds it ({@link BuiltPipeline}: the same
 * properties, exception handlers and processor guard), with an in-memory schema registry, and helpers for its
 * topics, its rejections and its dead letters.
 */
public final class PipelineTestDriver<P extends Pipeline> implements AutoCloseable {

    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final DeadLetters deadLetters = new DeadLetters(meters);
    public final SchemaRegistry registry = new SchemaRegistry(new InMemorySchemaLog());
    public final AvroSerdes serdes;
    public final P pipeline;
    public final BuiltPipeline built;
    public final TopologyTestDriver driver;
    private final TestOutputTopic<byte[], byte[]> deadLetterTopic;
    private final TestOutputTopic<String, Rejected> rejectedTopic;

    private PipelineTestDriver(Function<PipelineContext, P> pipeline, Path stateDir, Instant start) {
        registry.start();
        serdes = new AvroSerdes(new LocalRegistryClient(registry));
        this.pipeline = pipeline.apply(new PipelineContext(serdes, meters));
        built = BuiltPipeline.of(this.pipeline, StreamsSettings.forTests(stateDir, deadLetters));
        driver = new TopologyTestDriver(built.topology(), driverProperties(built.properties()), start);
        deadLetterTopic = driver.createOutputTopic(this.pipeline.deadLetterTopic(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        rejectedTopic = driver.createOutputTopic(this.pipeline.rejectedTopic(), Serdes.String().deserializer(),
                serdes.value(Rejected.class).deserializer());
    }

    /**
     * The pipeline's own properties, except that the driver runs at-least-once: under exactly-once the driver drops
     * the records a task sends before its first processed record of a round (its capture clears the producer's
     * uncommitted sends), which hides dead letters of undecodable input. Exactly-once itself is tested on a broker.
     */
    private static Properties driverProperties(Properties pipeline) {
        Properties properties = new Properties();
        properties.putAll(pipeline);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        return properties;
    }

    /** Builds {@code pipeline} with this driver's context and starts it with the wall clock at {@code start}. */
    public static <P extends Pipeline> PipelineTestDriver<P> start(Function<PipelineContext, P> pipeline, Path stateDir, Instant start) {
        return new PipelineTestDriver<>(pipeline, stateDir, start);
    }

    public <K, V> TestInputTopic<K, V> input(Topic<K, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** The topic as raw bytes, for records no serializer of ours would write. */
    public TestInputTopic<byte[], byte[]> rawInput(String topic) {
        return driver.createInputTopic(topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    public <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    /** The pipeline's stores in the driver, for its queries. */
    public StoreReader stores() {
        return new StoreReader() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String store) {
                return driver.getKeyValueStore(store);
            }

            @Override
            public <K, V> ReadOnlyWindowStore<K, V> window(String store) {
                return driver.getWindowStore(store);
            }
        };
    }

    /** Reads (and so consumes) what reached the dead-letter topic since the last call. */
    public List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetterTopic.readRecordsToList();
    }

    /** Reads (and so consumes) what reached the rejected topic since the last call. */
    public List<Rejected> rejections() {
        return rejectedTopic.readValuesToList();
    }

    /**
     * Closes the driver; fails when dead letters are left that the test did not read, because a record that a test
     * meant to be processed and that went to the dead-letter topic instead is a failure, even if nothing else noticed.
     */
    @Override
    public void close() {
        List<TestRecord<byte[], byte[]>> unexpected = deadLetterTopic.readRecordsToList();
        driver.close();
        registry.close();
        if (!unexpected.isEmpty()) {
            throw new AssertionError(unexpected.size() + " unexpected dead letter(s) in " + pipeline.deadLetterTopic() + ": "
                    + unexpected.stream().map(PipelineTestDriver::describe).toList());
        }
    }

    /** A dead letter's error headers, for a failure message. */
    public static String describe(TestRecord<byte[], byte[]> letter) {
        return header(letter, "__streams.errors.topic") + "@" + header(letter, "__streams.errors.offset") + ": "
                + header(letter, "__streams.errors.exception") + ": " + header(letter, "__streams.errors.message");
    }

    public static String header(TestRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
