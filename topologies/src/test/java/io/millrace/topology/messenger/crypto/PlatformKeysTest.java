package io.millrace.topology.messenger.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.schemas.messenger.BodyProtection;
import io.millrace.schemas.messenger.StoredBody;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The platform's at-rest sealing and blind index, and the HKDF both keys come from. */
class PlatformKeysTest {

    private static final byte[] SECRET = "a 32-byte at-rest secret for tests!".getBytes(StandardCharsets.UTF_8);

    @Test
    void hkdfMatchesRfc5869TestCaseOne() {
        HexFormat hex = HexFormat.of();
        byte[] okm = Hkdf.derive(hex.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), hex.parseHex("000102030405060708090a0b0c"),
                hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);

        assertThat(hex.formatHex(okm)).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void sealedBodyOpensUnderTheSameKeyForTheSameMessageOnly() {
        AtRestCipher bodies = PlatformKeys.derive(SECRET).bodies();

        StoredBody sealed = bodies.seal("see you at 6", "m-1");

        assertThat(sealed.getProtection()).isEqualTo(BodyProtection.SEALED_AT_REST);
        assertThat(new String(Bytes.of(sealed.getCiphertext()), StandardCharsets.UTF_8)).doesNotContain("see you");
        assertThat(bodies.open(sealed, "m-1")).isEqualTo("see you at 6");
        assertThatThrownBy(() -> bodies.open(sealed, "m-2")).isInstanceOf(IllegalStateException.class);
        AtRestCipher otherKey = PlatformKeys.derive("another 32-byte at-rest secret, yes".getBytes(StandardCharsets.UTF_8)).bodies();
        assertThatThrownBy(() -> otherKey.open(sealed, "m-1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sealingTheSameTextTwiceGivesDifferentCiphertexts() {
        AtRestCipher bodies = PlatformKeys.derive(SECRET).bodies();

        assertThat(Bytes.of(bodies.seal("ok", "m-1").getCiphertext())).isNotEqualTo(Bytes.of(bodies.seal("ok", "m-1").getCiphertext()));
    }

    @Test
    void blindTokenIsStablePerUserAndTermAndDiffersAcrossUsersTermsAndKeys() {
        BlindIndex index = PlatformKeys.derive(SECRET).searchIndex();

        String token = index.token("ana", "lighthouse");

        assertThat(token).hasSize(22).doesNotContain("lighthouse").doesNotContain("ana");
        assertThat(index.token("ana", "lighthouse")).isEqualTo(token);
        assertThat(index.token("ben", "lighthouse")).isNotEqualTo(token);
        assertThat(index.token("ana", "lighthouses")).isNotEqualTo(token);
        assertThat(PlatformKeys.derive("another 32-byte at-rest secret, yes".getBytes(StandardCharsets.UTF_8)).searchIndex()
                .token("ana", "lighthouse")).isNotEqualTo(token);
    }
}
