package io.millrace.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.millrace.api.iq.QueryRouter;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.topology.runtime.DeadLetters;
import io.millrace.topology.runtime.RunningPipeline;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Everything the HTTP layer reads: the running pipelines, metrics, the registry when it is embedded, and how to reach other instances. */
public record ApiContext(
        List<RunningPipeline> pipelines,
        DeadLetters deadLetters,
        PrometheusMeterRegistry meters,
        Optional<SchemaRegistry> registry,
        QueryRouter router,
        EventPublisher publisher,
        String version,
        BooleanSupplier startupComplete) {

    public Optional<RunningPipeline> pipeline(String name) {
        return pipelines.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
