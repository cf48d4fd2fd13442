package io.millrace.topology.fraud;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a card number (PAN) into a keyed token: HMAC-SHA256 under the pipeline's secret key, base64url.
 * The same card always gets the same token, so tokens key the card's state; without the key a token
 * cannot be traced back to the card (unlike a plain hash, which a PAN's small search space makes reversible).
 */
public final class CardTokenizer {

    /** 32 bytes of HMAC-SHA256, base64url without padding. */
    public static final int TOKEN_LENGTH = 43;

    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{" + TOKEN_LENGTH + "}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    // Digests of dead-letter bytes must never equal the token of a card number that happens to be those bytes.
    private static final byte[] DIGEST_DOMAIN = "millrace-dead-letter\0".getBytes(StandardCharsets.UTF_8);

    private final ThreadLocal<Mac> macs;

    public CardTokenizer(byte[] key) {
        SecretKeySpec secret = new SecretKeySpec(key.clone(), ALGORITHM);
        mac(secret);
        this.macs = ThreadLocal.withInitial(() -> mac(secret));
    }

    /** The token of a card number, which must be one ({@link #normalize}). */
    public String token(String normalizedPan) {
        return BASE64URL.encodeToString(macs.get().doFinal(normalizedPan.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A keyed digest of arbitrary bytes, to identify a record that must not be kept as it is. */
    public String digest(byte[] bytes) {
        Mac mac = macs.get();
        mac.update(DIGEST_DOMAIN);
        return BASE64URL.encodeToString(mac.doFinal(bytes));
    }

    /** The digits of a card number without spaces or dashes, when it is 12 to 19 digits that pass the Luhn check. */
    public static Optional<String> normalize(String cardNumber) {
        if (cardNumber == null) {
            return Optional.empty();
        }
        StringBuilder digits = new StringBuilder(19);
        for (int i = 0; i < cardNumber.length(); i++) {
            char c = cardNumber.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c != ' ' && c != '-') {
                return Optional.empty();
            }
        }
        return digits.length() >= 12 && digits.length() <= 19 && luhn(digits) ? Optional.of(digits.toString()) : Optional.empty();
    }

    public static String last4(String normalizedPan) {
        return normalizedPan.substring(normalizedPan.length() - 4);
    }

    /** Whether a producer-supplied token has the shape of one (and so cannot be a card number sent in the wrong field). */
    public static boolean isToken(String candidate) {
        return candidate != null && TOKEN.matcher(candidate).matches();
    }

    static boolean luhn(CharSequence digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    private static Mac mac(SecretKeySpec secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("The tokenization key is not usable for " + ALGORITHM, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }
}
