package io.millrace.bench.simulate;

import java.util.SplittableRandom;

/** Makes a pipeline's input events: realistic, skewed, with a small share of bad records. */
public interface Simulator {

    /** The pipeline these events feed. */
    String pipeline();

    /** The topic whose growth measures what the pipeline produced (e.g. deliveries for the messenger). */
    String outputTopic();

    /** The next event at {@code nowMillis}; {@code random} is the only source of randomness, so a seed repeats a run. */
    SimulatedEvent next(SplittableRandom random, long nowMillis);
}
