package io.millrace.api.auth;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.millrace.api.ApiException;
import io.millrace.api.iq.QueryRouter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Who is calling: every request's credential is read once, before routing — a bearer token, HTTP Basic whose password
 * is a token (how Confluent's clients authenticate to a schema registry), or the dashboard's session cookie — and each
 * route then requires its {@link Access}: 401 with a Bearer challenge without a valid credential, 403 with a valid one
 * that is not allowed. Requests between instances (forwarded lookups, fan-out parts) carry a short-lived peer token;
 * a client that sends the forwarding headers itself is refused.
 */
public final class Authentication {

    public static final String SESSION_COOKIE = "millrace_session";
    /** The credential one instance sends another with a forwarded or fan-out request. */
    public static final String PEER_HEADER = "X-Millrace-Peer";
    static final Duration PEER_TOKEN_TTL = Duration.ofMinutes(10);
    private static final String CALLER = "millrace.caller";
    private static final String PROBLEM = "millrace.auth-problem";
    private static final String PEER_PREFIX = "peer:";

    private final Tokens tokens;
    private final String peerName;
    private final Clock clock;
    private volatile String peerToken;
    private volatile Instant peerTokenRenewAt = Instant.MIN;

    public Authentication(Tokens tokens, String peerName) {
        this(tokens, peerName, Clock.systemUTC());
    }

    Authentication(Tokens tokens, String peerName, Clock clock) {
        this.tokens = tokens;
        this.peerName = peerName;
        this.clock = clock;
    }

    public Tokens tokens() {
        return tokens;
    }

    /** Runs before every route: reads the credential, and refuses forwarding headers that no instance of ours sent. */
    public void identify(Context ctx) {
        credential(ctx).ifPresent(token -> {
            try {
                ctx.attribute(CALLER, tokens.verify(token));
            } catch (Tokens.InvalidToken e) {
                ctx.attribute(PROBLEM, e.getMessage());
            }
        });
        boolean internal = ctx.header(QueryRouter.FORWARDED_HEADER) != null || ctx.header(QueryRouter.SCOPE_HEADER) != null;
        if (internal && !isPeer(ctx.header(PEER_HEADER))) {
            throw ApiException.forbidden(QueryRouter.FORWARDED_HEADER + " and " + QueryRouter.SCOPE_HEADER
                    + " are for the platform's own instances, which send them with a credential of their own");
        }
    }

    /** Refuses the request unless its caller is admitted by {@code access}. */
    public static void require(Context ctx, Access access) {
        if (access.isOpen()) {
            return;
        }
        Caller caller = requireCaller(ctx);
        if (!access.admits(caller.role())) {
            throw ApiException.forbidden("This needs the role " + access.describe() + "; the token is a " + caller.role().claim()
                    + " token");
        }
    }

    /** The authenticated caller; 401 when there is none. */
    public static Caller requireCaller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller != null) {
            return caller;
        }
        String problem = ctx.attribute(PROBLEM);
        throw ApiException.unauthorized(problem != null ? "The credential is not valid: " + problem
                : "This needs a bearer token: Authorization: Bearer <token> (millrace token --user ...)", problem != null);
    }

    public static Optional<Caller> caller(Context ctx) {
        return Optional.ofNullable(ctx.attribute(CALLER));
    }

    /** The credential this instance sends with requests to another instance: a service token, renewed well before it expires. */
    public String peerToken() {
        Instant now = clock.instant();
        if (peerToken == null || now.isAfter(peerTokenRenewAt)) {
            peerToken = tokens.issue(PEER_PREFIX + peerName, Role.SERVICE, PEER_TOKEN_TTL);
            peerTokenRenewAt = now.plus(PEER_TOKEN_TTL.dividedBy(2));
        }
        return peerToken;
    }

    private boolean isPeer(String token) {
        if (token == null) {
            return false;
        }
        try {
            Caller peer = tokens.verify(token);
            return peer.role() == Role.SERVICE && peer.subject().startsWith(PEER_PREFIX);
        } catch (Tokens.InvalidToken e) {
            return false;
        }
    }

    /**
     * GET /login?token=…: checks the token and keeps it in an HttpOnly session cookie, then opens the dashboard, so that
     * nobody copies a token into a browser by hand.
     */
    public void login(Context ctx) {
        String token = ctx.queryParam("token");
        if (token == null || token.isBlank()) {
            throw ApiException.badRequest("token is required: /login?token=<a token from millrace token>");
        }
        Caller caller;
        try {
            caller = tokens.verify(token);
        } catch (Tokens.InvalidToken e) {
            throw ApiException.unauthorized("The credential is not valid: " + e.getMessage(), true);
        }
        Cookie cookie = new Cookie(SESSION_COOKIE, token);
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.STRICT);
        cookie.setPath("/");
        cookie.setSecure("https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")));
        ctx.cookie(cookie);
        ctx.redirect(caller.role() == Role.OPERATOR ? "/" : "/?signed-in-as=" + caller.role().claim());
    }

    /** GET /logout: forgets the session cookie. */
    public void logout(Context ctx) {
        ctx.removeCookie(SESSION_COOKIE, "/");
        ctx.redirect("/");
    }

    private static Optional<String> credential(Context ctx) {
        if (java.util.Collections.list(ctx.req().getHeaders("Authorization")).size() > 1) {
            // Two credentials: which one counts would depend on the proxies in between; neither does.
            return Optional.of("");
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.of(authorization.substring(7).trim());
            }
            if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                return basicPassword(authorization.substring(6).trim());
            }
            return Optional.of("");
        }
        return Optional.ofNullable(ctx.cookie(SESSION_COOKIE));
    }

    private static Optional<String> basicPassword(String encoded) {
        try {
            String userAndPassword = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = userAndPassword.indexOf(':');
            return Optional.of(colon < 0 ? "" : userAndPassword.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return Optional.of("");
        }
    }
}
