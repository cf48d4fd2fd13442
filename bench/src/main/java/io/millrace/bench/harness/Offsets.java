package io.millrace.bench.harness;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
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

    /** True when the group has committed at least {@code end} on every partition of it. */
    static boolean committedUpTo(Admin admin, String group, Map<TopicPartition, Long> end) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return end.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata offset = committed.get(e.getKey());
                return e.getValue() == 0 || (offset != null && offset.offset() >= e.getValue());
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            return false;
        }
    }

    /**
     * True when the group has consumed everything loaded into its inputs and everything its own earlier
     * steps wrote to the topics its later steps read (repartition and intermediate topics): the whole
     * pipeline, not only its first step, is done.
     */
    static boolean pipelineCaughtUp(Admin admin, String group, Map<TopicPartition, Long> loaded, Collection<String> consumedTopics) {
        if (!committedUpTo(admin, group, loaded)) {
            return false;
        }
        java.util.Set<String> downstream = new java.util.TreeSet<>(consumedTopics);
        loaded.keySet().forEach(tp -> downstream.remove(tp.topic()));
        return downstream.isEmpty() || committedUpTo(admin, group, end(admin, downstream));
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
