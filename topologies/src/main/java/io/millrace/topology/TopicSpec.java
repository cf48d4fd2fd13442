package io.millrace.topology;

import java.util.Map;
import java.util.TreeMap;

/** What a topic must look like when the platform creates it: partitions and topic-level config. */
public record TopicSpec(String name, int partitions, Map<String, String> config) {

    private static final String SEVEN_DAYS_MS = String.valueOf(7L * 24 * 3600 * 1000);
    private static final String THIRTY_DAYS_MS = String.valueOf(30L * 24 * 3600 * 1000);

    public TopicSpec {
        config = Map.copyOf(config);
    }

    /** An append-only event stream kept for a week. */
    public static TopicSpec events(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of("cleanup.policy", "delete", "retention.ms", SEVEN_DAYS_MS));
    }

    /** A changelog-like topic where only the latest value per key matters (definitions, settings). */
    public static TopicSpec compacted(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of("cleanup.policy", "compact"));
    }

    /** Dead letters and rejections are kept longer so operators can inspect and replay them. */
    public static TopicSpec errors(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of("cleanup.policy", "delete", "retention.ms", THIRTY_DAYS_MS));
    }

    public TopicSpec with(String key, String value) {
        Map<String, String> merged = new TreeMap<>(config);
        merged.put(key, value);
        return new TopicSpec(name, partitions, merged);
    }
}
