package io.millrace.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The keys tokens are signed and checked with. The first signs; all of them verify, so a key can be rotated: put the
 * new key first, keep the old one after it until the tokens it signed have expired. Each key has an id (in the token's
 * {@code kid} header) derived from it, so a token names the key that checks it without revealing anything of it.
 */
public final class AuthKeys {

    /** HS256 wants at least 256 bits. */
    public static final int MIN_KEY_BYTES = 32;

    private final List<Key> keys;

    /** One key and its id. */
    public record Key(String id, byte[] secret) {
    }

    private AuthKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /** Keys from their bytes, the signing key first. */
    public static AuthKeys of(List<byte[]> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("At least one auth key is needed");
        }
        List<Key> keys = new ArrayList<>();
        for (byte[] secret : secrets) {
            if (secret.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("An auth key must hold at least " + MIN_KEY_BYTES + " bytes, one held "
                        + secret.length);
            }
            keys.add(new Key(idOf(secret), secret.clone()));
        }
        return new AuthKeys(keys);
    }

    /** Keys written as base64, one per entry, the signing key first (how MILLRACE_AUTH_KEY and key files hold them). */
    public static AuthKeys parse(List<String> base64Keys) {
        List<byte[]> secrets = new ArrayList<>();
        for (String line : base64Keys) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                secrets.add(Base64.getDecoder().decode(trimmed));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("An auth key must be base64 (e.g. `openssl rand -base64 32`)");
            }
        }
        return of(secrets);
    }

    public Key signing() {
        return keys.get(0);
    }

    public List<Key> all() {
        return keys;
    }

    private static String idOf(byte[] secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(concat("millrace-auth-key-id".getBytes(StandardCharsets.UTF_8), secret));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
