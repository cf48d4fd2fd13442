package io.millrace.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.millrace.api.iq.QueryRouter;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.topology.runtime.DeadLetters;
import io.millrace.topology.runtime.RunningPipeline;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.millrace.api.auth.Authentication;
import io.millrace.api.auth.Tokens;
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
        BooleanSupplier startupComplete,
        HttpSecurity security,
        Map<String, Object> kafkaClient) {

    public ApiContext {
        kafkaClient = Map.copyOf(kafkaClient);
    }

    /** How the HTTP layer authenticates, and the settings operators choose for it. */
    public record HttpSecurity(Authentication auth, boolean metricsNeedOperator, List<String> corsOrigins) {
        public HttpSecurity {
            corsOrigins = List.copyOf(corsOrigins);
        }

        /** Tokens of {@code tokens} accepted, /metrics open, no other origin allowed. */
        public static HttpSecurity of(Tokens tokens, String instance) {
            return new HttpSecurity(new Authentication(tokens, instance), false, List.of());
        }
    }

    public Optional<RunningPipeline> pipeline(String name) {
        return pipelines.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
