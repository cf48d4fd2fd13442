package io.millrace.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.schemas.serde.AvroSerdes;

/** What a pipeline is built with: the Avro serdes bound to the schema registry, and the meter registry for its own counters. */
public record PipelineContext(AvroSerdes serdes, MeterRegistry meters) {
}
