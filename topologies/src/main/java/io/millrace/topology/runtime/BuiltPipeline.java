package io.millrace.topology.runtime;

import io.millrace.topology.Pipeline;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;

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
}
