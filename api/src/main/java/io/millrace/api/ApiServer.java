package io.millrace.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.millrace.api.auth.Access;
import io.millrace.api.dashboard.Dashboard;
import io.millrace.api.dashboard.DashboardRoutes;
import io.millrace.api.dashboard.DashboardStream;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.api.docs.OpenApiDocument;
import io.millrace.api.iq.QueryRouter;
import io.millrace.api.live.LiveHub;
import io.millrace.api.ops.OpsRoutes;
import io.millrace.api.registry.RegistryRoutes;
import io.millrace.schemas.registry.SchemaRegistryException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP layer: ops endpoints, the schema registry, each pipeline's queries, OpenAPI and the dashboard. */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final Javalin app;
    private final DashboardStream dashboard;
    private final LiveHub live;

    private ApiServer(Javalin app, DashboardStream dashboard, LiveHub live) {
        this.live = live;
        this.app = app;
        this.dashboard = dashboard;
    }

    public static ApiServer start(String host, int port, ApiContext context, List<PipelineApi.Bound<?>> pipelineApis) {
        return start(host, port, context, pipelineApis, LiveHub.DEFAULT_QUEUE, Dashboard.none());
    }

    /**
     * {@code liveQueue}: how many events a subscriber may be behind before it is told to resync; {@code pages}: the
     * pipelines' own dashboard pages and the dead letters the dashboard browses.
     */
    public static ApiServer start(String host, int port, ApiContext context, List<PipelineApi.Bound<?>> pipelineApis, int liveQueue,
                                  Dashboard pages) {
        AtomicReference<String> openApi = new AtomicReference<>();
        DashboardStream dashboard = new DashboardStream(context, pages.byPipeline());
        // Subscriptions read their topics with the platform's client settings (bootstrap servers, security).
        LiveHub live = new LiveHub(context.kafkaClient(), context.meters(), liveQueue, LiveHub.DEFAULT_HEARTBEAT);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.http.maxRequestSize = RequestLimits.MAX_BODY_BYTES;
            config.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(RequestLimits.MAX_HEAD_BYTES);
                // Javalin's choice, made explicit: an encoded '/' in a path parameter (an endpoint label "GET /cart")
                // reaches the handler decoded, where Params checks every path parameter. Jetty still refuses an
                // encoded NUL, bad UTF-8 and a path that climbs above the root.
                http.setUriCompliance(UriCompliance.LEGACY);
            });
            // Jetty answers some requests itself (bad URIs, oversized heads): the server's and the servlet context's
            // error handlers both write the platform's JSON error instead of an HTML page.
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.modifyServletContextHandler(servlets -> servlets.setErrorHandler(new JsonErrorHandler()));
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = Location.CLASSPATH;
            });
            // The charting library (uPlot) comes in its WebJar: /webjars/uplot/<version>/dist/…
            config.staticFiles.enableWebjars();
            config.requestLogger.http((ctx, millis) -> timer(context, ctx).record((long) (millis * 1000), TimeUnit.MICROSECONDS));
            // Closed to other origins unless an operator lists the ones a browser client is served from.
            List<String> origins = context.security().corsOrigins();
            if (!origins.isEmpty()) {
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    rule.allowHost(origins.get(0), origins.subList(1, origins.size()).toArray(String[]::new));
                    rule.allowCredentials = true;
                }));
            }
            config.routes.before(RequestLimits::check);
            config.routes.before(context.security().auth()::identify);
            ApiRoutes routes = new ApiRoutes(config.routes, live, context.security().auth()::identify);
            new OpsRoutes(context, dashboard.history()::nodeRates).register(routes);
            routes.get("/login", Doc.of("Sign in to the dashboard: keeps the token in an HttpOnly session cookie and opens the dashboard")
                    .tag("ops").access(Access.open("it checks the token it is given")).query("token", "string", "a token (required)")
                    .status(302).errors(401), context.security().auth()::login);
            routes.get("/logout", Doc.of("Sign out of the dashboard").tag("ops").access(Access.open("it only forgets the session"))
                    .status(302), context.security().auth()::logout);
            new DashboardRoutes(context, dashboard, pages.byPipeline(), pages.deadLetters()).register(routes);
            context.registry().ifPresent(registry -> new RegistryRoutes(registry).register(routes));
            pipelineApis.forEach(api -> api.register(routes, context));
            routes.undocumented().get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi.get()));
            errors(config.routes);
            openApi.set(OpenApiDocument.build("Millrace", context.version(), RequestLimits.description(), routes.operations())
                    .toPrettyString());
        });
        app.start();
        log.info("HTTP API on http://{}:{}", host, app.port());
        return new ApiServer(app, dashboard, live);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        dashboard.close();
        live.close();
        app.stop();
    }

    private static void errors(io.javalin.config.RoutesConfig routes) {
        routes.exception(ApiException.class, ApiException::writeTo);
        routes.exception(SchemaRegistryException.class, RegistryRoutes::handle);
        routes.exception(HttpResponseException.class, (e, ctx) -> new ApiException(e.getStatus(), ApiException.errorOf(e.getStatus()),
                switch (e.getStatus()) {
                    case 404 -> notFound(ctx);
                    case 413 -> RequestLimits.tooLarge();
                    default -> e.getMessage();
                }).writeTo(ctx));
        // A store that stops being queryable between the state check and the read (a rebalance starting) is a retry, not a failure.
        routes.exception(InvalidStateStoreException.class, (e, ctx) -> ApiException.unavailable(
                "The store is not queryable right now; try again shortly", QueryRouter.RETRY_AFTER_SECONDS).writeTo(ctx));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            ctx.status(500).json(new ApiException.Body("internal_error", "Something went wrong on our side; it has been logged"));
        });
        routes.error(404, "*", ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                ctx.json(new ApiException.Body("not_found", notFound(ctx)));
            }
        });
    }

    private static String notFound(Context ctx) {
        return "No such resource: " + ctx.method().name() + " " + Params.shown(ctx.path());
    }

    // The route template, not the concrete path, so that user ids do not become metric labels.
    private static String routeTemplate(Context ctx) {
        try {
            return ctx.endpoint() == null ? "UNMATCHED" : ctx.endpoint().path;
        } catch (RuntimeException e) {
            return "UNMATCHED";
        }
    }

    private static Timer timer(ApiContext context, Context ctx) {
        return Timer.builder("http.server.requests")
                .tag("method", ctx.method().name())
                .tag("uri", routeTemplate(ctx))
                .tag("status", String.valueOf(ctx.statusCode()))
                .publishPercentileHistogram(false)
                .register(context.meters());
    }
}
