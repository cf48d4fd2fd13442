package io.millrace.api.dashboard;

import java.util.List;
import java.util.Optional;

/**
 * What the dashboard's dead-letter viewer asks of the platform: the latest dead letters of a pipeline, and replays of
 * them into the topics they failed on, each letter at most once, with progress. The app implements it over the
 * dead-letter topics; the HTTP layer only asks.
 */
public interface DeadLetterBrowser {

    /** At most this many bytes of a letter's key and of its value are shown. */
    int SHOWN_BYTES = 4 * 1024;

    /** The newest {@code limit} letters of the pipeline's dead-letter topic, newest first. */
    List<Letter> latest(String pipeline, int limit);

    /** Starts replaying {@code letters} (ids as {@link Letter#id()}), or every letter not replayed yet when empty. */
    ReplayJob replay(String pipeline, Optional<List<String>> letters);

    /** A replay started on this instance, as it stands now. */
    Optional<ReplayJob> job(String id);

    /**
     * One dead letter: where it sits ({@code partition:offset} of the dead-letter topic), where it failed, why, and at most
     * {@link #SHOWN_BYTES} of its key and value as base64 (never decoded). A letter of a topic that may carry secrets holds
     * only lengths, and that is all it shows.
     */
    record Letter(String id, int partition, long offset, long timestamp, String stage, String sourceTopic, String sourcePartition,
                  String sourceOffset, String exception, String message, String stackTrace, boolean redacted, boolean replayed,
                  int keyBytes, String keyBase64, int valueBytes, String valueBase64) {
    }

    /**
     * A replay: RUNNING, then DONE or FAILED; how many letters it was asked for (-1: every pending one), sent back, found
     * replayed before, and not found (gone with the topic's retention, or written by an aborted transaction).
     */
    record ReplayJob(String id, String pipeline, String state, int requested, int replayed, int alreadyReplayed, int missing,
                     long startedAt, Optional<Long> finishedAt, Optional<String> error) {
    }

    /** For an HTTP layer without dead-letter topics to read (tests of the layer itself). */
    static DeadLetterBrowser none() {
        return new DeadLetterBrowser() {
            @Override
            public List<Letter> latest(String pipeline, int limit) {
                return List.of();
            }

            @Override
            public ReplayJob replay(String pipeline, Optional<List<String>> letters) {
                throw new io.millrace.api.ApiException(503, "unavailable", "Dead letters cannot be replayed from this instance");
            }

            @Override
            public Optional<ReplayJob> job(String id) {
                return Optional.empty();
            }
        };
    }
}
