package io.millrace.topology.runtime;

import io.millrace.topology.Pipeline;
import org.apache.kafka.streams.KafkaStreams;

/** A pipeline, the KafkaStreams instance running it in this JVM, its store restoration and its topology description. */
public record RunningPipeline(Pipeline pipeline, KafkaStreams streams, RestoreProgress restores, String description) {

    public String name() {
        return pipeline.name();
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }
}
