package io.millrace.topology.messenger.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client-side end-to-end encryption of a direct message, with the JDK only: X25519 key agreement
 * between sender and recipient, HKDF-SHA256 bound to the conversation, AES-256-GCM with the message
 * id as associated data. The platform stores and delivers the result without being able to read it.
 * This is the static-key form (no forward secrecy); a production client would add ephemeral keys.
 */
public final class EndToEndCipher {

    private static final String CURVE = "X25519";
    private static final int TAG_BITS = 128;
    private static final byte[] SALT = "millrace-messenger-e2e".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private EndToEndCipher() {
    }

    /** What the sender puts in {@code SendMessage.ciphertext} and {@code SendMessage.nonce}. */
    public record Sealed(byte[] ciphertext, byte[] nonce) {
    }

    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance(CURVE).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is part of every JDK since 11", e);
        }
    }

    /** A public key as published in a key directory (X.509 encoding). */
    public static PublicKey publicKey(byte[] encoded) throws GeneralSecurityException {
        return KeyFactory.getInstance(CURVE).generatePublic(new X509EncodedKeySpec(encoded));
    }

    public static Sealed encrypt(PrivateKey senderKey, PublicKey recipientKey, String conversation, String messageId,
                                 String plaintext) throws GeneralSecurityException {
        byte[] nonce = new byte[AtRestCipher.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        Cipher cipher = cipher(Cipher.ENCRYPT_MODE, senderKey, recipientKey, conversation, messageId, nonce);
        return new Sealed(cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)), nonce);
    }

    /** The plaintext, or {@link javax.crypto.AEADBadTagException} when the keys are not the pair it was sealed for. */
    public static String decrypt(PrivateKey recipientKey, PublicKey senderKey, String conversation, String messageId,
                                 byte[] ciphertext, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = cipher(Cipher.DECRYPT_MODE, recipientKey, senderKey, conversation, messageId, nonce);
        return new String(cipher.doFinal(ciphertext), StandardCharsets.UTF_8);
    }

    private static Cipher cipher(int mode, PrivateKey mine, PublicKey theirs, String conversation, String messageId,
                                 byte[] nonce) throws GeneralSecurityException {
        KeyAgreement agreement = KeyAgreement.getInstance(CURVE);
        agreement.init(mine);
        agreement.doPhase(theirs, true);
        byte[] key = Hkdf.derive(agreement.generateSecret(), SALT, "message-key-v1|" + conversation, 32);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(messageId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
