package io.millrace.topology.messenger;

import io.millrace.schemas.common.Rejected;
import io.millrace.topology.runtime.Rejections;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Turns a violation met inside a processor into the rejection of the record being processed. */
final class Refusals {

    private final Rejections rejections;
    private final ProcessorContext<?, ?> context;

    Refusals(Rejections rejections, ProcessorContext<?, ?> context) {
        this.rejections = rejections;
        this.context = context;
    }

    Rejected of(Violation violation, SpecificRecord event) {
        String sourceTopic = context.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
        return rejections.reject(violation.code(), violation.reason(), sourceTopic, event, context.currentSystemTimeMs());
    }

    Rejected of(String code, String reason, SpecificRecord event) {
        return of(new Violation(code, reason), event);
    }
}
