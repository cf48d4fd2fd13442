package io.millrace.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {

    private static final byte[] OLD_KEY = "the key of last quarter, thirty-two bytes long".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW_KEY = "the key of this quarter, thirty-two bytes long".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");

    private static Tokens tokens(Instant at, byte[]... keys) {
        return new Tokens(AuthKeys.of(List.of(keys)), Clock.fixed(at, ZoneOffset.UTC));
    }

    @Test
    void aTokenStandsForItsSubjectAndRoleUntilItExpires() {
        String token = tokens(NOW, NEW_KEY).issue("ana", Role.USER, Duration.ofHours(1));

        assertThat(tokens(NOW.plusSeconds(3599), NEW_KEY).verify(token)).isEqualTo(new Caller("ana", Role.USER));
        assertThatThrownBy(() -> tokens(NOW.plusSeconds(3700), NEW_KEY).verify(token))
                .isInstanceOf(Tokens.InvalidToken.class).hasMessage("the token has expired");
    }

    @Test
    void aRotatedPlatformStillAcceptsTokensOfThePreviousKeyAndSignsWithTheNewOne() {
        String beforeRotation = tokens(NOW, OLD_KEY).issue("ops", Role.OPERATOR, Duration.ofHours(1));
        Tokens rotated = tokens(NOW, NEW_KEY, OLD_KEY);
        String afterRotation = rotated.issue("ops", Role.OPERATOR, Duration.ofHours(1));

        assertThat(rotated.verify(beforeRotation).role()).isEqualTo(Role.OPERATOR);
        assertThat(tokens(NOW, NEW_KEY).verify(afterRotation).subject()).isEqualTo("ops");
        assertThatThrownBy(() -> tokens(NOW, OLD_KEY).verify(afterRotation)).isInstanceOf(Tokens.InvalidToken.class);
    }

    @Test
    void aTokenOfAnotherKeyATamperedOneOrOneWithoutSignatureIsRefused() {
        String token = tokens(NOW, NEW_KEY).issue("ana", Role.USER, Duration.ofHours(1));
        String[] parts = token.split("\\.");
        String operatorClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8).replace("\"user\"", "\"operator\"").getBytes(StandardCharsets.UTF_8));
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";

        assertThatThrownBy(() -> tokens(NOW, OLD_KEY).verify(token)).hasMessage("the token is not signed by a key of this platform");
        assertThatThrownBy(() -> tokens(NOW, NEW_KEY).verify(parts[0] + "." + operatorClaims + "." + parts[2]))
                .isInstanceOf(Tokens.InvalidToken.class);
        assertThatThrownBy(() -> tokens(NOW, NEW_KEY).verify(unsigned)).isInstanceOf(Tokens.InvalidToken.class);
        assertThatThrownBy(() -> tokens(NOW, NEW_KEY).verify("not a token")).hasMessage("the token is not a JWT");
    }

    @Test
    void aTokenWithoutARoleOrAnExpiryIsRefused() throws Exception {
        AuthKeys keys = AuthKeys.of(List.of(NEW_KEY));
        JWTClaimsSet noRole = new JWTClaimsSet.Builder().issuer(Tokens.ISSUER).subject("ana").issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(60))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(keys.signing().id()).build(),
                noRole);
        jwt.sign(new MACSigner(NEW_KEY));

        assertThatThrownBy(() -> tokens(NOW, NEW_KEY).verify(jwt.serialize())).isInstanceOf(Tokens.InvalidToken.class);
    }

    @Test
    void keysAreAtLeast32BytesAndTheirIdsRevealNothingOfThem() {
        assertThatThrownBy(() -> AuthKeys.of(List.of(new byte[16]))).hasMessageContaining("at least 32 bytes");
        AuthKeys keys = AuthKeys.parse(List.of(Base64.getEncoder().encodeToString(NEW_KEY), "# the previous key",
                Base64.getEncoder().encodeToString(OLD_KEY)));

        assertThat(keys.all()).hasSize(2);
        assertThat(keys.signing().id()).hasSize(16).isNotEqualTo(keys.all().get(1).id())
                .doesNotContain(Base64.getEncoder().encodeToString(NEW_KEY).substring(0, 8));
        assertThatThrownBy(() -> AuthKeys.parse(List.of("not base64!"))).hasMessageContaining("base64");
    }

    @Test
    void aTokenLivesAtMost30Days() {
        assertThatThrownBy(() -> tokens(NOW, NEW_KEY).issue("ana", Role.USER, Duration.ofDays(31))).hasMessageContaining("30 days");
    }
}
