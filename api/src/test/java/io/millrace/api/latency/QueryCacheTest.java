package io.millrace.api.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QueryCacheTest {

    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private final QueryCache cache = new QueryCache(2, Duration.ofSeconds(5), generation::get, nanos::get);
    private final AtomicInteger computed = new AtomicInteger();

    private String slowest() {
        return cache.get("slowest|10|5m", () -> "answer " + computed.incrementAndGet());
    }

    @Test
    void repeatsTheAnswerUntilAWindowCloses() {
        assertThat(slowest()).isEqualTo("answer 1");
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(slowest()).isEqualTo("answer 1");

        generation.incrementAndGet();

        assertThat(slowest()).isEqualTo("answer 2");
    }

    @Test
    void answersExpireAfterTheirTimeToLive() {
        slowest();
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());

        assertThat(slowest()).isEqualTo("answer 2");
    }

    @Test
    void dropsTheLeastRecentlyUsedAnswerBeyondItsCapacity() {
        cache.get("services", () -> "services");
        cache.get("alerts|ALL", () -> "alerts");
        cache.get("services", () -> "services again");
        cache.get("slowest|10|5m", () -> "slowest");

        assertThat(cache.get("services", () -> "recomputed")).isEqualTo("services");
        assertThat(cache.get("alerts|ALL", () -> "recomputed")).isEqualTo("recomputed");
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void doesNotKeepAnAnswerComputedWhileAWindowClosed() {
        cache.get("services", () -> {
            generation.incrementAndGet();
            return "computed across a close";
        });

        assertThat(cache.get("services", () -> "fresh")).isEqualTo("fresh");
    }

    @Test
    void reportsHitsMissesAndHitRatioAsMetrics() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        cache.bindTo(meters, "latency-queries");
        slowest();
        slowest();
        slowest();
        cache.get("services", () -> "services");

        assertThat(meters.get("cache.gets").tags("cache", "latency-queries", "result", "hit").functionCounter().count()).isEqualTo(2);
        assertThat(meters.get("cache.gets").tags("cache", "latency-queries", "result", "miss").functionCounter().count()).isEqualTo(2);
        assertThat(meters.get("cache.hit.ratio").tags("cache", "latency-queries").gauge().value()).isEqualTo(0.5);
        assertThat(meters.get("cache.size").gauge().value()).isEqualTo(2);
    }
}
