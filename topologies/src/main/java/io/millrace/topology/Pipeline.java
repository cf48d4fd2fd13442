package io.millrace.topology;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsBuilder;

/** One Kafka Streams application of the platform: its topics, its queryable stores and its topology. */
public interface Pipeline {

    /** Prefix of every pipeline's application id. */
    String APPLICATION_ID_PREFIX = "millrace-";

    /** Short name, used in topic names, the application id ({@code millrace-<name>}) and URLs. */
    String name();

    /** Every topic the pipeline reads or writes, apart from its error topics (see {@link #errorTopics()}). */
    List<TopicSpec> topics();

    /**
     * The topics producers write to and this pipeline reads, with their serdes: what consumer lag is measured on and
     * what the fuzz tests drive with junk. Compacted ones feed tables.
     */
    List<Topic<String, ?>> inputs();

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

    /** Input topics whose records may carry secrets in clear (card numbers): their dead letters keep only lengths. */
    default Set<String> redactedTopics() {
        return Set.of();
    }

    /** The dead-letter and rejected topics every pipeline has; the platform creates them with the others. */
    default List<TopicSpec> errorTopics() {
        return List.of(TopicSpec.errors(deadLetterTopic(), 1), TopicSpec.errors(rejectedTopic(), 1));
    }

    default String deadLetterTopic() {
        return dlqOf(name());
    }

    default String rejectedTopic() {
        return rejectedOf(name());
    }

    /** The dead-letter topic of the pipeline named {@code pipeline}: {@code <pipeline>.dlq}. */
    static String dlqOf(String pipeline) {
        return pipeline + ".dlq";
    }

    /** The rejected topic of the pipeline named {@code pipeline}: {@code <pipeline>.rejected}. */
    static String rejectedOf(String pipeline) {
        return pipeline + ".rejected";
    }

    static String applicationId(String pipelineName) {
        return APPLICATION_ID_PREFIX + pipelineName;
    }

    /** The pipeline an application id belongs to. */
    static String nameOf(String applicationId) {
        return applicationId.startsWith(APPLICATION_ID_PREFIX) ? applicationId.substring(APPLICATION_ID_PREFIX.length()) : applicationId;
    }
}
