package io.millrace.topology.messenger.crypto;

import io.millrace.schemas.messenger.BodyProtection;
import io.millrace.schemas.messenger.StoredBody;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals plaintext message bodies with the platform's at-rest key (AES-256-GCM, a fresh 12-byte nonce
 * each time, the message id as associated data so a sealed body cannot be moved to another message),
 * and opens them again only for a user reading their own messages.
 */
public final class AtRestCipher {

    public static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(AtRestCipher::newCipher);

    public AtRestCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("The at-rest key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    public StoredBody seal(String plaintext, String messageId) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(messageId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return new StoredBody(BodyProtection.SEALED_AT_REST, ByteBuffer.wrap(sealed), ByteBuffer.wrap(nonce));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not seal a message body", e);
        }
    }

    /** The plaintext of a body this platform sealed; fails if it was sealed under another key or for another message. */
    public String open(StoredBody body, String messageId) {
        if (body.getProtection() != BodyProtection.SEALED_AT_REST) {
            throw new IllegalArgumentException("An end-to-end encrypted body can only be opened by its recipient");
        }
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Bytes.of(body.getNonce())));
            cipher.updateAAD(messageId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(Bytes.of(body.getCiphertext())), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not open a sealed message body (wrong at-rest key?)", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    }
}
