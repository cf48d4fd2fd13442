package io.millrace.api.auth;

import java.util.Locale;
import java.util.Optional;

/** Who a caller is to the platform: a user reads their own data; an operator runs the platform; a service produces events. */
public enum Role {
    USER, OPERATOR, SERVICE;

    /** The name in a token's {@code role} claim and on the command line. */
    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> ofClaim(String claim) {
        for (Role role : values()) {
            if (role.claim().equals(claim)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
