package io.millrace.topology.fraud;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fraud pipeline's settings, read once at start from system properties {@code millrace.fraud.<name>} or
 * environment variables {@code MILLRACE_FRAUD_<NAME>}. The tokenization key has a development default so
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

    private static final Logger log = LoggerFactory.getLogger(FraudConfig.class);

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

    public static FraudConfig fromEnvironment() {
        return load(System::getProperty, System::getenv);
    }

    /** Settings for tests and tools: the development key and default thresholds. */
    public static FraudConfig development() {
        return new FraudConfig(DEVELOPMENT_KEY.getBytes(StandardCharsets.UTF_8), true, ScoringThresholds.defaults(), 100,
                Duration.ofDays(7), Duration.ofDays(35));
    }

    static FraudConfig load(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        Settings settings = new Settings(properties, environment);
        boolean production = "production".equalsIgnoreCase(firstNonBlank(properties.apply("millrace.env"), environment.apply("MILLRACE_ENV")));
        String key = settings.get("tokenization-key");
        boolean developmentKey = key == null || key.equals(DEVELOPMENT_KEY);
        if (developmentKey) {
            if (production) {
                throw new IllegalStateException("MILLRACE_ENV=production but no tokenization key is set: set MILLRACE_FRAUD_TOKENIZATION_KEY "
                        + "(or -Dmillrace.fraud.tokenization-key) to a secret of at least " + MIN_KEY_LENGTH + " characters");
            }
            log.warn("fraud: using the built-in development tokenization key; card tokens are not secret. "
                    + "Set MILLRACE_FRAUD_TOKENIZATION_KEY for any real deployment.");
            key = DEVELOPMENT_KEY;
        } else if (key.length() < MIN_KEY_LENGTH) {
            throw new IllegalStateException("The fraud tokenization key must be at least " + MIN_KEY_LENGTH + " characters long");
        }
        ScoringThresholds defaults = ScoringThresholds.defaults();
        ScoringThresholds thresholds = defaults.withScores(settings.decimal("review-score", defaults.reviewScore()),
                settings.decimal("decline-score", defaults.declineScore()));
        return new FraudConfig(key.getBytes(StandardCharsets.UTF_8), developmentKey, thresholds,
                settings.whole("commit-interval-ms", 100), Duration.ofDays(settings.whole("decision-retention-days", 7)),
                Duration.ofDays(settings.whole("card-transaction-retention-days", 35)));
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    /** Looks up one setting by its short name, property first. */
    private record Settings(UnaryOperator<String> properties, UnaryOperator<String> environment) {

        String get(String name) {
            String value = firstNonBlank(properties.apply("millrace.fraud." + name),
                    environment.apply("MILLRACE_FRAUD_" + name.toUpperCase(Locale.ROOT).replace('-', '_')));
            return value == null || value.isBlank() ? null : value.trim();
        }

        double decimal(String name, double fallback) {
            String value = get(name);
            try {
                return value == null ? fallback : Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("fraud setting " + name + " must be a number, not '" + value + "'");
            }
        }

        long whole(String name, long fallback) {
            String value = get(name);
            try {
                return value == null ? fallback : Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("fraud setting " + name + " must be a whole number, not '" + value + "'");
            }
        }
    }
}
