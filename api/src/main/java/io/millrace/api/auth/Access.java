package io.millrace.api.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call an endpoint: anyone ({@link #open}), or callers with one of a set of roles. Every endpoint declares one
 * (the route table refuses to register an endpoint without); an endpoint of a user's own data declares {@link Role#USER}
 * and its handler checks that the data is the caller's ({@link Ownership}).
 */
public record Access(Set<Role> roles, String note) {

    public Access {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** Anyone, for a reason the API document states (orchestrators' probes, reading schemas, the API document itself). */
    public static Access open(String why) {
        return new Access(Set.of(), why);
    }

    public static Access roles(Role... roles) {
        return new Access(EnumSet.copyOf(Arrays.asList(roles)), "");
    }

    /** A user's own data: role user, and the handler checks it is the caller's. */
    public static Access ownData(String what) {
        return new Access(EnumSet.of(Role.USER), "the caller's own " + what);
    }

    public boolean isOpen() {
        return roles.isEmpty();
    }

    public boolean admits(Role role) {
        return isOpen() || roles.contains(role);
    }

    /** The roles in words: "operator or service". */
    public String describe() {
        if (isOpen()) {
            return "anyone (" + note + ")";
        }
        String names = roles.stream().sorted().map(Role::claim).collect(Collectors.joining(" or "));
        return note.isEmpty() ? names : names + ": " + note;
    }
}
