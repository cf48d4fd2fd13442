package io.millrace.bench.jmh;

import io.millrace.schemas.common.MetricPoint;
import io.millrace.schemas.registry.InMemorySchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.serde.AvroSerde;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The Confluent-wire-format Avro serde on the hot path: one record serialized and one deserialized. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AvroSerdeBenchmark {

    private Serializer<MetricPoint> serializer;
    private Deserializer<MetricPoint> deserializer;
    private MetricPoint point;
    private byte[] bytes;

    @Setup
    public void setUp() {
        SchemaRegistry registry = new SchemaRegistry(new InMemorySchemaLog());
        registry.start();
        AvroSerde<MetricPoint> serde = new AvroSerde<>(new LocalRegistryClient(registry), MetricPoint.class, false);
        serializer = serde.serializer();
        deserializer = serde.deserializer();
        point = MetricPoint.newBuilder().setSeries("checkout.api.p99").setTimestamp(1_764_000_000_000L).setValue(412.5)
                .setTags(Map.of("region", "eu-west-1", "service", "checkout")).build();
        bytes = serializer.serialize("bench.metrics", point);
    }

    @Benchmark
    public byte[] serialize() {
        return serializer.serialize("bench.metrics", point);
    }

    @Benchmark
    public MetricPoint deserialize() {
        return deserializer.deserialize("bench.metrics", bytes);
    }
}
