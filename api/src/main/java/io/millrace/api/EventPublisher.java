package io.millrace.api;

import io.millrace.topology.Topic;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes events that arrive over HTTP to their topic, with the topic's own serdes, and reports where they landed. */
public final class EventPublisher {

    private final Producer<byte[], byte[]> producer;

    public EventPublisher(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** Where a produced record landed; what a 202 answer carries. */
    public record Coordinates(String topic, int partition, long offset, long timestamp) {
    }

    public <K, V> CompletableFuture<Coordinates> publish(Topic<K, V> topic, K key, V value) {
        byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        CompletableFuture<Coordinates> result = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic.name(), keyBytes, valueBytes), (metadata, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(new Coordinates(metadata.topic(), metadata.partition(), metadata.offset(), metadata.timestamp()));
            }
        });
        return result;
    }
}
