package io.millrace.app;

import com.fasterxml.jackson.core.type.TypeReference;
import io.millrace.api.ApiContext;
import io.millrace.api.ApiException;
import io.millrace.api.PipelineApi;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Role;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.topology.Pipeline;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.runtime.LocalStores;
import io.millrace.topology.runtime.RunningPipeline;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** A fixture pipeline for the platform's own tests: counts words, keyed by word, over four partitions. */
final class TallyPipeline implements Pipeline {

    static final String WORDS = "tally.words";
    static final String COUNTS = "tally-counts";
    static final String NOTIFICATIONS = "tally.notifications";

    @Override
    public String name() {
        return "tally";
    }

    @Override
    public List<TopicSpec> topics() {
        return List.of(TopicSpec.events(WORDS, 4), TopicSpec.events(NOTIFICATIONS, 1));
    }

    @Override
    public List<io.millrace.topology.Topic<String, ?>> inputs() {
        return List.of(new io.millrace.topology.Topic<>(TopicSpec.events(WORDS, 4), Serdes.String(), Serdes.String()));
    }

    @Override
    public List<String> notificationTopics() {
        return List.of(NOTIFICATIONS);
    }

    @Override
    public List<String> queryableStores() {
        return List.of(COUNTS);
    }

    @Override
    public void build(StreamsBuilder builder) {
        builder.stream(WORDS, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long, org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(COUNTS)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
    }

    /** GET /api/tally/counts/{word} (by key) and GET /api/tally/top (fan-out). */
    static final class Api implements PipelineApi<TallyPipeline> {

        record WordCount(String word, long count) {
        }

        @Override
        public void register(ApiRoutes routes, TallyPipeline pipeline, RunningPipeline running, ApiContext context) {
            routes.get("/api/tally/counts/{word}", Doc.of("Count of one word").access(Access.roles(Role.OPERATOR)).returns(WordCount.class).errors(404), ctx -> {
                String word = ctx.pathParam("word");
                context.router().byKey(ctx, running.streams(), COUNTS, word, c -> {
                    Long count = store(running).get(word);
                    if (count == null) {
                        throw ApiException.notFound("No word " + word);
                    }
                    return new WordCount(word, count);
                });
            });
            routes.get("/api/tally/top", Doc.of("All words, most frequent first").access(Access.roles(Role.OPERATOR)).returnsListOf(WordCount.class), ctx ->
                    context.router().scatter(ctx, running.streams(), COUNTS, c -> {
                        List<WordCount> local = new ArrayList<>();
                        try (KeyValueIterator<String, Long> all = store(running).all()) {
                            all.forEachRemaining((KeyValue<String, Long> kv) -> local.add(new WordCount(kv.key, kv.value)));
                        }
                        return local;
                    }, new TypeReference<List<WordCount>>() { }, parts -> parts.stream().flatMap(List::stream)
                            .sorted(Comparator.comparingLong(WordCount::count).reversed()).toList()));
        }

        private static ReadOnlyKeyValueStore<String, Long> store(RunningPipeline running) {
            return LocalStores.keyValue(running.streams(), COUNTS);
        }
    }
}
