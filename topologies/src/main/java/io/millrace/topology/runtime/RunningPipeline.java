package io.millrace.topology.runtime;

import io.millrace.topology.Pipeline;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TopologyDescription;

/**
 * A pipeline, the KafkaStreams instance running it in this JVM, its store restoration, its topology description, its
 * health (lag, progress, thread failures) and its poison records.
 */
public record RunningPipeline(Pipeline pipeline, KafkaStreams streams, RestoreProgress restores, TopologyDescription topology,
                              PipelineHealth health, PoisonRecords poison) {

    public String name() {
        return pipeline.name();
    }

    /** The topology as Kafka Streams prints it. */
    public String description() {
        return topology.toString();
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** The pipeline's verdict: DOWN when Kafka Streams is, DEGRADED when it is stuck or keeps failing. */
    public PipelineHealth.Verdict verdict() {
        return health.verdict(streams.state());
    }
}
