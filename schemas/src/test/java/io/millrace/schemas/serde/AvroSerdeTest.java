package io.millrace.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.schemas.common.MetricPoint;
import io.millrace.schemas.registry.InMemorySchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String TOPIC = "metrics.points";

    /** MetricPoint as first released, before it had tags. */
    private static final Schema METRIC_POINT_WITHOUT_TAGS = new Schema.Parser().parse("""
            {"type": "record", "name": "MetricPoint", "namespace": "io.millrace.schemas.common",
             "fields": [{"name": "series", "type": "string"},
                        {"name": "timestamp", "type": "long"},
                        {"name": "value", "type": "double"}]}
            """);

    /** A later MetricPoint with a unit this code does not know about yet. */
    private static final Schema METRIC_POINT_WITH_UNIT = new Schema.Parser().parse("""
            {"type": "record", "name": "MetricPoint", "namespace": "io.millrace.schemas.common",
             "fields": [{"name": "series", "type": "string"},
                        {"name": "timestamp", "type": "long"},
                        {"name": "value", "type": "double"},
                        {"name": "tags", "type": {"type": "map", "values": "string"}, "default": {}},
                        {"name": "unit", "type": "string", "default": "1"}]}
            """);

    private SchemaRegistry registry;
    private CountingClient client;
    private AvroSerde<MetricPoint> serde;

    @BeforeEach
    void setUp() {
        registry = new SchemaRegistry(new InMemorySchemaLog());
        registry.start();
        client = new CountingClient(new LocalRegistryClient(registry));
        serde = new AvroSerde<>(client, MetricPoint.class, false);
    }

    @AfterEach
    void tearDown() {
        serde.close();
        registry.close();
    }

    @Test
    void roundTripsAMetricPoint() {
        MetricPoint point = checkoutLatency(1_732_000_000_000L, 187.5);

        byte[] bytes = serde.serializer().serialize(TOPIC, point);

        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(point);
    }

    @Test
    void framesPlainAvroBinaryWithMagicByteAndTheRegisteredId() throws IOException {
        byte[] bytes = serde.serializer().serialize(TOPIC, checkoutLatency(1_732_000_000_000L, 187.5));

        int registeredId = registry.version(TOPIC + "-value", "latest").id();
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(registeredId);
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(MetricPoint.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertThat(decoded.get("series")).hasToString("checkout.latency.ms");
        assertThat(decoded.get("timestamp")).isEqualTo(1_732_000_000_000L);
        assertThat(decoded.get("value")).isEqualTo(187.5);
    }

    @Test
    void registersValueAndKeySchemasUnderTheTopicsSubjects() {
        try (AvroSerde<MetricPoint> keySerde = new AvroSerde<>(client, MetricPoint.class, true)) {
            serde.serializer().serialize(TOPIC, checkoutLatency(1L, 1.0));
            keySerde.serializer().serialize(TOPIC, checkoutLatency(1L, 1.0));
        }

        assertThat(registry.subjects()).containsExactly(TOPIC + "-key", TOPIC + "-value");
    }

    @Test
    void registersTheWriterSchemaOncePerTopic() {
        for (int i = 0; i < 5; i++) {
            serde.serializer().serialize(TOPIC, checkoutLatency(i, i));
        }
        serde.serializer().serialize("metrics.rollups", checkoutLatency(6L, 6.0));

        assertThat(client.registrations).hasValue(2);
    }

    @Test
    void fetchesEachWriterSchemaOnce() {
        byte[] bytes = serde.serializer().serialize(TOPIC, checkoutLatency(1L, 1.0));
        AvroSerde<MetricPoint> reader = new AvroSerde<>(client, MetricPoint.class, false);

        for (int i = 0; i < 5; i++) {
            reader.deserializer().deserialize(TOPIC, bytes);
        }

        assertThat(client.fetches).hasValue(1);
    }

    @Test
    void turnsNullIntoNullBothWays() {
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void readsRecordsWrittenWithTheOlderSchemaAndAcceptsTheCurrentOneAsVersionTwo() throws IOException {
        int oldId = registry.register(TOPIC + "-value", METRIC_POINT_WITHOUT_TAGS.toString()).id();
        GenericRecord old = new GenericData.Record(METRIC_POINT_WITHOUT_TAGS);
        old.put("series", "queue.depth");
        old.put("timestamp", 1_732_000_000_000L);
        old.put("value", 12.0);

        MetricPoint read = serde.deserializer().deserialize(TOPIC, wireFormat(oldId, METRIC_POINT_WITHOUT_TAGS, old));
        serde.serializer().serialize(TOPIC, read);

        assertThat(read.getSeries()).isEqualTo("queue.depth");
        assertThat(read.getValue()).isEqualTo(12.0);
        assertThat(read.getTags()).isEmpty();
        assertThat(registry.versions(TOPIC + "-value")).containsExactly(1, 2);
    }

    @Test
    void readsRecordsWrittenWithANewerSchemaIgnoringUnknownFields() throws IOException {
        int newId = registry.register("metrics.next-value", METRIC_POINT_WITH_UNIT.toString()).id();
        GenericRecord newer = new GenericData.Record(METRIC_POINT_WITH_UNIT);
        newer.put("series", "disk.free");
        newer.put("timestamp", 1_732_000_000_000L);
        newer.put("value", 0.42);
        newer.put("tags", Map.of("host", "db-1"));
        newer.put("unit", "ratio");

        MetricPoint read = serde.deserializer().deserialize(TOPIC, wireFormat(newId, METRIC_POINT_WITH_UNIT, newer));

        assertThat(read.getSeries()).isEqualTo("disk.free");
        assertThat(read.getTags()).containsEntry("host", "db-1");
    }

    @Test
    void rejectsAPayloadWithoutTheMagicByteWithoutEchoingIt() {
        byte[] plainText = "card=4111111111111111".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, plainText))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte")
                .hasMessageNotContaining("4111")
                .hasMessageNotContaining(String.valueOf(plainText[0]));
    }

    @Test
    void rejectsAPayloadTooShortForTheHeader() {
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes");
    }

    @Test
    void rejectsAnUnknownSchemaId() {
        byte[] bytes = serde.serializer().serialize(TOPIC, checkoutLatency(1L, 1.0));
        ByteBuffer.wrap(bytes).putInt(1, 99);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("99");
    }

    @Test
    void rejectsATruncatedBody() {
        byte[] bytes = serde.serializer().serialize(TOPIC, checkoutLatency(1L, 1.0));
        byte[] truncated = Arrays.copyOf(bytes, 8);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void rejectsAValidRecordFollowedByTrailingBytes() {
        byte[] bytes = serde.serializer().serialize(TOPIC, checkoutLatency(1L, 1.0));
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, padded))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("followed by 3 bytes");
    }

    @Test
    void rejectsARecordWrittenWithAnotherRecordTypesSchemaId() throws IOException {
        Schema sloLike = new Schema.Parser().parse("""
                {"type": "record", "name": "SloDefinition", "namespace": "io.millrace.schemas.latency",
                 "fields": [{"name": "series", "type": "string"}, {"name": "timestamp", "type": "long"},
                            {"name": "value", "type": "double"}]}
                """);
        int otherId = registry.register("latency.slos-value", sloLike.toString()).id();
        GenericRecord other = new GenericData.Record(sloLike);
        other.put("series", "checkout");
        other.put("timestamp", 1L);
        other.put("value", 0.5);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, wireFormat(otherId, sloLike, other)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("io.millrace.schemas.latency.SloDefinition, not a io.millrace.schemas.common.MetricPoint");
    }

    @Test
    void refusesToWriteARecordLargerThanTheLimitBeforeAnyProducerSeesIt() {
        MetricPoint huge = MetricPoint.newBuilder().setSeries("x".repeat(AvroSerde.MAX_RECORD_BYTES)).setTimestamp(1L).setValue(1.0)
                .build();

        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, huge))
                .isInstanceOf(AvroSerde.RecordTooLargeToWrite.class)
                .hasMessageContaining("more than the " + AvroSerde.MAX_RECORD_BYTES + " bytes");
        assertThat(serde.serializer().serialize(TOPIC, checkoutLatency(2L, 2.0))).isNotEmpty();
    }

    @Test
    void serializesConcurrentlyFromManyThreads() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                workers.add(executor.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        MetricPoint point = MetricPoint.newBuilder().setSeries("worker-" + thread).setTimestamp(i)
                                .setValue(i).setTags(Map.of("i", "x".repeat(i % 50))).build();
                        assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, point)))
                                .isEqualTo(point);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static MetricPoint checkoutLatency(long timestamp, double value) {
        return MetricPoint.newBuilder()
                .setSeries("checkout.latency.ms")
                .setTimestamp(timestamp)
                .setValue(value)
                .setTags(Map.of("region", "eu-west-1", "host", "web-3"))
                .build();
    }

    private static byte[] wireFormat(int schemaId, Schema writer, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Counts the calls that get past a client's cache. */
    private static final class CountingClient implements SchemaRegistryClient {

        private final SchemaRegistryClient delegate;
        private final AtomicInteger registrations = new AtomicInteger();
        private final AtomicInteger fetches = new AtomicInteger();

        CountingClient(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            registrations.incrementAndGet();
            return delegate.register(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            fetches.incrementAndGet();
            return delegate.schemaById(id);
        }
    }
}
