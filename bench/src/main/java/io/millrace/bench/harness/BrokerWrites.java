package io.millrace.bench.harness;

import io.millrace.topology.Pipeline;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What a pipeline made the broker write for its input: offsets (records and transaction markers) and bytes on disk in
 * its topics and internal topics, minus what was loaded into its inputs. A passthrough writes one record per event; a pipeline writes its outputs, repartitions, changelogs and
 * rejections too: this is the write amplification a broker cluster is sized for.
 */
record BrokerWrites(long offsets, long bytes) {

    /** The pipeline's topics ({@code <pipeline>.…}) and its Kafka Streams internal topics, whatever else the cluster holds. */
    static BrokerWrites of(Admin admin, String pipeline, Set<String> inputs) {
        String internal = Pipeline.applicationId(pipeline) + "-";
        try {
            Set<String> topics = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(pipeline + ".") || t.startsWith(internal)).collect(Collectors.toSet());
            long offsets = Offsets.endSum(admin, topics) - Offsets.endSum(admin, inputs);
            return new BrokerWrites(offsets, bytes(admin, topics) - bytes(admin, inputs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot read the broker's topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static long bytes(Admin admin, Collection<String> topics) throws InterruptedException, ExecutionException {
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(node -> node.id()).toList();
        long total = 0;
        for (var perBroker : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
            for (LogDirDescription dir : perBroker.values()) {
                for (var replica : dir.replicaInfos().entrySet()) {
                    TopicPartition partition = replica.getKey();
                    ReplicaInfo info = replica.getValue();
                    if (topics.contains(partition.topic())) {
                        total += info.size();
                    }
                }
            }
        }
        return total;
    }

    String perEvent(long events) {
        return String.format("%.1f records and %,.0f bytes per input event (%,d offsets incl. transaction markers, %,.1f MB, across "
                + "outputs, repartitions, changelogs and rejections; replicas counted)", (double) offsets / events, (double) bytes / events,
                offsets, bytes / 1e6);
    }
}
