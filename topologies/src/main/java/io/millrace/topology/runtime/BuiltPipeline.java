package io.millrace.topology.runtime;

import io.millrace.topology.Pipeline;
import io.millrace.topology.TopicSpec;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyDescription;

/**
 * A pipeline built the one way it is built everywhere, by the platform and by tests alike: its Streams properties,
 * its topology with every processor guarded (see {@link ProcessorGuard}), and the registry of its poison records.
 */
public record BuiltPipeline(Pipeline pipeline, Properties properties, Topology topology, PoisonRecords poison) {

    public static BuiltPipeline of(Pipeline pipeline, StreamsSettings settings) {
        PoisonRecords poison = new PoisonRecords(pipeline.name(), settings.deadLetters().meters());
        Properties properties = settings.forPipeline(pipeline, poison);
        // The processor wrapper applies only to a builder made with the topology config.
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(properties)));
        pipeline.build(builder);
        return new BuiltPipeline(pipeline, properties, builder.build(properties), poison);
    }

    /** The topics the pipeline's stream tasks read: its inputs and internal topics, by their names on the broker. */
    public Set<String> sourceTopics() {
        return sourceTopics(pipeline, topology.describe());
    }

    /** The same from a topology's description; global-table topics are read by no consumer group and are left out. */
    public static Set<String> sourceTopics(Pipeline pipeline, TopologyDescription topology) {
        Set<String> declared = pipeline.topics().stream().map(TopicSpec::name).collect(Collectors.toSet());
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    // Internal topics are described without the application id Kafka Streams prefixes them with.
                    source.topicSet().forEach(topic -> topics.add(declared.contains(topic) ? topic
                            : Pipeline.applicationId(pipeline.name()) + "-" + topic));
                }
            }
        }
        return topics;
    }
}
