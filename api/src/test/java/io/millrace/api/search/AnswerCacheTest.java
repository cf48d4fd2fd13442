package io.millrace.api.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {

    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong now = new AtomicLong();
    private final AnswerCache cache = new AnswerCache(Duration.ofSeconds(1), generation::get, now::get);

    @Test
    void servesAnAnswerAgainWhileYoungAndTheIndexUnchanged() {
        cache.put("kafka|1|10|", "answer");
        now.addAndGet(Duration.ofMillis(900).toNanos());

        assertThat(cache.get("kafka|1|10|")).isEqualTo("answer");
        assertThat(cache.get("kafka|2|10|")).isNull();
    }

    @Test
    void dropsAnAnswerOnceTheIndexChangedOrItAged() {
        cache.put("kafka|1|10|", "answer");
        generation.incrementAndGet();
        assertThat(cache.get("kafka|1|10|")).isNull();

        cache.put("kafka|1|10|", "answer");
        now.addAndGet(Duration.ofMillis(1001).toNanos());
        assertThat(cache.get("kafka|1|10|")).isNull();
    }

    @Test
    void aZeroTimeToLiveCachesNothing() {
        AnswerCache off = new AnswerCache(Duration.ZERO, generation::get, now::get);
        off.put("kafka|1|10|", "answer");

        assertThat(off.get("kafka|1|10|")).isNull();
    }
}
