package io.millrace.topology;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's settings for pipelines, read once at start and in one place: a setting {@code fraud.review-score} is the
 * system property {@code -Dmillrace.fraud.review-score}, or else the environment variable {@code MILLRACE_FRAUD_REVIEW_SCORE}.
 * Pipelines read their own typed configuration from it ({@code FraudConfig.from(settings)}), never the environment.
 */
public final class Settings {

    private static final Logger log = LoggerFactory.getLogger(Settings.class);
    private static final String PROPERTY_PREFIX = "millrace.";
    private static final String ENV_PREFIX = "MILLRACE_";
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The settings of this process: its {@code millrace.*} system properties over its {@code MILLRACE_*} environment. */
    public static Settings fromProcess() {
        return read(System.getenv(), System.getProperties());
    }

    /** Settings from an environment and system properties; a property wins over the variable of the same setting. */
    public static Settings read(Map<String, String> environment, Map<?, ?> properties) {
        Map<String, String> values = new HashMap<>();
        environment.forEach((key, value) -> {
            if (key.startsWith(ENV_PREFIX)) {
                values.put(key, value);
            }
        });
        properties.forEach((key, value) -> {
            String name = key.toString();
            if (name.startsWith(PROPERTY_PREFIX)) {
                values.put(envName(name.substring(PROPERTY_PREFIX.length())), value.toString());
            }
        });
        return new Settings(values);
    }

    /** Settings given by name ({@code fraud.review-score} → value), for tests and tools. */
    public static Settings of(Map<String, String> byName) {
        Map<String, String> values = new HashMap<>();
        byName.forEach((name, value) -> values.put(envName(name), value));
        return new Settings(values);
    }

    public static Settings none() {
        return new Settings(Map.of());
    }

    /** The environment variable of a setting: {@code fraud.review-score} → {@code MILLRACE_FRAUD_REVIEW_SCORE}. */
    public static String envName(String name) {
        return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The setting's value, trimmed; empty when unset or blank. */
    public Optional<String> get(String name) {
        String value = values.get(envName(name));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The setting as a whole number, {@code fallback} when unset; anything else fails the start, naming the setting. */
    public long whole(String name, long fallback) {
        Optional<String> value = get(name);
        try {
            return value.isEmpty() ? fallback : Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting " + name + " must be a whole number, not '" + value.get() + "'");
        }
    }

    /** The setting as a number, {@code fallback} when unset; anything else fails the start, naming the setting. */
    public double decimal(String name, double fallback) {
        Optional<String> value = get(name);
        try {
            return value.isEmpty() ? fallback : Double.parseDouble(value.get());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting " + name + " must be a number, not '" + value.get() + "'");
        }
    }

    /** Whether this is a production deployment ({@code MILLRACE_ENV=production}), where development defaults are refused. */
    public boolean production() {
        return get("env").map(env -> env.equalsIgnoreCase("production")).orElse(false);
    }

    /** Logs {@code message} at WARN the first time this process asks with this {@code key}: development defaults say so once. */
    public static void warnOnce(String key, String message) {
        if (WARNED.add(key)) {
            log.warn(message);
        }
    }
}
