package io.millrace.topology.runtime;

import io.millrace.topology.Pipeline;
import io.millrace.topology.runtime.DeadLetters.Stage;
import io.millrace.topology.runtime.PoisonRecords.Coordinates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The three Kafka Streams exception handlers of every pipeline. A record that cannot be decoded, processed or
 * serialized goes, as it was read and with Kafka's error headers (KIP-1034), to the pipeline's dead-letter topic,
 * is counted, and the pipeline goes on. An output the broker refuses for good marks its source record as poison and
 * fails the thread: the replacement thread dead-letters that record instead of dying on it again.
 *
 * <p>The global thread has no producer and cannot be replaced: a failure there is counted and the record skipped.
 * Global tables read only topics a pipeline has already checked (see {@link GlobalTables}), so every such record
 * has been dead-lettered once already, where it entered.
 */
public final class DeadLetterHandlers {

    /** Header naming where the record failed: deserialization, processing or production. */
    public static final String STAGE_HEADER = "millrace.stage";
    /** Config: comma-separated topics whose records may carry secrets in clear; their dead letters keep only lengths. */
    public static final String REDACTED_TOPICS_CONFIG = "millrace.dlq.redacted-topics";
    /** Header of a dead letter whose key and value were left out. */
    public static final String REDACTED_HEADER = "millrace.redacted";
    // Anything that could be a card number in an error message is masked before it is kept.
    private static final java.util.regex.Pattern DIGIT_RUNS = java.util.regex.Pattern.compile("\\d[\\d -]{10,}\\d");
    static final int MAX_MESSAGE_CHARS = 500;
    /**
     * The record's own headers are kept only up to this size: with them, the bounded error headers and a source value
     * of at most the 1,000,000 bytes our serdes write, a dead letter stays under the producer's 1 MiB request limit.
     */
    static final int MAX_COPIED_HEADER_BYTES = 16 * 1024;
    static final int MAX_STACK_FRAMES = 12;

    private DeadLetterHandlers() {
    }

    /** State shared by the three handlers: which pipeline, which DLQ topic, where to count, which records are poison. */
    private static final class Target {
        final String pipeline;
        final String deadLetterTopic;
        final DeadLetters deadLetters;
        final PoisonRecords poison;
        final java.util.Set<String> redactedTopics;

        Target(Map<String, ?> config) {
            this.pipeline = Pipeline.nameOf(String.valueOf(config.get(StreamsConfig.APPLICATION_ID_CONFIG)));
            Object topic = config.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
            this.deadLetterTopic = topic == null ? null : topic.toString();
            this.deadLetters = DeadLetters.from(config);
            this.poison = PoisonRecords.from(config);
            Object redacted = config.get(REDACTED_TOPICS_CONFIG);
            this.redactedTopics = redacted == null || redacted.toString().isBlank() ? java.util.Set.of()
                    : java.util.Set.of(redacted.toString().split(","));
        }

        List<ProducerRecord<byte[], byte[]>> deadLetter(Stage stage, ErrorHandlerContext context, Exception error) {
            deadLetters.attempt(pipeline, stage, context.topic(), error);
            if (isGlobal(context) || deadLetterTopic == null) {
                return List.of();
            }
            if (redactedTopics.contains(context.topic())) {
                return List.of(redacted(deadLetterTopic, stage, context, error));
            }
            return List.of(record(deadLetterTopic, stage, context.sourceRawKey(), context.sourceRawValue(), context, error));
        }

        /** A dead letter that says how long the record was and why it failed, with neither its key nor its value. */
        private ProducerRecord<byte[], byte[]> redacted(String topic, Stage stage, ErrorHandlerContext context, Exception error) {
            byte[] key = context.sourceRawKey();
            byte[] value = context.sourceRawValue();
            String body = "{\"redacted\":\"lengths\",\"keyLength\":" + (key == null ? -1 : key.length)
                    + ",\"valueLength\":" + (value == null ? -1 : value.length) + "}";
            Exception masked = new RedactedFailure(error.getClass().getSimpleName() + ": "
                    + DIGIT_RUNS.matcher(DeadLetters.conciseMessage(error, MAX_MESSAGE_CHARS)).replaceAll("[redacted]"));
            ProducerRecord<byte[], byte[]> letter = record(topic, stage, null, body.getBytes(StandardCharsets.UTF_8),
                    new WithoutHeaders(context), masked);
            letter.headers().add(REDACTED_HEADER, "lengths".getBytes(StandardCharsets.UTF_8));
            return letter;
        }
    }

    /** A failure retold without its original message or stack, for records that may carry secrets. */
    private static final class RedactedFailure extends RuntimeException {
        RedactedFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** The context of a record whose own headers must not be copied (a producer may have put anything there). */
    private record WithoutHeaders(ErrorHandlerContext context) implements ErrorHandlerContext {
        @Override public String topic() { return context.topic(); }
        @Override public int partition() { return context.partition(); }
        @Override public long offset() { return context.offset(); }
        @Override public org.apache.kafka.common.header.Headers headers() { return null; }
        @Override public String processorNodeId() { return context.processorNodeId(); }
        @Override public org.apache.kafka.streams.processor.TaskId taskId() { return context.taskId(); }
        @Override public long timestamp() { return context.timestamp(); }
        @Override public byte[] sourceRawKey() { return null; }
        @Override public byte[] sourceRawValue() { return null; }
    }

    static boolean isGlobal(ErrorHandlerContext context) {
        return context.taskId() != null && context.taskId().subtopology() < 0;
    }

    /**
     * A dead letter: the record as it was read, its own headers, and bounded error headers (the message and the top of
     * the stack), so that a record near the size limit still fits the dead-letter topic.
     */
    static ProducerRecord<byte[], byte[]> record(String topic, Stage stage, byte[] key, byte[] value, ErrorHandlerContext context,
                                                 Exception error) {
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, null, context.timestamp() < 0 ? null : context.timestamp(),
                key, value);
        if (context.headers() != null && size(context.headers()) <= MAX_COPIED_HEADER_BYTES) {
            for (Header header : context.headers()) {
                letter.headers().add(header);
            }
        }
        header(letter, ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_NAME, error.getClass().getName());
        header(letter, ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_MESSAGE_NAME, DeadLetters.conciseMessage(error, MAX_MESSAGE_CHARS));
        header(letter, ExceptionHandlerUtils.HEADER_ERRORS_STACKTRACE_NAME, stackTop(error));
        header(letter, ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME, String.valueOf(context.topic()));
        header(letter, ExceptionHandlerUtils.HEADER_ERRORS_PARTITION_NAME, String.valueOf(context.partition()));
        header(letter, ExceptionHandlerUtils.HEADER_ERRORS_OFFSET_NAME, String.valueOf(context.offset()));
        header(letter, STAGE_HEADER, stage.label());
        return letter;
    }

    private static int size(org.apache.kafka.common.header.Headers headers) {
        int bytes = 0;
        for (Header header : headers) {
            bytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return bytes;
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String stackTop(Throwable error) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.println(error.getClass().getName() + ": " + DeadLetters.conciseMessage(error, MAX_MESSAGE_CHARS));
        StackTraceElement[] frames = error.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, MAX_STACK_FRAMES); i++) {
            out.println("\tat " + frames[i]);
        }
        Throwable cause = error.getCause();
        if (cause != null && cause != error) {
            out.println("Caused by: " + cause.getClass().getName() + ": " + DeadLetters.conciseMessage(cause, MAX_MESSAGE_CHARS));
        }
        out.flush();
        return text.toString();
    }

    /** Bytes that do not decode (wrong format, unknown schema id, trailing junk): to the DLQ, then the next record. */
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

    /**
     * A processor threw on a record, or the record is poison: to the DLQ with the source record's bytes, then the next.
     * A failure of Kafka Streams itself that surfaces while a record is processed (an earlier output the broker refused,
     * a broken store) is not that record's fault: it fails the task, and the thread that replaces it starts over.
     */
    public static final class Processing implements ProcessingExceptionHandler {
        private Target target;

        @Override
        public void configure(Map<String, ?> config) {
            target = new Target(config);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception error) {
            if (error instanceof StreamsException) {
                return Response.fail();
            }
            return Response.resume(target.deadLetter(Stage.PROCESSING, context, error));
        }
    }

    /**
     * An output that cannot be serialized (or is too large to write) goes to the DLQ with the source record. A broker
     * error is retried when it is retriable; otherwise the source record is marked as poison and the task fails: under
     * exactly-once its transaction is lost anyway, and the thread that replaces it dead-letters the record.
     */
    public static final class Production implements ProductionExceptionHandler {
        private Target target;

        @Override
        public void configure(Map<String, ?> config) {
            target = new Target(config);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception error) {
            if (error instanceof RetriableException) {
                return Response.retry();
            }
            if (context.topic() != null && context.offset() >= 0) {
                target.poison.mark(new Coordinates(context.topic(), context.partition(), context.offset()),
                        "its output to " + record.topic() + " was refused: " + error.getClass().getSimpleName() + ": "
                                + DeadLetters.conciseMessage(error, MAX_MESSAGE_CHARS));
            }
            return Response.fail();
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception error,
                                                 SerializationExceptionOrigin origin) {
            return Response.resume(target.deadLetter(Stage.PRODUCTION, context, error));
        }
    }
}
