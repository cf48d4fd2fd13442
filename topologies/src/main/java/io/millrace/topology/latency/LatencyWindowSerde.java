package io.millrace.topology.latency;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Stores a {@link LatencyWindow} in its compact binary form (varints plus the HdrHistogram encoding). */
public final class LatencyWindowSerde implements Serde<LatencyWindow> {

    @Override
    public Serializer<LatencyWindow> serializer() {
        return (topic, window) -> window == null ? null : window.toBytes();
    }

    @Override
    public Deserializer<LatencyWindow> deserializer() {
        return (topic, bytes) -> bytes == null ? null : LatencyWindow.fromBytes(bytes);
    }
}
