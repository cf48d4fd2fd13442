package io.millrace.bench.harness;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Offsets read with the Admin client: how much a topic holds, and how far a consumer group has committed. */
final class Offsets {

    private Offsets() {
    }

    static Map<TopicPartition, Long> end(Admin admin, Collection<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
                    description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> result = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> result.put(tp, info.offset()));
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot read offsets of " + topics + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    static long endSum(Admin admin, Collection<String> topics) {
        return end(admin, topics).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Past the last data record, a transactional topic may hold only commit markers: this many at the most. */
    private static final long MARKER_SLACK = 16;

    /**
     * True when the group has consumed everything up to {@code end} on every partition of it: it committed {@code end},
     * or what lies between its commit and {@code end} is only transaction markers. A task commits only after it processed
     * something, so a commit marker written after its last records (on its own repartition and output topics, under
     * exactly-once) stays uncommitted until the next punctuation — up to a minute for the messenger — and a count of
     * offsets alone took that wait for processing time ({@code reader}: a read_committed consumer, assigned as needed).
     */
    static boolean committedUpTo(Admin admin, String group, Map<TopicPartition, Long> end, Consumer<byte[], byte[]> reader) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                OffsetAndMetadata offset = committed.get(e.getKey());
                long at = offset == null ? 0 : offset.offset();
                if (e.getValue() == 0 || at >= e.getValue()) {
                    continue;
                }
                if (offset == null || e.getValue() - at > MARKER_SLACK || !onlyMarkers(reader, e.getKey(), at, e.getValue())) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** True when a read_committed read from {@code from} reaches {@code to} without a record: only markers between. */
    static boolean onlyMarkers(Consumer<byte[], byte[]> reader, TopicPartition partition, long from, long to) {
        reader.assign(List.of(partition));
        reader.seek(partition, from);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(100))) {
                if (record.offset() < to) {
                    return false;
                }
            }
            if (reader.position(partition) >= to) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the group has consumed everything loaded into its inputs and everything its own earlier
     * steps wrote to the topics its later steps read (repartition and intermediate topics): the whole
     * pipeline, not only its first step, is done.
     */
    static boolean pipelineCaughtUp(Admin admin, String group, Map<TopicPartition, Long> loaded, Collection<String> consumedTopics,
                                    Consumer<byte[], byte[]> reader) {
        if (!committedUpTo(admin, group, loaded, reader)) {
            return false;
        }
        java.util.Set<String> downstream = new java.util.TreeSet<>(consumedTopics);
        loaded.keySet().forEach(tp -> downstream.remove(tp.topic()));
        return downstream.isEmpty() || committedUpTo(admin, group, end(admin, downstream), reader);
    }

    static long committedSum(Admin admin, String group, Collection<TopicPartition> partitions) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return partitions.stream().map(committed::get).filter(java.util.Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            return 0;
        }
    }
}
