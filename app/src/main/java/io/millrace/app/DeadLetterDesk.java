package io.millrace.app;

import io.millrace.api.ApiException;
import io.millrace.api.dashboard.DeadLetterBrowser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's dead-letter viewer over the pipelines' dead-letter topics ({@link DeadLetterQueue}): reads the newest
 * letters, and runs replays one at a time per pipeline in the background, keeping the latest replays' progress for the
 * page that polls it.
 */
final class DeadLetterDesk implements DeadLetterBrowser, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterDesk.class);
    private static final int KEPT_JOBS = 50;

    private final Map<String, Object> client;
    private final ExecutorService replays = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "millrace-dlq-replay");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    /** {@code client}: how the platform's Kafka clients connect. */
    DeadLetterDesk(Map<String, Object> client) {
        this.client = Map.copyOf(client);
    }

    @Override
    public List<Letter> latest(String pipeline, int limit) {
        return new DeadLetterQueue(client, pipeline).latest(limit);
    }

    @Override
    public synchronized ReplayJob replay(String pipeline, Optional<List<String>> letters) {
        Optional<Job> running = jobs.values().stream().filter(j -> j.pipeline.equals(pipeline) && j.finishedAt.get() == 0).findFirst();
        if (running.isPresent()) {
            throw new ApiException(409, "conflict", "Replay " + running.get().id + " of " + pipeline
                    + " is still running; wait for it (each letter is replayed at most once either way)");
        }
        String id = "r" + ids.incrementAndGet() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        Job job = new Job(id, pipeline, letters.map(List::size).orElse(-1));
        jobs.put(id, job);
        while (jobs.size() > KEPT_JOBS) {
            jobs.remove(jobs.keySet().iterator().next());
        }
        replays.submit(() -> run(job, letters));
        return job.view();
    }

    @Override
    public synchronized Optional<ReplayJob> job(String id) {
        return Optional.ofNullable(jobs.get(id)).map(Job::view);
    }

    private void run(Job job, Optional<List<String>> letters) {
        DeadLetterQueue queue = new DeadLetterQueue(client, job.pipeline);
        try {
            if (letters.isPresent()) {
                queue.replay(letters.get(), job);
            } else {
                queue.replayPending(Integer.MAX_VALUE, job);
            }
            log.info("{}: replay {} sent {} dead letter(s) back ({} replayed before, {} not found)", job.pipeline, job.id,
                    job.replayed.get(), job.alreadyReplayed.get(), job.missing.get());
        } catch (RuntimeException e) {
            job.error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.warn("{}: replay {} failed after {} letter(s): {}", job.pipeline, job.id, job.replayed.get(), e.toString());
        } finally {
            job.finishedAt.set(System.currentTimeMillis());
        }
    }

    /** A replay as it runs: counts move as letters go. */
    private static final class Job implements DeadLetterQueue.Progress {
        final String id;
        final String pipeline;
        final int requested;
        final long startedAt = System.currentTimeMillis();
        final AtomicInteger replayed = new AtomicInteger();
        final AtomicInteger alreadyReplayed = new AtomicInteger();
        final AtomicInteger missing = new AtomicInteger();
        final AtomicLong finishedAt = new AtomicLong();
        volatile String error;

        Job(String id, String pipeline, int requested) {
            this.id = id;
            this.pipeline = pipeline;
            this.requested = requested;
        }

        @Override
        public void replayed() {
            replayed.incrementAndGet();
        }

        @Override
        public void alreadyReplayed() {
            alreadyReplayed.incrementAndGet();
        }

        @Override
        public void missing() {
            missing.incrementAndGet();
        }

        ReplayJob view() {
            long finished = finishedAt.get();
            String state = finished == 0 ? "RUNNING" : error == null ? "DONE" : "FAILED";
            return new ReplayJob(id, pipeline, state, requested, replayed.get(), alreadyReplayed.get(), missing.get(), startedAt,
                    finished == 0 ? Optional.empty() : Optional.of(finished), Optional.ofNullable(error));
        }
    }

    @Override
    public void close() {
        replays.shutdownNow();
    }
}
