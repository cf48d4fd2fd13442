package io.millrace.bench.harness;

/** Starts the pipeline under test against the benchmark's broker; the caller decides when, so the input can be loaded first. */
public interface PipelineLauncher {

    /** Creates the pipeline's topics without starting it. */
    void provisionTopics();

    /**
     * Topics the pipeline's stream threads consume, by their real names: inputs, intermediate and
     * repartition topics (not those read only into global stores).
     */
    java.util.Set<String> sourceTopics();

    /** Starts the pipeline; the handle says when it is running and stops it. */
    Started start();

    /** A started pipeline. */
    interface Started extends AutoCloseable {
        boolean isRunning();

        /** Records the pipeline's stream threads have processed so far (Kafka Streams' process-total). */
        double processedRecords();

        /** The consumer group of the pipeline (its application id). */
        String consumerGroup();

        /** Stops processing (the pipeline keeps its partitions and state) until {@link #resume}. */
        void pause();

        void resume();

        @Override
        void close();
    }
}
