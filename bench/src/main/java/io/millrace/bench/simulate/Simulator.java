package io.millrace.bench.simulate;

import java.util.List;
import java.util.SplittableRandom;

/** Makes a pipeline's input events: realistic, skewed, with a small share of bad records. */
public interface Simulator {

    /** The pipeline these events feed. */
    String pipeline();

    /** The topic whose growth measures what the pipeline produced (e.g. deliveries for the messenger). */
    String outputTopic();

    /** The next event at {@code nowMillis}; {@code random} is the only source of randomness, so a seed repeats a run. */
    SimulatedEvent next(SplittableRandom random, long nowMillis);

    /**
     * The state the pipeline carries in its case study before anything is measured (a million price watches, say): the
     * benchmark loads these events and lets the pipeline take them in first, and counts none of them. None by default.
     */
    default List<SimulatedEvent> standingState(SplittableRandom random, long nowMillis) {
        return List.of();
    }
}
