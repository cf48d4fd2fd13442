package io.millrace.topology.messenger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The messenger's configuration, read once at start: the at-rest secret from which the key that seals
 * message bodies and the key that blinds the search index are derived. Without one, a fixed
 * development secret keeps the embedded mode working, and the pipeline says so in the log.
 */
public record MessengerSettings(byte[] atRestSecret, boolean developmentSecret) {

    /** System property holding the secret, base64, at least 32 bytes. */
    public static final String AT_REST_KEY_PROPERTY = "millrace.messenger.at-rest-key";
    /** Environment variable read when the system property is not set. */
    public static final String AT_REST_KEY_ENV = "MILLRACE_MESSENGER_AT_REST_KEY";
    private static final int MIN_SECRET_BYTES = 32;

    public MessengerSettings {
        atRestSecret = atRestSecret.clone();
    }

    @Override
    public byte[] atRestSecret() {
        return atRestSecret.clone();
    }

    public static MessengerSettings fromEnvironment() {
        String configured = System.getProperty(AT_REST_KEY_PROPERTY);
        return from(configured != null ? configured : System.getenv(AT_REST_KEY_ENV));
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
