package io.millrace.topology.runtime;

import io.millrace.topology.Pipeline;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A pipeline, the KafkaStreams instance running it in this JVM, its store restoration, its topology description, its
 * health (lag, progress, thread failures) and its poison records.
 */
public record RunningPipeline(Pipeline pipeline, KafkaStreams streams, RestoreProgress restores, String description,
                              PipelineHealth health, PoisonRecords poison) {

    public String name() {
        return pipeline.name();
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** The pipeline's verdict: DOWN when Kafka Streams is, DEGRADED when it is stuck or keeps failing. */
    public PipelineHealth.Verdict verdict() {
        return health.verdict(streams.state());
    }
}
