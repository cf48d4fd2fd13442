package io.millrace.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.millrace.api.ApiException;
import io.millrace.api.TestTokens;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.api.iq.QueryRouter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routes declare who may call them; the platform answers 401 without a valid credential and 403 for the wrong one. */
class AuthenticationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Authentication AUTH = new Authentication(TestTokens.TOKENS, "localhost:7070");
    private static Javalin app;

    @BeforeAll
    static void start() {
        app = Javalin.create(config -> {
            config.routes.before(AUTH::identify);
            ApiRoutes routes = new ApiRoutes(config.routes);
            routes.get("/health", Doc.of("open").access(Access.open("probes")), ctx -> ctx.result("up"));
            routes.get("/ops", Doc.of("operators").access(Access.roles(Role.OPERATOR)),
                    ctx -> ctx.result(Authentication.requireCaller(ctx).subject()));
            routes.get("/users/{user}/inbox", Doc.of("own").access(Access.ownData("inbox")), ctx -> {
                Ownership.requireSelf(ctx, ctx.pathParam("user"), "inbox");
                ctx.result("inbox of " + ctx.pathParam("user"));
            });
            routes.get("/login", Doc.of("login").access(Access.open("checks the token")), AUTH::login);
            config.routes.exception(ApiException.class, ApiException::writeTo);
        }).start(0);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    @Test
    void withoutACredentialAProtectedRouteIs401WithABearerChallengeAndAnOpenOneAnswers() throws Exception {
        HttpResponse<String> refused = get("/ops", Map.of());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"millrace\"");
        assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("unauthorized");
        assertThat(get("/health", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void anInvalidTokenIs401InvalidTokenWithTheReason() throws Exception {
        HttpResponse<String> refused = get("/ops", Map.of("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30."));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        assertThat(JSON.readTree(refused.body()).get("detail").asText()).startsWith("The credential is not valid: ");
    }

    @Test
    void aValidTokenOfAnotherRoleIs403AndOfTheRightRoleIsServed() throws Exception {
        assertThat(get("/ops", Map.of("Authorization", TestTokens.bearer("ana", Role.USER))).statusCode()).isEqualTo(403);
        HttpResponse<String> served = get("/ops", Map.of("Authorization", TestTokens.bearer("oncall", Role.OPERATOR)));
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo("oncall");
    }

    @Test
    void aUserReadsTheirOwnInboxAndNotAnotherUsers() throws Exception {
        assertThat(get("/users/ana/inbox", Map.of()).statusCode()).isEqualTo(401);
        assertThat(get("/users/ana/inbox", Map.of("Authorization", TestTokens.bearer("ben", Role.USER))).statusCode()).isEqualTo(403);
        assertThat(get("/users/ana/inbox", Map.of("Authorization", TestTokens.bearer("ana", Role.OPERATOR))).statusCode())
                .as("an operator does not read users' messages").isEqualTo(403);
        assertThat(get("/users/ana/inbox", Map.of("Authorization", TestTokens.bearer("ana", Role.USER))).body()).isEqualTo("inbox of ana");
    }

    @Test
    void confluentClientsBasicCredentialsCarryATokenAsTheirPassword() throws Exception {
        String token = TestTokens.TOKENS.issue("schema-bot", Role.OPERATOR, Duration.ofMinutes(5));
        String basic = "Basic " + Base64.getEncoder().encodeToString(("schema-bot:" + token).getBytes(StandardCharsets.UTF_8));

        assertThat(get("/ops", Map.of("Authorization", basic)).body()).isEqualTo("schema-bot");
    }

    @Test
    void aClientThatSendsTheForwardingHeadersItselfIsRefusedAndAnInstanceOfOursIsNot() throws Exception {
        String operator = TestTokens.bearer("oncall", Role.OPERATOR);

        assertThat(get("/ops", Map.of("Authorization", operator, QueryRouter.FORWARDED_HEADER, "evil:1")).statusCode()).isEqualTo(403);
        assertThat(get("/ops", Map.of("Authorization", operator, QueryRouter.SCOPE_HEADER, "local")).statusCode()).isEqualTo(403);
        assertThat(get("/ops", Map.of("Authorization", operator, QueryRouter.SCOPE_HEADER, "local",
                Authentication.PEER_HEADER, TestTokens.TOKENS.issue("evil", Role.SERVICE, Duration.ofMinutes(1)))).statusCode())
                .as("a service token that is not a peer's").isEqualTo(403);
        assertThat(get("/ops", Map.of("Authorization", operator, QueryRouter.FORWARDED_HEADER, "localhost:7071",
                Authentication.PEER_HEADER, new Authentication(TestTokens.TOKENS, "localhost:7071").peerToken())).statusCode())
                .isEqualTo(200);
    }

    @Test
    void loginKeepsTheTokenInAnHttpOnlyCookieThatThenAuthenticatesTheDashboard() throws Exception {
        String token = TestTokens.TOKENS.issue("oncall", Role.OPERATOR, Duration.ofMinutes(5));
        HttpResponse<String> login = get("/login?token=" + token, Map.of());

        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).contains("/");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(Authentication.SESSION_COOKIE + "=" + token).contains("HttpOnly").contains("SameSite=Strict");
        assertThat(get("/ops", Map.of("Cookie", cookie.split(";")[0])).body()).isEqualTo("oncall");
        assertThat(get("/login?token=forged", Map.of()).statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unused")
    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }
}
