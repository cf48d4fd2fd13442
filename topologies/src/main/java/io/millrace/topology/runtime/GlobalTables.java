package io.millrace.topology.runtime;

import io.millrace.topology.Topic;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Global tables whose records were checked where a bad one can be dead-lettered. Kafka Streams' global thread has
 * no producer and cannot be replaced: a record it cannot decode there used to stop the whole pipeline. So a stream
 * task reads the compacted topic producers write, dead-letters what does not decode, rejects what breaks the
 * table's rule (the table keeps its previous value), passes tombstones on as deletes, and writes what is left to a
 * checked topic; only that topic feeds the global table.
 */
public final class GlobalTables {

    private GlobalTables() {
    }

    /**
     * The global table of {@code input}, materialized as {@code store}, fed through {@code checked}.
     * {@code rule} sees the key and the (non-null) value of each update.
     */
    public static <V extends SpecificRecord> GlobalKTable<String, V> checked(StreamsBuilder builder, Topic<String, V> input,
                                                                           Topic<String, V> checked, String store,
                                                                           BiFunction<String, V, Optional<Violation>> rule,
                                                                           Rejections rejections) {
        return checked(builder, input, checked, store, rule, rejections, accepted -> { });
    }

    /**
     * The same, where {@code accepted} also gets the updates that passed the rule (not the deletes), for a pipeline whose
     * stream tasks react to the table's changes as well: the input topic can have only one reader in a topology.
     */
    public static <V extends SpecificRecord> GlobalKTable<String, V> checked(StreamsBuilder builder, Topic<String, V> input,
                                                                           Topic<String, V> checked, String store,
                                                                           BiFunction<String, V, Optional<Violation>> rule,
                                                                           Rejections rejections, Consumer<KStream<String, V>> accepted) {
        String step = store + "-check";
        KStream<String, V> updates = builder.stream(input.name(), input.consumed());
        // A tombstone deletes the entry: it passes unchecked; everything else must satisfy the rule.
        updates.filter((key, value) -> value == null, Named.as(step + "-deletes"))
                .to(checked.name(), Produced.with(checked.keySerde(), checked.valueSerde()).withName(checked.name() + "-deletes-sink"));
        KStream<String, V> passed = rejections.screen(updates.filter((key, value) -> value != null, Named.as(step + "-updates")),
                input, rule, step);
        passed.to(checked.name(), checked.produced());
        accepted.accept(passed);
        return builder.globalTable(checked.name(), checked.consumed(),
                Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(store)
                        .withKeySerde(checked.keySerde()).withValueSerde(checked.valueSerde()));
    }
}
