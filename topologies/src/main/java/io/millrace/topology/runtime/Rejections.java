package io.millrace.topology.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.schemas.common.Rejected;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The rejected-events topic of one pipeline: events that decoded but broke a domain rule go there
 * with a code and a reason, and are counted in {@code millrace.rejected{pipeline,code}}.
 */
public final class Rejections {

    private final String pipeline;
    private final Topic<String, Rejected> topic;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public Rejections(String pipeline, PipelineContext context) {
        this.pipeline = pipeline;
        this.topic = new Topic<>(TopicSpec.errors(pipeline + ".rejected", 1), Serdes.String(), context.serdes().value(Rejected.class));
        this.meters = context.meters();
    }

    public Topic<String, Rejected> topic() {
        return topic;
    }

    /** Builds the rejection of {@code event} read from {@code sourceTopic}. */
    public Rejected reject(String code, String reason, String sourceTopic, SpecificRecord event, long timestamp) {
        return Rejected.newBuilder()
                .setPipeline(pipeline)
                .setCode(code)
                .setReason(reason)
                .setSourceTopic(sourceTopic)
                .setEventType(event.getSchema().getFullName())
                .setEventJson(toJson(event))
                .setTimestamp(timestamp)
                .build();
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
