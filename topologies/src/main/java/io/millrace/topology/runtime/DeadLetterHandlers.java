package io.millrace.topology.runtime;

import static org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils.maybeBuildDeadLetterQueueRecords;

import io.millrace.topology.runtime.DeadLetters.Stage;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The three Kafka Streams exception handlers of every pipeline. Each sends the failed record, with
 * Kafka's error headers, to the dead-letter topic (KIP-1034), counts it, and lets the pipeline go on.
 */
public final class DeadLetterHandlers {

    private DeadLetterHandlers() {
    }

    /** State shared by the three handlers: which pipeline, which DLQ topic, where to count. */
    private static final class Target {
        final String pipeline;
        final String deadLetterTopic;
        final DeadLetters deadLetters;

        Target(Map<String, ?> config) {
            String applicationId = String.valueOf(config.get(StreamsConfig.APPLICATION_ID_CONFIG));
            this.pipeline = applicationId.startsWith("millrace-") ? applicationId.substring("millrace-".length()) : applicationId;
            Object topic = config.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
            this.deadLetterTopic = topic == null ? null : topic.toString();
            this.deadLetters = DeadLetters.from(config);
        }

        List<ProducerRecord<byte[], byte[]>> deadLetter(Stage stage, ErrorHandlerContext context, Exception error) {
            deadLetters.record(pipeline, stage, context.topic(), error);
            return maybeBuildDeadLetterQueueRecords(deadLetterTopic, context.sourceRawKey(), context.sourceRawValue(), context, error);
        }
    }

    /** Bytes that do not decode (wrong format, unknown schema id): to the DLQ, then the next record. */
    public static final class Deserialization implements DeserializationExceptionHandler {
        private Target target;

        @Override
        public void configure(Map<String, ?> config) {
            target = new Target(config);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception error) {
            return Response.resume(target.deadLetter(Stage.DESERIALIZATION, context, error));
        }
    }

    /** A processor threw on a record: to the DLQ with the source record's bytes, then the next record. */
    public static final class Processing implements ProcessingExceptionHandler {
        private Target target;

        @Override
        public void configure(Map<String, ?> config) {
            target = new Target(config);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception error) {
            return Response.resume(target.deadLetter(Stage.PROCESSING, context, error));
        }
    }

    /**
     * An output that cannot be serialized goes to the DLQ; broker errors are retried when retriable and
     * otherwise stop the task, because dropping an output silently would lose data.
     */
    public static final class Production implements ProductionExceptionHandler {
        private Target target;

        @Override
        public void configure(Map<String, ?> config) {
            target = new Target(config);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception error) {
            return error instanceof RetriableException ? Response.retry() : Response.fail();
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception error,
                                                 SerializationExceptionOrigin origin) {
            return Response.resume(target.deadLetter(Stage.PRODUCTION, context, error));
        }
    }
}
