package io.millrace.app;

import io.millrace.topology.Pipeline;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A fixture pipeline that does to the platform what a bad record can do: it echoes each word to its output, except
 * {@code blow-up:<n>}, whose echo is n bytes (more than a broker takes), {@code overflow}, which throws a
 * StackOverflowError (an Error, which no exception handler sees), and {@code stall}, which blocks the stream thread
 * until the test releases it.
 */
final class EchoPipeline implements Pipeline {

    private static final Map<String, CountDownLatch> STALLS = new ConcurrentHashMap<>();

    private final String name;
    private final boolean exactlyOnce;

    EchoPipeline(String name, boolean exactlyOnce) {
        this.name = name;
        this.exactlyOnce = exactlyOnce;
        STALLS.put(name, new CountDownLatch(1));
    }

    String words() {
        return name + ".words";
    }

    String echoes() {
        return name + ".echoes";
    }

    /** Lets a stalled stream thread of this pipeline go on. */
    void release() {
        STALLS.get(name).countDown();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<TopicSpec> topics() {
        return List.of(TopicSpec.events(words(), 2), TopicSpec.events(echoes(), 2));
    }

    @Override
    public List<Topic<String, ?>> inputs() {
        return List.of(new Topic<>(TopicSpec.events(words(), 2), Serdes.String(), Serdes.String()));
    }

    @Override
    public List<String> queryableStores() {
        return List.of();
    }

    @Override
    public Map<String, Object> streamsOverrides() {
        return exactlyOnce ? Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2) : Map.of();
    }

    @Override
    public void build(StreamsBuilder builder) {
        CountDownLatch stall = STALLS.get(name);
        builder.stream(words(), Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(word -> echo(word, stall), Named.as(name + "-echo"))
                .to(echoes(), Produced.with(Serdes.String(), Serdes.String()));
    }

    private static String echo(String word, CountDownLatch stall) {
        if (word.startsWith("blow-up:")) {
            return "x".repeat(Integer.parseInt(word.substring("blow-up:".length())));
        }
        if (word.equals("overflow")) {
            throw new StackOverflowError("the echo of 'overflow' recursed without end");
        }
        if (word.equals("stall")) {
            try {
                stall.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return word;
    }
}
