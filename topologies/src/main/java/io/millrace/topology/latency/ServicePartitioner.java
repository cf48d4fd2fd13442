package io.millrace.topology.latency;

import io.millrace.schemas.latency.LatencySample;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Sends every series of a service to the partition Kafka's default partitioner picks for the service name,
 * so a service's roll-ups need no further shuffle and an interactive query for the service finds its owner.
 */
final class ServicePartitioner implements StreamPartitioner<String, LatencySample> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, LatencySample sample, int numPartitions) {
        return Optional.of(Set.of(partitionOf(sample.getService(), numPartitions)));
    }

    static int partitionOf(String service, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(service.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
