package io.millrace.topology.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.schemas.common.Rejected;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The rejected-events topic of one pipeline: events that decoded but broke a domain rule go there
 * with a code and a reason, and are counted in {@code millrace.rejected{pipeline,code}}.
 *
 * <p>A rejection is stamped with the time the pipeline rejected it: the stream task's wall clock
 * ({@code currentSystemTimeMs}, which a TopologyTestDriver controls), never the event's own time. Its
 * {@code eventJson} keeps at most {@value #MAX_EVENT_JSON_CHARS} characters of the event; the whole event
 * stays on the source topic.
 */
public final class Rejections {

    /** The code of a record without a value (a tombstone) on a topic of events. */
    public static final String NO_VALUE = "NO_VALUE";
    static final int MAX_EVENT_JSON_CHARS = 65_536;

    private final String pipeline;
    private final Topic<String, Rejected> topic;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public Rejections(Pipeline pipeline, PipelineContext context) {
        this.pipeline = pipeline.name();
        this.topic = new Topic<>(TopicSpec.errors(pipeline.rejectedTopic(), 1), Serdes.String(), context.serdes().value(Rejected.class));
        this.meters = context.meters();
    }

    public Topic<String, Rejected> topic() {
        return topic;
    }

    /**
     * The rejection of {@code shown} (the event, or what of it may be kept: never a secret) for {@code violation}, read
     * from {@code sourceTopic}, stamped with the task's wall clock. The one way every step builds a rejection.
     */
    public Rejected reject(Violation violation, String sourceTopic, SpecificRecord shown, ProcessingContext context) {
        return Rejected.newBuilder()
                .setPipeline(pipeline)
                .setCode(violation.code())
                .setReason(violation.reason())
                .setSourceTopic(sourceTopic)
                .setEventType(shown.getSchema().getFullName())
                .setEventJson(bounded(toJson(shown)))
                .setTimestamp(context.currentSystemTimeMs())
                .build();
    }

    /** The same, for the record being processed, from the topic it was read from. */
    public Rejected reject(Violation violation, SpecificRecord shown, ProcessingContext context) {
        return reject(violation, context.recordMetadata().map(RecordMetadata::topic).orElse("unknown"), shown, context);
    }

    /** The rejection of a record that had no value at all. */
    public Rejected rejectMissingValue(String sourceTopic, String eventType, ProcessingContext context) {
        long timestamp = context.currentSystemTimeMs();
        return Rejected.newBuilder()
                .setPipeline(pipeline)
                .setCode(NO_VALUE)
                .setReason("a record without a value (a tombstone) is not an event on " + sourceTopic)
                .setSourceTopic(sourceTopic)
                .setEventType(eventType)
                .setEventJson("null")
                .setTimestamp(timestamp)
                .build();
    }

    /**
     * Checks each event of {@code events} (read from {@code source}) against {@code rule}: a record without a value, or
     * one that breaks the rule, goes to the rejected topic; the events that pass are returned. {@code step} names the
     * processors, so that a pipeline can screen several streams.
     */
    public <V extends SpecificRecord> KStream<String, V> screen(KStream<String, V> events, Topic<String, V> source,
                                                                BiFunction<String, V, Optional<Violation>> rule, String step) {
        return screen(events, source, rule, event -> event, step);
    }

    /** The same, where a rejection keeps only what {@code shown} makes of the event (a message without its body, say). */
    public <V extends SpecificRecord> KStream<String, V> screen(KStream<String, V> events, Topic<String, V> source,
                                                                BiFunction<String, V, Optional<Violation>> rule,
                                                                Function<V, ? extends SpecificRecord> shown, String step) {
        String eventType = source.eventType();
        KStream<String, Outcome<V>> outcomes = events.processValues(() -> new FixedKeyProcessor<String, V, Outcome<V>>() {
            private FixedKeyProcessorContext<String, Outcome<V>> context;

            @Override
            public void init(FixedKeyProcessorContext<String, Outcome<V>> context) {
                this.context = context;
            }

            @Override
            public void process(FixedKeyRecord<String, V> record) {
                V event = record.value();
                Optional<Violation> violation = event == null ? Optional.empty() : rule.apply(record.key(), event);
                Outcome<V> outcome = event == null ? Outcome.reject(rejectMissingValue(source.name(), eventType, context))
                        : violation.map(v -> Outcome.<V>reject(reject(v, source.name(), shown.apply(event), context)))
                                .orElseGet(() -> Outcome.accept(event));
                context.forward(record.withValue(outcome));
            }
        }, Named.as(step + "-screen"));
        return passed(outcomes, step);
    }

    /** The events of an input topic: a record without a value is rejected ({@value #NO_VALUE}), the rest pass on. */
    public <V extends SpecificRecord> KStream<String, V> events(StreamsBuilder builder, Topic<String, V> topic) {
        return screen(builder.stream(topic.name(), topic.consumed()), topic, (key, event) -> Optional.empty(),
                topic.name().replace('.', '-') + "-present");
    }

    /**
     * Sends a step's rejections to the rejected topic and passes the accepted values on. Every rejected outcome here was
     * stamped by its step ({@link Outcome#reject}).
     */
    public <T> KStream<String, T> passed(KStream<String, Outcome<T>> outcomes, String step) {
        sink(outcomes.filter((key, outcome) -> outcome.isRejected(), Named.as(step + "-refused"))
                .mapValues(Outcome::rejected, Named.as(step + "-rejection")), step);
        return outcomes.filterNot((key, outcome) -> outcome.isRejected(), Named.as(step + "-passed"))
                .mapValues(Outcome::accepted, Named.as(step + "-accepted"));
    }

    private static String bounded(String json) {
        return json.length() <= MAX_EVENT_JSON_CHARS ? json
                : json.substring(0, MAX_EVENT_JSON_CHARS) + "…(" + json.length() + " characters; the whole event is on the source topic)";
    }

    /** Counts and writes rejections to {@code <pipeline>.rejected}. */
    public void sink(KStream<String, Rejected> rejected) {
        rejected.peek((key, rejection) -> count(rejection.getCode()))
                .to(topic.name(), topic.produced());
    }

    /**
     * The same, for a pipeline that rejects in several places: {@code step} names this sink, so that
     * each sub-topology writes its own rejections instead of merging them (a merge would fuse the
     * sub-topologies and force their inputs to be co-partitioned).
     */
    public void sink(KStream<String, Rejected> rejected, String step) {
        rejected.peek((key, rejection) -> count(rejection.getCode()), Named.as(topic.name() + "-count-" + step))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName(topic.name() + "-sink-" + step));
    }

    private void count(String code) {
        counters.computeIfAbsent(code, c -> Counter.builder("millrace.rejected")
                .description("Events rejected by a domain rule")
                .tag("pipeline", pipeline).tag("code", c)
                .register(meters)).increment();
    }

    private static String toJson(SpecificRecord event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(event.getSchema(), out);
            new SpecificDatumWriter<SpecificRecord>(event.getSchema()).write(event, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
