package io.millrace.topology.messenger.crypto;

import java.nio.charset.StandardCharsets;

/** The messenger's two platform keys, derived from its one at-rest secret so neither can stand in for the other. */
public record PlatformKeys(AtRestCipher bodies, BlindIndex searchIndex) {

    private static final byte[] SALT = "millrace-messenger".getBytes(StandardCharsets.UTF_8);

    public static PlatformKeys derive(byte[] atRestSecret) {
        return new PlatformKeys(
                new AtRestCipher(Hkdf.derive(atRestSecret, SALT, "message-bodies-at-rest-v1", 32)),
                new BlindIndex(Hkdf.derive(atRestSecret, SALT, "search-blind-index-v1", 32)));
    }
}
