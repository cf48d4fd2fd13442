package io.millrace.topology.runtime;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is the event's own {@code timestamp} field (epoch millis) when it has one, so that
 * windows follow when things happened, not when they reached Kafka. Records without one keep the
 * producer's timestamp; a negative or missing time falls back to the partition's stream time.
 */
public final class EventTimeExtractor implements TimestampExtractor {

    public static final String FIELD = "timestamp";

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long eventTime = record.value() instanceof IndexedRecord event ? fieldTime(event) : -1;
        long time = eventTime >= 0 ? eventTime : record.timestamp();
        return time >= 0 ? time : Math.max(partitionTime, 0);
    }

    private static long fieldTime(IndexedRecord event) {
        Schema.Field field = event.getSchema().getField(FIELD);
        if (field == null) {
            return -1;
        }
        Object value = event.get(field.pos());
        return value instanceof Long millis ? millis : value instanceof java.time.Instant instant ? instant.toEpochMilli() : -1;
    }
}
