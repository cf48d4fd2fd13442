package io.millrace.connectors.webhook;

import io.millrace.schemas.registry.SchemaRegistryClient;
import io.millrace.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.kafka.common.errors.SerializationException;

/** Turns Confluent-wire-format Avro bytes into Avro's JSON encoding, resolving writer schemas through the registry. */
final class AvroJson {

    private final SchemaRegistryClient registry;
    private final Map<Integer, GenericDatumReader<Object>> readers = new ConcurrentHashMap<>();

    AvroJson(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    String toJson(byte[] wire) {
        int id = WireFormat.schemaId(wire);
        GenericDatumReader<Object> reader = readers.computeIfAbsent(id, i -> new GenericDatumReader<>(registry.schemaById(i)));
        Schema schema = reader.getSchema();
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(wire, WireFormat.HEADER_SIZE, wire.length - WireFormat.HEADER_SIZE, null);
            Object value = reader.read(null, decoder);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(schema, out);
            new GenericDatumWriter<>(schema).write(value, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SerializationException("Value does not match its writer schema " + id, e);
        } catch (RuntimeException e) {
            throw new SerializationException("Value does not match its writer schema " + id);
        }
    }
}
