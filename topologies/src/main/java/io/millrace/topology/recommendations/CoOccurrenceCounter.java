package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.CoViews;
import io.millrace.schemas.recommendations.Neighbour;
import io.millrace.schemas.recommendations.SimilarItems;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A partition of items: how many sessions saw each other item with it. Each item counts at most twice
 * {@code similarSize} neighbours, the most seen first; a new neighbour of a full item takes the place of the least seen
 * (the older on a tie), so memory per item is bounded and a neighbour must be seen again to stay. Changed lists, their
 * first {@code similarSize}, are published every {@code publishInterval} (wall clock), for every instance.
 */
final class CoOccurrenceCounter implements Processor<String, CoViews, String, SimilarItems> {

    static final Comparator<Neighbour> MOST_SEEN = Comparator.comparingLong(Neighbour::getCount).reversed()
            .thenComparing(Comparator.comparingLong(Neighbour::getLastAt).reversed()).thenComparing(Neighbour::getItem);

    private final RecommendationsConfig config;
    private final Set<String> changed = new HashSet<>();
    private ProcessorContext<String, SimilarItems> context;
    private KeyValueStore<String, SimilarItems> counts;

    CoOccurrenceCounter(RecommendationsConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, SimilarItems> context) {
        this.context = context;
        this.counts = context.getStateStore(RecommendationsStores.CO_COUNTS);
        context.schedule(config.publishInterval(), PunctuationType.WALL_CLOCK_TIME, this::publish);
    }

    @Override
    public void process(Record<String, CoViews> record) {
        CoViews views = record.value();
        SimilarItems current = counts.get(record.key());
        List<Neighbour> neighbours = current == null ? new ArrayList<>() : new ArrayList<>(current.getNeighbours());
        for (String other : views.getOthers()) {
            if (other.equals(record.key())) {
                continue;
            }
            counted(neighbours, other, views.getTimestamp());
        }
        neighbours.sort(MOST_SEEN);
        counts.put(record.key(), new SimilarItems(record.key(), neighbours, views.getTimestamp()));
        changed.add(record.key());
    }

    private void counted(List<Neighbour> neighbours, String other, long at) {
        for (int i = 0; i < neighbours.size(); i++) {
            Neighbour neighbour = neighbours.get(i);
            if (neighbour.getItem().equals(other)) {
                neighbours.set(i, new Neighbour(other, neighbour.getCount() + 1, Math.max(at, neighbour.getLastAt())));
                return;
            }
        }
        if (neighbours.size() >= 2 * config.similarSize()) {
            neighbours.sort(MOST_SEEN);
            neighbours.remove(neighbours.size() - 1);
        }
        neighbours.add(new Neighbour(other, 1L, at));
    }

    private void publish(long now) {
        for (String item : changed) {
            SimilarItems all = counts.get(item);
            if (all != null) {
                List<Neighbour> first = all.getNeighbours().size() <= config.similarSize() ? all.getNeighbours()
                        : List.copyOf(all.getNeighbours().subList(0, config.similarSize()));
                context.forward(new Record<>(item, new SimilarItems(item, first, all.getTimestamp()), now));
            }
        }
        changed.clear();
    }
}
