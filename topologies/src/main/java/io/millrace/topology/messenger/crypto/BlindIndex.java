package io.millrace.topology.messenger.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a (user, search term) pair into an opaque token, HMAC-SHA256 under the platform's index key,
 * so the search index can find a user's messages by term while holding neither the terms nor
 * anything that links one user's tokens to another's.
 */
public final class BlindIndex {

    private static final int TOKEN_BYTES = 16;
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public BlindIndex(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("The blind-index key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), HMAC);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A URL-safe token (22 characters) that is the same for the same user and term, and unrelated otherwise. */
    public String token(String user, String term) {
        Mac mac = macs.get();
        mac.update(user.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal(term.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, TOKEN_BYTES));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
