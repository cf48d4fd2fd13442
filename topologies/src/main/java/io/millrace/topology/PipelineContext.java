package io.millrace.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.schemas.serde.AvroSerdes;

/**
 * What a pipeline is built with: the Avro serdes bound to the schema registry, the meter registry for its own counters,
 * and the platform's settings, from which it reads its typed configuration.
 */
public record PipelineContext(AvroSerdes serdes, MeterRegistry meters, Settings settings) {

    public PipelineContext(AvroSerdes serdes, MeterRegistry meters) {
        this(serdes, meters, Settings.none());
    }
}
