package io.millrace.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and checks the platform's bearer tokens: JWTs signed with HS256 under one of the {@link AuthKeys} (named in the
 * {@code kid} header), with the caller's id as subject, a {@code role} claim and an expiry. Parsing, the algorithm
 * whitelist and the claims checks are nimbus-jose-jwt's.
 */
public final class Tokens {

    public static final String ISSUER = "millrace";
    public static final String ROLE_CLAIM = "role";
    /** The longest a token may live. */
    public static final Duration MAX_TTL = Duration.ofDays(30);

    private final AuthKeys keys;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public Tokens(AuthKeys keys) {
        this(keys, Clock.systemUTC());
    }

    public Tokens(AuthKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
        List<JWK> jwks = keys.all().stream()
                .<JWK>map(key -> new OctetSequenceKey.Builder(key.secret()).keyID(key.id()).algorithm(JWSAlgorithm.HS256).build())
                .toList();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableJWKSet<>(new JWKSet(jwks))));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("sub", ROLE_CLAIM, "exp", "iat")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
    }

    /** A token for {@code subject} in {@code role}, valid for {@code ttl}. */
    public String issue(String subject, Role role, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("A token lives more than 0 and at most " + MAX_TTL.toDays() + " days");
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .claim(ROLE_CLAIM, role.claim())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        AuthKeys.Key key = keys.signing();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(key.id()).build(), claims);
        try {
            jwt.sign(new MACSigner(key.secret()));
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a token", e);
        }
        return jwt.serialize();
    }

    /** The caller a token stands for; {@link InvalidToken} with a reason that may be shown when it is not valid. */
    public Caller verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (java.text.ParseException e) {
            throw new InvalidToken("the token is not a JWT");
        } catch (com.nimbusds.jose.proc.BadJOSEException e) {
            throw new InvalidToken(reason(e));
        } catch (JOSEException e) {
            throw new InvalidToken("the token's signature could not be checked");
        }
        Object role = claims.getClaim(ROLE_CLAIM);
        return new Caller(claims.getSubject(), Role.ofClaim(String.valueOf(role))
                .orElseThrow(() -> new InvalidToken("the token's role is not user, operator or service")));
    }

    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (message.toLowerCase(java.util.Locale.ROOT).contains("expired")) {
            return "the token has expired";
        }
        if (message.contains("signature") || message.contains("key")) {
            return "the token is not signed by a key of this platform";
        }
        return "the token is not valid: " + message.replaceAll("[^\\p{Alnum} .,:'()-]", "");
    }

    /** A token that does not stand for anyone; its message says why in words a client may read. */
    public static final class InvalidToken extends RuntimeException {
        public InvalidToken(String reason) {
            super(reason, null, false, false);
        }
    }
}
