package io.millrace.topology;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;

/** One Kafka Streams application of the platform: its topics, its queryable stores and its topology. */
public interface Pipeline {

    /** Short name, used in topic names, the application id ({@code millrace-<name>}) and URLs. */
    String name();

    /** Every topic the pipeline reads or writes, apart from its error topics (see {@link #errorTopics()}). */
    List<TopicSpec> topics();

    /** Names of the state stores that interactive queries may read. */
    List<String> queryableStores();

    /** Adds the pipeline's processing steps to the builder. */
    void build(StreamsBuilder builder);

    /** Streams settings this pipeline needs beyond the platform defaults, e.g. exactly-once. */
    default Map<String, Object> streamsOverrides() {
        return Map.of();
    }

    /** Topics whose records are pushed to users through the webhook sink connector (e.g. offline notifications). */
    default List<String> notificationTopics() {
        return List.of();
    }

    /** The dead-letter and rejected topics every pipeline has; the platform creates them with the others. */
    default List<TopicSpec> errorTopics() {
        return List.of(TopicSpec.errors(deadLetterTopic(), 1), TopicSpec.errors(rejectedTopic(), 1));
    }

    default String deadLetterTopic() {
        return name() + ".dlq";
    }

    default String rejectedTopic() {
        return name() + ".rejected";
    }

    static String applicationId(String pipelineName) {
        return "millrace-" + pipelineName;
    }
}
