package io.millrace.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/** A topic together with the serdes of its keys and values, declared once per pipeline. */
public record Topic<K, V>(TopicSpec spec, Serde<K> keySerde, Serde<V> valueSerde) {

    public String name() {
        return spec.name();
    }

    public Consumed<K, V> consumed() {
        return Consumed.with(keySerde, valueSerde).withName(name() + "-source");
    }

    public Produced<K, V> produced() {
        return Produced.with(keySerde, valueSerde).withName(name() + "-sink");
    }
}
