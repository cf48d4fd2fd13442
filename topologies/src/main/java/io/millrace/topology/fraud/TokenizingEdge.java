package io.millrace.topology.fraud;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.schemas.common.Rejected;
import io.millrace.topology.runtime.DeadLetterHandlers;
import io.millrace.topology.runtime.DeadLetters;
import io.millrace.topology.runtime.Rejections;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The only step of the pipeline that sees card numbers. It reads a raw topic as bytes and decodes, tokenizes and
 * re-encodes each event itself, so that no Kafka error handler ever gets hold of the raw bytes: a record it cannot
 * turn into a tokenized event becomes a redacted dead letter (keyed digests and lengths instead of the bytes,
 * with the usual error headers) and is counted like any other. Producers' headers are not carried over.
 */
public final class TokenizingEdge<R extends SpecificRecord, T extends SpecificRecord>
        implements Processor<byte[], byte[], String, TokenizingEdge.Output> {

    /** Marks a dead letter whose key and value were replaced by keyed digests. */
    public static final String REDACTED_HEADER = "millrace.redacted";
    // Anything that could be a card number in an error message is masked before it is logged or kept.
    private static final Pattern DIGIT_RUNS = Pattern.compile("\\d[\\d -]{10,}\\d");
    private static final int MAX_MESSAGE = 200;

    /** Bytes for the tokenized topic, a redacted dead letter for the pipeline's DLQ, or the rejection of an empty record. */
    public record Output(byte[] bytes, boolean deadLetter, Rejected rejected) {

        static Output tokenized(byte[] bytes) {
            return new Output(bytes, false, null);
        }

        static Output deadLetter(byte[] bytes) {
            return new Output(bytes, true, null);
        }

        static Output rejection(Rejected rejected) {
            return new Output(null, false, rejected);
        }

        public boolean isRejected() {
            return rejected != null;
        }
    }

    private final String pipeline;
    private final Rejections rejections;
    private final String eventType;
    private final Deserializer<R> raw;
    private final String tokenizedTopic;
    private final Serializer<T> tokenized;
    private final CardTokenizer tokenizer;
    private final BiFunction<R, CardTokenizer, Tokenization.Tokenized<T>> tokenize;
    private ProcessorContext<String, Output> context;
    private DeadLetters deadLetters;

    public TokenizingEdge(String pipeline, Rejections rejections, String eventType, Deserializer<R> raw, String tokenizedTopic,
                          Serializer<T> tokenized, CardTokenizer tokenizer, BiFunction<R, CardTokenizer, Tokenization.Tokenized<T>> tokenize) {
        this.pipeline = pipeline;
        this.rejections = rejections;
        this.eventType = eventType;
        this.raw = raw;
        this.tokenizedTopic = tokenizedTopic;
        this.tokenized = tokenized;
        this.tokenizer = tokenizer;
        this.tokenize = tokenize;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.deadLetters = context.appConfigs().get(DeadLetters.CONFIG_KEY) instanceof DeadLetters counting
                ? counting : new DeadLetters(new SimpleMeterRegistry());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String sourceTopic = context.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
        DeadLetters.Stage stage = DeadLetters.Stage.DESERIALIZATION;
        Record<String, Output> out;
        if (record.value() == null) {
            // A tombstone carries no card number: it is rejected like on every other topic of events.
            context.forward(new Record<>(null, Output.rejection(rejections.rejectMissingValue(sourceTopic, eventType, context)), record.timestamp(), new RecordHeaders()));
            return;
        }
        try {
            R event = raw.deserialize(sourceTopic, record.value());
            stage = DeadLetters.Stage.PROCESSING;
            Tokenization.Tokenized<T> result = tokenize.apply(event, tokenizer);
            stage = DeadLetters.Stage.PRODUCTION;
            byte[] bytes = tokenized.serialize(tokenizedTopic, result.value());
            out = new Record<>(result.key(), Output.tokenized(bytes), record.timestamp(), new RecordHeaders());
        } catch (RuntimeException e) {
            out = deadLetter(record, sourceTopic, stage, e);
        }
        context.forward(out);
    }

    private Record<String, Output> deadLetter(Record<byte[], byte[]> record, String sourceTopic, DeadLetters.Stage stage,
                                              RuntimeException error) {
        String message = redact(error);
        deadLetters.attempt(pipeline, stage, sourceTopic, new RedactedError(error.getClass().getSimpleName() + ": " + message));
        Headers headers = new RecordHeaders();
        header(headers, "__streams.errors.exception", error.getClass().getName());
        header(headers, "__streams.errors.message", message);
        header(headers, "__streams.errors.topic", sourceTopic);
        context.recordMetadata().ifPresent(m -> {
            header(headers, "__streams.errors.partition", String.valueOf(m.partition()));
            header(headers, "__streams.errors.offset", String.valueOf(m.offset()));
        });
        header(headers, REDACTED_HEADER, "hmac-sha256");
        header(headers, DeadLetterHandlers.STAGE_HEADER, stage.label());
        String keyDigest = record.key() == null ? null : tokenizer.digest(record.key());
        String body = "{\"redacted\":\"hmac-sha256\""
                + (keyDigest == null ? "" : ",\"keyDigest\":\"" + keyDigest + "\",\"keyLength\":" + record.key().length)
                + (record.value() == null ? "" : ",\"valueDigest\":\"" + tokenizer.digest(record.value()) + "\",\"valueLength\":"
                + record.value().length)
                + "}";
        return new Record<>(keyDigest, Output.deadLetter(body.getBytes(StandardCharsets.UTF_8)), record.timestamp(), headers);
    }

    static String redact(Throwable error) {
        String message = String.valueOf(error.getMessage());
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline);
        String masked = DIGIT_RUNS.matcher(firstLine).replaceAll("[redacted]");
        return masked.length() > MAX_MESSAGE ? masked.substring(0, MAX_MESSAGE) + "…" : masked;
    }

    private static void header(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** What the dead-letter counter logs: the failure's kind and its redacted message, never the original exception. */
    private static final class RedactedError extends RuntimeException {
        RedactedError(String message) {
            super(message, null, false, false);
        }
    }
}
