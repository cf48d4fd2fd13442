package io.millrace.topology.messenger;

import io.millrace.topology.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

/**
 * The messenger's configuration, read once at start: the at-rest secret from which the key that seals
 * message bodies and the key that blinds the search index are derived, and how long conversations'
 * messages and the search index are kept. Without a secret, a fixed development secret keeps the
 * embedded mode working, and the pipeline says so in the log.
 */
public record MessengerSettings(byte[] atRestSecret, boolean developmentSecret, Duration retention) {

    /** The setting holding the secret, base64, at least 32 bytes (MILLRACE_MESSENGER_AT_REST_KEY). */
    public static final String AT_REST_KEY = "messenger.at-rest-key";
    /** Days a message is kept in its conversation and in the search index (MILLRACE_MESSENGER_RETENTION_DAYS). */
    public static final String RETENTION_DAYS = "messenger.retention-days";
    public static final int DEFAULT_RETENTION_DAYS = 365;
    static final String AT_REST_KEY_PROPERTY = "millrace." + AT_REST_KEY;
    static final String AT_REST_KEY_ENV = Settings.envName(AT_REST_KEY);
    private static final int MIN_SECRET_BYTES = 32;
    private static final int MAX_RETENTION_DAYS = 36_500;

    public MessengerSettings {
        atRestSecret = atRestSecret.clone();
    }

    /** With the default retention. */
    public MessengerSettings(byte[] atRestSecret, boolean developmentSecret) {
        this(atRestSecret, developmentSecret, Duration.ofDays(DEFAULT_RETENTION_DAYS));
    }

    @Override
    public byte[] atRestSecret() {
        return atRestSecret.clone();
    }

    /** The messenger's settings of the platform ({@code messenger.at-rest-key}, {@code messenger.retention-days}). */
    public static MessengerSettings from(Settings settings) {
        String secret = settings.get(AT_REST_KEY).orElse(null);
        if (secret == null && settings.production()) {
            throw new IllegalStateException("MILLRACE_ENV=production but no messenger at-rest key is set: set " + AT_REST_KEY_ENV
                    + " to a base64 secret of at least " + MIN_SECRET_BYTES + " bytes");
        }
        MessengerSettings keys = from(secret);
        return new MessengerSettings(keys.atRestSecret(), keys.developmentSecret(), retention(settings.get(RETENTION_DAYS).orElse(null)));
    }

    static Duration retention(String days) {
        if (days == null) {
            return Duration.ofDays(DEFAULT_RETENTION_DAYS);
        }
        long value;
        try {
            value = Long.parseLong(days);
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value < 1 || value > MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException("millrace." + RETENTION_DAYS + " / " + Settings.envName(RETENTION_DAYS)
                    + " must be a whole number of days from 1 to " + MAX_RETENTION_DAYS + ", was '" + days + "'");
        }
        return Duration.ofDays(value);
    }

    static MessengerSettings from(String base64Secret) {
        if (base64Secret == null || base64Secret.isBlank()) {
            return new MessengerSettings(developmentDefault(), true);
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(base64Secret.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(AT_REST_KEY_PROPERTY + " / " + AT_REST_KEY_ENV + " must be base64");
        }
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(AT_REST_KEY_PROPERTY + " / " + AT_REST_KEY_ENV + " must hold at least "
                    + MIN_SECRET_BYTES + " bytes (base64 of e.g. `openssl rand 32`)");
        }
        return new MessengerSettings(secret, false);
    }

    private static byte[] developmentDefault() {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest("millrace messenger development at-rest secret; never use in production".getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
