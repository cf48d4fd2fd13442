package io.millrace.api.auth;

import io.javalin.http.Context;
import io.millrace.api.ApiException;
import java.util.Collection;

/**
 * The one place where the platform decides whose data a caller may read: a user reads only their own inbox, search,
 * presence, alerts…; a conversation only its members; a message's status only its sender and recipients. Every
 * pipeline API asks here.
 */
public final class Ownership {

    private Ownership() {
    }

    /** Refuses (403) unless the caller is {@code user}. */
    public static void requireSelf(Context ctx, String user, String what) {
        Caller caller = Authentication.requireCaller(ctx);
        if (caller.role() != Role.USER || !caller.subject().equals(user)) {
            throw ApiException.forbidden("A user reads only their own " + what);
        }
    }

    /** Refuses (403) unless the caller is one of {@code users} (the members of a conversation, the parties of a message). */
    public static void requireOneOf(Context ctx, Collection<String> users, String what) {
        Caller caller = Authentication.requireCaller(ctx);
        if (caller.role() != Role.USER || !users.contains(caller.subject())) {
            throw ApiException.forbidden("Only its members read " + what);
        }
    }

    /** The user a request acts for: the caller's id; a body naming someone else is refused (403). */
    public static String actingUser(Context ctx, String named, String field) {
        return actingUser(Authentication.requireCaller(ctx), named, field);
    }

    /** The same for a caller known already (a WebSocket's, checked when it connected). */
    public static String actingUser(Caller caller, String named, String field) {
        if (caller.role() != Role.USER) {
            throw ApiException.forbidden("Only a user acts as a user; this is a " + caller.role().claim() + " token");
        }
        if (named != null && !named.equals(caller.subject())) {
            throw ApiException.forbidden(field + " must be the caller (" + caller.subject() + "), or left out");
        }
        return caller.subject();
    }
}
