package io.millrace.api;

import io.millrace.api.auth.AuthKeys;
import io.millrace.api.auth.Role;
import io.millrace.api.auth.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Tokens under a fixed test key, for the API's tests. */
public final class TestTokens {

    public static final AuthKeys KEYS = AuthKeys.of(List.of("a test key of thirty-two bytes or more, never real".getBytes(StandardCharsets.UTF_8)));
    public static final Tokens TOKENS = new Tokens(KEYS);

    private TestTokens() {
    }

    public static String bearer(String subject, Role role) {
        return "Bearer " + TOKENS.issue(subject, role, Duration.ofMinutes(10));
    }
}
