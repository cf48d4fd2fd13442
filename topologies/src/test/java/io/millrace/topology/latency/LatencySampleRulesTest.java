package io.millrace.topology.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.latency.LatencySample;
import io.millrace.topology.runtime.Violation;
import org.junit.jupiter.api.Test;

class LatencySampleRulesTest {

    private static LatencySample sample(String service, String endpoint, long micros, int status) {
        return LatencySample.newBuilder().setService(service).setEndpoint(endpoint).setRegion("eu-west")
                .setDurationMicros(micros).setStatusCode(status).setTimestamp(1_740_819_600_000L).build();
    }

    @Test
    void acceptsAnOrdinaryRequest() {
        assertThat(LatencySampleRules.check(sample("checkout", "cart.add", 18_250, 200))).isEmpty();
        assertThat(LatencySampleRules.check(sample("checkout", "GET /cart/{id}", 0, 503))).isEmpty();
    }

    @Test
    void rejectsNegativeOrAbsurdDurations() {
        assertThat(LatencySampleRules.check(sample("checkout", "cart.add", -5, 200))).get()
                .extracting(Violation::code).isEqualTo("DURATION_OUT_OF_RANGE");
        assertThat(LatencySampleRules.check(sample("checkout", "cart.add", 3_600_000_001L, 200))).isPresent();
    }

    @Test
    void rejectsStatusCodesOutsideHttp() {
        assertThat(LatencySampleRules.check(sample("checkout", "cart.add", 1_000, 0))).get()
                .extracting(Violation::code).isEqualTo("INVALID_STATUS");
    }

    @Test
    void rejectsNamesThatWouldBreakSeriesKeys() {
        assertThat(LatencySampleRules.check(sample("check|out", "cart.add", 1_000, 200))).get()
                .extracting(Violation::code).isEqualTo("INVALID_NAME");
        assertThat(LatencySampleRules.check(sample("", "cart.add", 1_000, 200))).isPresent();
        assertThat(LatencySampleRules.check(sample("*", "cart.add", 1_000, 200))).isPresent();
    }
}
