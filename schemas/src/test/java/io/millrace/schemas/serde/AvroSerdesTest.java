package io.millrace.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.common.MetricPoint;
import io.millrace.schemas.registry.InMemorySchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {

    @Test
    void handsOutOneSerdePerClassAndRole() {
        try (SchemaRegistry registry = new SchemaRegistry(new InMemorySchemaLog())) {
            registry.start();
            AvroSerdes serdes = new AvroSerdes(new LocalRegistryClient(registry));

            assertThat(serdes.value(MetricPoint.class)).isSameAs(serdes.value(MetricPoint.class));
            assertThat(serdes.key(MetricPoint.class)).isSameAs(serdes.key(MetricPoint.class));
            assertThat(serdes.key(MetricPoint.class)).isNotSameAs(serdes.value(MetricPoint.class));
        }
    }

    @Test
    void keySerdesRegisterUnderTheKeySubject() {
        try (SchemaRegistry registry = new SchemaRegistry(new InMemorySchemaLog())) {
            registry.start();
            AvroSerdes serdes = new AvroSerdes(new LocalRegistryClient(registry));
            MetricPoint point = MetricPoint.newBuilder().setSeries("cpu").setTimestamp(1L).setValue(0.5).build();

            serdes.key(MetricPoint.class).serializer().serialize("metrics.points", point);

            assertThat(registry.subjects()).containsExactly("metrics.points-key");
        }
    }
}
