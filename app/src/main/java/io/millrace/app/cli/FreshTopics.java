package io.millrace.app.cli;

import io.millrace.topology.Pipeline;
import io.millrace.topology.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * A benchmark run on an external cluster starts from nothing, as one on a fresh embedded broker does: the pipeline's
 * topics, its internal (repartition and changelog) topics and its consumer group are deleted first.
 */
final class FreshTopics {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private FreshTopics() {
    }

    static void delete(String bootstrap, Map<String, String> client, Pipeline pipeline) throws Exception {
        Map<String, Object> config = new HashMap<>(client);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        String applicationId = Pipeline.applicationId(pipeline.name());
        try (Admin admin = Admin.create(config)) {
            Set<String> names = new TreeSet<>();
            pipeline.topics().stream().map(TopicSpec::name).forEach(names::add);
            pipeline.errorTopics().stream().map(TopicSpec::name).forEach(names::add);
            Set<String> existing = admin.listTopics().names().get();
            existing.stream().filter(name -> name.startsWith(applicationId + "-")).forEach(names::add);
            names.retainAll(existing);
            try {
                admin.deleteConsumerGroups(List.of(applicationId)).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
            if (names.isEmpty()) {
                return;
            }
            admin.deleteTopics(names).all().get();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (admin.listTopics().names().get().stream().anyMatch(names::contains)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topics of " + pipeline.name() + " still listed " + PATIENCE.toSeconds() + " s after deletion");
                }
                Thread.sleep(200);
            }
        }
    }
}
