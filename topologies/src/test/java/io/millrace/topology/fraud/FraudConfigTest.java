package io.millrace.topology.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.topology.Settings;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FraudConfigTest {

    private static FraudConfig load(Map<String, String> properties, Map<String, String> environment) {
        return FraudConfig.from(Settings.read(environment, properties));
    }

    @Test
    void usesTheDevelopmentKeyWhenNothingIsConfigured() {
        FraudConfig config = load(Map.of(), Map.of());

        assertThat(config.developmentKey()).isTrue();
        assertThat(new String(config.tokenizationKey(), StandardCharsets.UTF_8)).isEqualTo(FraudConfig.DEVELOPMENT_KEY);
        assertThat(config.thresholds()).isEqualTo(ScoringThresholds.defaults());
        assertThat(config.commitIntervalMs()).isEqualTo(100);
    }

    @Test
    void refusesToStartInProductionWithoutAKey() {
        assertThatThrownBy(() -> load(Map.of(), Map.of("MILLRACE_ENV", "production")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MILLRACE_FRAUD_TOKENIZATION_KEY");
        assertThatThrownBy(() -> load(Map.of(), Map.of("MILLRACE_ENV", "production", "MILLRACE_FRAUD_TOKENIZATION_KEY", FraudConfig.DEVELOPMENT_KEY)))
                .as("nor with the development key set explicitly").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void takesTheKeyFromTheEnvironmentOrASystemPropertyWhichWins() {
        String envKey = "k".repeat(FraudConfig.MIN_KEY_LENGTH);
        String propertyKey = "p".repeat(FraudConfig.MIN_KEY_LENGTH + 8);

        FraudConfig fromEnv = load(Map.of(), Map.of("MILLRACE_ENV", "production", "MILLRACE_FRAUD_TOKENIZATION_KEY", envKey));
        FraudConfig fromProperty = load(Map.of("millrace.fraud.tokenization-key", propertyKey), Map.of("MILLRACE_FRAUD_TOKENIZATION_KEY", envKey));

        assertThat(fromEnv.developmentKey()).isFalse();
        assertThat(new String(fromEnv.tokenizationKey(), StandardCharsets.UTF_8)).isEqualTo(envKey);
        assertThat(new String(fromProperty.tokenizationKey(), StandardCharsets.UTF_8)).isEqualTo(propertyKey);
    }

    @Test
    void aSettingThatIsNotANumberStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> load(Map.of("millrace.fraud.review-score", "high"), Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessage("setting fraud.review-score must be a number, not 'high'");
        assertThatThrownBy(() -> load(Map.of(), Map.of("MILLRACE_FRAUD_COMMIT_INTERVAL_MS", "0.5")))
                .isInstanceOf(IllegalStateException.class).hasMessage("setting fraud.commit-interval-ms must be a whole number, not '0.5'");
    }

    @Test
    void refusesAShortKeyAndReadsThresholds() {
        assertThatThrownBy(() -> load(Map.of(), Map.of("MILLRACE_FRAUD_TOKENIZATION_KEY", "short"))).isInstanceOf(IllegalStateException.class);

        FraudConfig config = load(Map.of("millrace.fraud.review-score", "0.4"), Map.of("MILLRACE_FRAUD_DECLINE_SCORE", "0.9",
                "MILLRACE_FRAUD_COMMIT_INTERVAL_MS", "20"));

        assertThat(config.thresholds().reviewScore()).isEqualTo(0.4);
        assertThat(config.thresholds().declineScore()).isEqualTo(0.9);
        assertThat(config.commitIntervalMs()).isEqualTo(20);
    }
}
