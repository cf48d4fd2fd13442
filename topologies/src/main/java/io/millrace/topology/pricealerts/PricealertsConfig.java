package io.millrace.topology.pricealerts;

import io.millrace.topology.Settings;
import java.time.Duration;

/**
 * The price alerts' settings, read from the platform's {@link Settings} ({@code pricealerts.<name>}: system property
 * {@code millrace.pricealerts.<name>} or environment variable {@code MILLRACE_PRICEALERTS_<NAME>}).
 *
 * @param commitIntervalMs   exactly-once commit interval: how long an alert may wait for its transaction
 * @param maxProvidersPerOffer quotes kept per offer; the dearest make room
 * @param expiryCheck        how often lapsed quotes are looked for (wall clock)
 * @param maxWatchesPerUser  watches one user may have
 * @param alertRetention     how long a user's alerts are kept for queries
 */
public record PricealertsConfig(long commitIntervalMs, int maxProvidersPerOffer, Duration expiryCheck, int maxWatchesPerUser,
                                Duration alertRetention) {

    public PricealertsConfig {
        if (commitIntervalMs < 1 || maxProvidersPerOffer < 1 || expiryCheck.isNegative() || expiryCheck.isZero() || maxWatchesPerUser < 1) {
            throw new IllegalArgumentException("pricealerts settings must be positive");
        }
    }

    public static PricealertsConfig defaults() {
        return new PricealertsConfig(100, 16, Duration.ofSeconds(1), 1000, Duration.ofDays(30));
    }

    /** The pricealerts settings of the platform ({@code pricealerts.*}). */
    public static PricealertsConfig from(Settings settings) {
        PricealertsConfig defaults = defaults();
        return new PricealertsConfig(whole(settings, "commit-interval-ms", defaults.commitIntervalMs()),
                (int) whole(settings, "max-providers-per-offer", defaults.maxProvidersPerOffer()),
                Duration.ofMillis(whole(settings, "expiry-check-ms", defaults.expiryCheck().toMillis())),
                (int) whole(settings, "max-watches-per-user", defaults.maxWatchesPerUser()),
                Duration.ofDays(whole(settings, "alert-retention-days", defaults.alertRetention().toDays())));
    }

    private static long whole(Settings settings, String name, long fallback) {
        return settings.whole("pricealerts." + name, fallback);
    }
}
