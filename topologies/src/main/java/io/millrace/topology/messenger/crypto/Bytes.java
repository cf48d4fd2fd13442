package io.millrace.topology.messenger.crypto;

import java.nio.ByteBuffer;

/** Copies Avro {@code bytes} fields out without disturbing the buffer's position, which Avro readers share. */
public final class Bytes {

    private Bytes() {
    }

    public static byte[] of(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
