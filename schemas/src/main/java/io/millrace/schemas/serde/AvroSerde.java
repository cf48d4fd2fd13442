package io.millrace.schemas.serde;

import io.millrace.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for a generated Avro record in Confluent's wire format, with {@code <topic>-value|key} subjects.
 *
 * <p>Strict both ways: a payload decodes only when its writer schema is the same record type as this serde's and
 * can be read into it, and when the record uses every byte of the payload (a valid record followed by junk is
 * junk); a record is written only when it fits {@link #MAX_RECORD_BYTES}, so an oversized output fails as a
 * serialization error of the record that caused it, before it reaches a producer.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    /**
     * The largest payload this serde writes: below the producer's default max.request.size and the broker's default
     * message.max.bytes (1 MiB), leaving room for the key and headers.
     */
    public static final int MAX_RECORD_BYTES = 1_000_000;

    // Avro 1.12 instantiates only classes it trusts (CVE-2024-47561); a serde built for a generated class
    // vouches for exactly the named types of that class's schema, whatever a writer schema names.
    private static final Set<String> TRUSTED_TYPES = ConcurrentHashMap.newKeySet();

    static {
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                ClassSecurityValidator.getGlobal(), candidate -> TRUSTED_TYPES.contains(candidate.getName())));
    }

    private final SchemaRegistryClient client;
    private final Class<T> type;
    private final String subjectSuffix;
    private final Schema schema;
    private final SpecificData model;
    private final Serializer<T> serializer = this::serialize;
    private final Deserializer<T> deserializer = this::deserialize;

    private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
    private final ThreadLocal<Encoding> encodings;
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    public AvroSerde(SchemaRegistryClient client, Class<T> type, boolean isKey) {
        this.client = Objects.requireNonNull(client, "client");
        this.type = Objects.requireNonNull(type, "type");
        this.subjectSuffix = isKey ? "-key" : "-value";
        this.model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        TRUSTED_TYPES.addAll(namedTypes(schema, new HashSet<>()));
        this.encodings = ThreadLocal.withInitial(() -> new Encoding(new SpecificDatumWriter<>(schema, model)));
    }

    /** The full name of the record type this serde reads and writes. */
    public String recordName() {
        return schema.getFullName();
    }

    /** The schema of the record type this serde reads and writes. */
    public Schema schema() {
        return schema;
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    private byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int id = idsByTopic.computeIfAbsent(String.valueOf(topic), this::register);
        Encoding encoding = encodings.get();
        byte[] payload;
        try {
            payload = encoding.encode(id, record);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not serialize a " + type.getSimpleName() + " for topic '" + topic + "'", e);
        }
        if (payload.length > MAX_RECORD_BYTES) {
            throw new RecordTooLargeToWrite("A " + type.getSimpleName() + " for topic '" + topic + "' is " + payload.length
                    + " bytes, more than the " + MAX_RECORD_BYTES + " bytes a record may have");
        }
        return payload;
    }

    /** A record that serializes but is too large to produce; thrown before any producer sees it. */
    public static final class RecordTooLargeToWrite extends SerializationException {
        RecordTooLargeToWrite(String message) {
            super(message);
        }
    }

    private int register(String topic) {
        String subject = topic + subjectSuffix;
        try {
            return client.register(subject, schema);
        } catch (RuntimeException e) {
            throw new SerializationException("Could not register the " + type.getSimpleName() + " schema under subject '"
                    + subject + "'", e);
        }
    }

    private T deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        int id = WireFormat.schemaId(payload);
        SpecificDatumReader<T> reader = readersByWriterId.computeIfAbsent(id, this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload, WireFormat.HEADER_SIZE,
                payload.length - WireFormat.HEADER_SIZE, decoders.get());
        decoders.set(decoder);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not deserialize a " + type.getSimpleName() + " written with schema id "
                    + id + " from topic '" + topic + "'", e);
        }
        int unread = unread(decoder);
        if (unread > 0) {
            throw new SerializationException("A " + type.getSimpleName() + " from topic '" + topic + "' is followed by " + unread
                    + " bytes that belong to no record");
        }
        return record;
    }

    private static int unread(BinaryDecoder decoder) {
        try {
            return decoder.inputStream().available();
        } catch (IOException e) {
            throw new SerializationException("Could not tell whether the payload was read to its end", e);
        }
    }

    private SpecificDatumReader<T> readerFor(int writerId) {
        Schema writer;
        try {
            writer = client.schemaById(writerId);
        } catch (RuntimeException e) {
            throw new SerializationException("Could not fetch writer schema id " + writerId + " for " + type.getSimpleName(), e);
        }
        // Avro resolves a writer schema of another record type field by field when the fields happen to match; a
        // record written for another topic must not decode as this type.
        if (writer.getType() != Schema.Type.RECORD || !(writer.getFullName().equals(schema.getFullName())
                || schema.getAliases().contains(writer.getFullName()))) {
            throw new SerializationException("Schema id " + writerId + " describes " + describe(writer) + ", not a "
                    + schema.getFullName());
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(schema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("A " + schema.getFullName() + " written with schema id " + writerId
                    + " cannot be read as this version: " + compatibility.getDescription());
        }
        return new SpecificDatumReader<>(writer, schema, model);
    }

    private static String describe(Schema writer) {
        return writer.getType() == Schema.Type.RECORD ? "a " + writer.getFullName() : "a " + writer.getType().getName();
    }

    private static Set<String> namedTypes(Schema schema, Set<String> found) {
        switch (schema.getType()) {
            case RECORD -> {
                if (found.add(schema.getFullName())) {
                    schema.getFields().forEach(field -> namedTypes(field.schema(), found));
                }
            }
            case ENUM, FIXED -> found.add(schema.getFullName());
            case ARRAY -> namedTypes(schema.getElementType(), found);
            case MAP -> namedTypes(schema.getValueType(), found);
            case UNION -> schema.getTypes().forEach(member -> namedTypes(member, found));
            default -> {
            }
        }
        return found;
    }

    /** One thread's reusable writer, encoder and buffer: serialization sits on every producer's hot path. */
    private final class Encoding {

        private final SpecificDatumWriter<T> writer;
        private final Buffer buffer = new Buffer();
        private BinaryEncoder encoder;

        Encoding(SpecificDatumWriter<T> writer) {
            this.writer = writer;
        }

        byte[] encode(int schemaId, T record) throws IOException {
            buffer.reset();
            buffer.write(WireFormat.MAGIC_BYTE);
            buffer.writeInt(schemaId);
            encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
            writer.write(record, encoder);
            encoder.flush();
            return buffer.toByteArray();
        }
    }

    /** An unsynchronized growable byte buffer; ByteArrayOutputStream locks on every write. */
    private static final class Buffer extends OutputStream {

        private static final int INITIAL_CAPACITY = 256;
        // A rare huge record must not pin its buffer to the thread for good.
        private static final int RETAINED_CAPACITY = 1 << 20;

        private byte[] bytes = new byte[INITIAL_CAPACITY];
        private int size;

        void reset() {
            if (bytes.length > RETAINED_CAPACITY) {
                bytes = new byte[INITIAL_CAPACITY];
            }
            size = 0;
        }

        void writeInt(int value) {
            write(value >>> 24);
            write(value >>> 16);
            write(value >>> 8);
            write(value);
        }

        @Override
        public void write(int b) {
            ensureCapacity(size + 1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            ensureCapacity(size + length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensureCapacity(int needed) {
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
            }
        }
    }
}
