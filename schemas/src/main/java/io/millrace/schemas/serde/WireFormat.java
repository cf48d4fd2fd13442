package io.millrace.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** Confluent's wire format: magic byte 0, the writer schema's id as a big-endian int, then the Avro binary body. */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** The writer schema id of a wire-format payload; a SerializationException when it is not one. */
    public static int schemaId(byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw new SerializationException("Payload of " + payload.length + " bytes is too short for the Confluent wire"
                    + " format (magic byte and 4-byte schema id)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException("Payload does not start with magic byte " + MAGIC_BYTE
                    + "; it was not written in the Confluent wire format");
        }
        return ((payload[1] & 0xff) << 24) | ((payload[2] & 0xff) << 16) | ((payload[3] & 0xff) << 8) | (payload[4] & 0xff);
    }
}
