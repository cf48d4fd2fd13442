package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.Affinity;
import io.millrace.schemas.recommendations.TrendSignal;
import io.millrace.schemas.recommendations.TrendingList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A partition of categories: each item's decayed score (log space, so scores compare at any time without being rewritten)
 * and each category's top {@code trendingSize}. An interaction adds its weight at its event time; a newly published item
 * enters with {@code publishBoost} at its publication time. Changed lists are published every {@code publishInterval} (wall
 * clock), for every instance. Items idle longer than {@code idleHorizon} leave the scores and the lists.
 */
final class TrendingBoard implements Processor<String, TrendSignal, String, TrendingList> {

    private final RecommendationsConfig config;
    private final Set<String> changed = new HashSet<>();
    private ProcessorContext<String, TrendingList> context;
    private KeyValueStore<String, Affinity> scores;
    private KeyValueStore<String, TrendingList> tops;

    TrendingBoard(RecommendationsConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, TrendingList> context) {
        this.context = context;
        this.scores = context.getStateStore(RecommendationsStores.ITEM_SCORES);
        this.tops = context.getStateStore(RecommendationsStores.CATEGORY_TOP);
        context.schedule(config.publishInterval(), PunctuationType.WALL_CLOCK_TIME, this::publish);
        Duration sweep = config.idleHorizon().dividedBy(24);
        context.schedule(sweep.isZero() ? Duration.ofMillis(1) : sweep, PunctuationType.WALL_CLOCK_TIME, this::evictIdle);
    }

    @Override
    public void process(Record<String, TrendSignal> record) {
        TrendSignal signal = record.value();
        String category = signal.getCategory();
        String key = category + '|' + signal.getItem();
        Affinity score = scores.get(key);
        if (signal.getPublished()) {
            if (score != null) {
                return;
            }
            score = new Affinity(signal.getItem(), LogScore.of(config.publishBoost(), signal.getTimestamp(), config.trendingHalfLife()),
                    signal.getTimestamp());
        } else {
            double added = LogScore.of(signal.getWeight(), signal.getTimestamp(), config.trendingHalfLife());
            score = score == null ? new Affinity(signal.getItem(), added, signal.getTimestamp())
                    : new Affinity(signal.getItem(), LogScore.add(score.getLogScore(), added), Math.max(score.getLastAt(), signal.getTimestamp()));
        }
        scores.put(key, score);
        TrendingList top = tops.get(category);
        List<Affinity> items = top == null ? new ArrayList<>() : new ArrayList<>(top.getItems());
        if (ranked(items, score)) {
            tops.put(category, new TrendingList(category, items, record.timestamp()));
            changed.add(category);
        }
    }

    /** Puts {@code score} in its place in {@code items} (highest first, bounded); false when it stays out of the top. */
    private boolean ranked(List<Affinity> items, Affinity score) {
        items.removeIf(entry -> entry.getKey().equals(score.getKey()));
        if (items.size() >= config.trendingSize() && items.get(items.size() - 1).getLogScore() >= score.getLogScore()) {
            return false;
        }
        int at = 0;
        while (at < items.size() && items.get(at).getLogScore() >= score.getLogScore()) {
            at++;
        }
        items.add(at, score);
        if (items.size() > config.trendingSize()) {
            items.remove(items.size() - 1);
        }
        return true;
    }

    private void publish(long now) {
        for (String category : changed) {
            TrendingList top = tops.get(category);
            if (top != null) {
                context.forward(new Record<>(category, top, now));
            }
        }
        changed.clear();
    }

    /** Items without an interaction for {@code idleHorizon} (of event time, against the wall clock) leave. */
    private void evictIdle(long now) {
        long horizon = now - config.idleHorizon().toMillis();
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, Affinity> all = scores.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.getLastAt() < horizon) {
                    idle.add(entry.key);
                }
            });
        }
        idle.forEach(scores::delete);
        List<KeyValue<String, TrendingList>> lists = new ArrayList<>();
        try (KeyValueIterator<String, TrendingList> all = tops.all()) {
            all.forEachRemaining(lists::add);
        }
        for (KeyValue<String, TrendingList> list : lists) {
            List<Affinity> kept = list.value.getItems().stream().filter(entry -> entry.getLastAt() >= horizon)
                    .sorted(Comparator.comparingDouble(Affinity::getLogScore).reversed()).toList();
            if (kept.size() != list.value.getItems().size()) {
                tops.put(list.key, new TrendingList(list.key, kept, now));
                changed.add(list.key);
            }
        }
    }
}
