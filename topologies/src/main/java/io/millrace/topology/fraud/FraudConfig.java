package io.millrace.topology.fraud;

import io.millrace.topology.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The fraud pipeline's settings, read from the platform's {@link Settings} ({@code fraud.<name>}: system property
 * {@code millrace.fraud.<name>} or environment variable {@code MILLRACE_FRAUD_<NAME>}). The tokenization key has a development default so
 * that the embedded mode needs no configuration, and that default is refused when {@code MILLRACE_ENV=production}.
 */
public record FraudConfig(
        byte[] tokenizationKey,
        boolean developmentKey,
        ScoringThresholds thresholds,
        long commitIntervalMs,
        Duration decisionRetention,
        Duration cardTransactionRetention) {

    public static final String DEVELOPMENT_KEY = "millrace-development-tokenization-key--never-use-in-production";
    static final int MIN_KEY_LENGTH = 32;

    public FraudConfig {
        tokenizationKey = tokenizationKey.clone();
        if (commitIntervalMs < 1) {
            throw new IllegalArgumentException("commit-interval-ms must be positive");
        }
    }

    @Override
    public byte[] tokenizationKey() {
        return tokenizationKey.clone();
    }

    /** Settings for tests and tools: the development key and default thresholds. */
    public static FraudConfig development() {
        return new FraudConfig(DEVELOPMENT_KEY.getBytes(StandardCharsets.UTF_8), true, ScoringThresholds.defaults(), 100,
                Duration.ofDays(7), Duration.ofDays(35));
    }

    /** The fraud settings of the platform ({@code fraud.*}). */
    public static FraudConfig from(Settings settings) {
        Optional<String> configured = settings.get("fraud.tokenization-key");
        String key = configured.orElse(DEVELOPMENT_KEY);
        boolean developmentKey = key.equals(DEVELOPMENT_KEY);
        if (developmentKey) {
            if (settings.production()) {
                throw new IllegalStateException("MILLRACE_ENV=production but no tokenization key is set: set MILLRACE_FRAUD_TOKENIZATION_KEY "
                        + "(or -Dmillrace.fraud.tokenization-key) to a secret of at least " + MIN_KEY_LENGTH + " characters");
            }
            Settings.warnOnce("fraud.tokenization-key", "fraud: using the built-in development tokenization key; card tokens are not "
                    + "secret. Set MILLRACE_FRAUD_TOKENIZATION_KEY for any real deployment.");
        } else if (key.length() < MIN_KEY_LENGTH) {
            throw new IllegalStateException("The fraud tokenization key must be at least " + MIN_KEY_LENGTH + " characters long");
        }
        ScoringThresholds defaults = ScoringThresholds.defaults();
        ScoringThresholds thresholds = defaults.withScores(decimal(settings, "review-score", defaults.reviewScore()),
                decimal(settings, "decline-score", defaults.declineScore()));
        return new FraudConfig(key.getBytes(StandardCharsets.UTF_8), developmentKey, thresholds,
                whole(settings, "commit-interval-ms", 100), Duration.ofDays(whole(settings, "decision-retention-days", 7)),
                Duration.ofDays(whole(settings, "card-transaction-retention-days", 35)));
    }

    private static double decimal(Settings settings, String name, double fallback) {
        return settings.decimal("fraud." + name, fallback);
    }

    private static long whole(Settings settings, String name, long fallback) {
        return settings.whole("fraud." + name, fallback);
    }
}
