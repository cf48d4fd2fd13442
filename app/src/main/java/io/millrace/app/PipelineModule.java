package io.millrace.app;

import io.millrace.api.PipelineApi;
import io.millrace.api.dashboard.DashboardPage;
import io.millrace.bench.harness.Target;
import io.millrace.bench.simulate.Simulator;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;

/**
 * Everything the platform needs of one pipeline, declared once: its topology, its HTTP API, its dashboard page, its
 * simulator and its benchmark target. Modules are discovered (one line in {@code META-INF/services/io.millrace.app.PipelineModule});
 * nothing else lists the pipelines, and the catalog test fails when a module lacks a piece. See docs/pipelines.md.
 */
public interface PipelineModule<P extends Pipeline> {

    /** The pipeline's name: its topics, application id ({@code millrace-<name>}) and URLs (/api/<name>) derive from it. */
    String name();

    /** The pipeline, built with the platform's serdes, meters and settings. */
    P pipeline(PipelineContext context);

    /** Its routes under /api/<name>. */
    PipelineApi<P> api();

    /**
     * Its page on the dashboard: title, result topics, the endpoints it reads, and its script in the api module's
     * {@code dashboard/pipelines/<name>.js}, which the overview links.
     */
    DashboardPage dashboard();

    /** Realistic events for its inputs (simulate, --demo, bench, fuzz tests). */
    Simulator simulator(PipelineContext context);

    /** The rates its case study asks for, which the benchmark measures it against. */
    Target benchTarget();

    /**
     * What runs beside the pipeline in each instance (a consumer of its results, say), started with the platform's Kafka
     * client settings before the API takes requests, and closed after the API has stopped.
     */
    default java.util.List<AutoCloseable> companions(P pipeline, java.util.Map<String, Object> kafkaClient) {
        return java.util.List.of();
    }

    /**
     * Kafka Connect connectors the pipeline needs (a crawler feeding it, say), by name, configured for {@code worker}:
     * the platform creates or updates them there when a worker runs (embedded, or given with a worker URL).
     */
    default java.util.Map<String, java.util.Map<String, String>> connectors(P pipeline, ConnectWorker worker) {
        return java.util.Map.of();
    }

    /**
     * Where the connectors run and what they connect to; {@code schemaRegistryUserInfo} ({@code user:password}) lets a
     * connector that writes Avro register its schemas; {@code kafkaClient} are the platform's own client settings
     * (--kafka-config: SASL, SSL) for a connector with Kafka clients of its own.
     */
    record ConnectWorker(String restUrl, String bootstrapServers, String schemaRegistryUrl, java.util.Optional<String> schemaRegistryUserInfo,
                         java.util.Map<String, String> kafkaClient) {
        public ConnectWorker {
            kafkaClient = java.util.Map.copyOf(kafkaClient);
        }
    }
}
