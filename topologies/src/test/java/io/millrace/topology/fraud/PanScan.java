package io.millrace.topology.fraud;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/** Looks for given card numbers in record bytes and store contents, and says where it found them. */
final class PanScan {

    private final List<String> pans;
    private final List<String> findings = new ArrayList<>();
    private final Set<String> topics = new TreeSet<>();
    private int records;
    private int storeEntries;

    private PanScan(List<String> pans) {
        this.pans = pans;
    }

    static PanScan of(List<String> pans) {
        return new PanScan(pans);
    }

    void record(String topic, byte[] key, byte[] value, Headers headers) {
        topics.add(topic);
        records++;
        check(topic + " key", key);
        check(topic + " value", value);
        for (Header header : headers) {
            check(topic + " header " + header.key(), header.value());
        }
    }

    @SuppressWarnings("unchecked")
    void store(String name, StateStore store) {
        if (store instanceof KeyValueStore<?, ?> kv) {
            try (KeyValueIterator<Object, Object> all = ((KeyValueStore<Object, Object>) kv).all()) {
                all.forEachRemaining(entry -> entry(name, entry));
            }
        } else if (store instanceof WindowStore<?, ?> window) {
            try (var all = ((WindowStore<Object, Object>) window).all()) {
                all.forEachRemaining(entry -> entry(name, new KeyValue<>(entry.key, entry.value)));
            }
        } else {
            throw new AssertionError("cannot scan store " + name + " of type " + store.getClass());
        }
    }

    private void entry(String store, KeyValue<?, ?> entry) {
        storeEntries++;
        check(store + " key", String.valueOf(entry.key).getBytes(StandardCharsets.UTF_8));
        check(store + " value", String.valueOf(entry.value).getBytes(StandardCharsets.UTF_8));
    }

    private void check(String where, byte[] bytes) {
        if (bytes == null) {
            return;
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        for (String pan : pans) {
            if (text.contains(pan)) {
                findings.add(pan.substring(pan.length() - 4) + " in " + where);
            }
        }
    }

    List<String> findings() {
        return findings;
    }

    Set<String> topicsScanned() {
        return topics;
    }

    int recordsScanned() {
        return records;
    }

    int storeEntriesScanned() {
        return storeEntries;
    }
}
