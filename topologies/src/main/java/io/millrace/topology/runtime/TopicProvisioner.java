package io.millrace.topology.runtime;

import io.millrace.topology.TopicSpec;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics the pipelines declare, with their partitions and config, before any pipeline starts. */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private static final java.time.Duration LEADER_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final Admin admin;

    public TopicProvisioner(Admin admin) {
        this.admin = admin;
    }

    // A producer that writes to a topic before its partitions have leaders is told NOT_LEADER until
    // metadata settles; on a loaded machine that can outlast its delivery timeout.
    private void awaitLeaders(List<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
        while (true) {
            boolean led;
            try {
                led = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            } catch (ExecutionException e) {
                // Right after creation the metadata may not know the topic yet.
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                led = false;
            }
            if (led) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topics without partition leaders after " + LEADER_TIMEOUT + ": " + topics);
            }
            Thread.sleep(50);
        }
    }

    /** Creates what is missing and leaves existing topics as they are; returns the names it created. */
    public List<String> ensure(Collection<TopicSpec> specs, int replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = specs.stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .collect(Collectors.toMap(TopicSpec::name, spec -> spec, (a, b) -> a))
                    .values().stream()
                    .map(spec -> new NewTopic(spec.name(), spec.partitions(), (short) replicationFactor).configs(spec.config()))
                    .toList();
            if (missing.isEmpty()) {
                return List.of();
            }
            var results = admin.createTopics(missing).values();
            for (var result : results.entrySet()) {
                try {
                    result.getValue().get();
                } catch (ExecutionException e) {
                    // Another instance starting at the same moment may have created it first.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            List<String> created = missing.stream().map(NewTopic::name).sorted().toList();
            awaitLeaders(created);
            log.info("Created {} topics", missing.size());
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create topics: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
