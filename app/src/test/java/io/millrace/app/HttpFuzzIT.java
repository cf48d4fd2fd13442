package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millrace.api.auth.Role;
import io.millrace.topology.runtime.RunningPipeline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Junk sent to every operation that /openapi.json documents (the schema registry's included) is answered with a 4xx
 * JSON error that names no Java internals, never a 5xx; and the queries of a pipeline that is not RUNNING answer 503
 * with Retry-After while its produce-only endpoints still accept.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpFuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long SEED = 20_260_010L;
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    /** A class, package or stack frame of the implementation, as an error detail must never show one. */
    private static final Pattern JAVA_INTERNALS = Pattern.compile(
            "io\\.millrace\\.|java\\.(lang|util|io|net|time)\\.|javax?\\.|jakarta\\.|com\\.fasterxml|org\\.apache\\.|org\\.eclipse\\."
                    + "|kotlin\\.|\\b[A-Z][A-Za-z0-9]+\\$[A-Z][A-Za-z0-9]+|[A-Za-z]Exception\\b|Exception:|\\tat [a-z]");
    /** Every request and the start of its answer, for reading after a run. */
    private static final Path REPORT = Path.of("target", "http-fuzz-report.txt");
    private static final String BIDI = "%E2%80%AE";
    private static final String EMOJI = "%F0%9F%98%80";
    private static final String CONTROL = "%01%07%1B%7F";

    private static final Map<String, String> OPERATOR = bearer(TestPlatform.token("fuzz-operator", Role.OPERATOR));
    private static final Map<String, String> SERVICE = bearer(TestPlatform.token("fuzz-service", Role.SERVICE));
    private static final Map<String, String> USER = bearer(TestPlatform.token("fuzz", Role.USER));
    private static final Map<String, String> FUZZ_ANA = bearer(TestPlatform.token("fuzz-ana", Role.USER));

    private static Platform platform;

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.start("messenger", "latency", "fraud", "pricealerts", "search", "recommendations");
        TestPlatform.awaitRunning(platform, PATIENCE);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void malformedRequestsToEveryDocumentedOperationGetA4xxJsonErrorThatNamesNoJavaInternals() throws Exception {
        // Given every operation of the OpenAPI document, and requests no client should send
        List<Operation> operations = operations(JSON.readTree(TestPlatform.get(platform, "/openapi.json").body()));
        assertThat(operations).extracting(Operation::path)
                .contains("/api/messenger/messages", "/api/latency/slos/{service}", "/api/fraud/authorize", "/registry/subjects");
        List<Probe> probes = new ArrayList<>(serverWideProbes());
        SplittableRandom random = new SplittableRandom(SEED);
        for (Operation operation : operations) {
            probes.addAll(probesOf(operation, random));
        }

        // When they are all sent
        List<Exchange> exchanges = sendAll(probes);

        // Then none is a 5xx, every error is JSON in the platform's shape, and nothing names a Java type
        List<Exchange> serverErrors = exchanges.stream().filter(e -> e.answer().status() >= 500 || e.answer().status() < 0).toList();
        List<Exchange> notJsonErrors = exchanges.stream().filter(e -> e.answer().status() >= 400 && !isJsonError(e)).toList();
        List<Exchange> internals = exchanges.stream().filter(HttpFuzzIT::showsJavaInternals).toList();
        System.out.printf(Locale.ROOT, "HTTP fuzz (seed %d): %d requests over %d operations; %d answered 5xx or not at all, "
                        + "%d errors not in the JSON shape, %d naming Java internals%n", SEED,
                exchanges.size(), operations.size(), serverErrors.size(), notJsonErrors.size(), internals.size());
        Files.write(REPORT, exchanges.stream().map(Exchange::toString).collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8));
        report("5xx or no answer", serverErrors);
        report("error not in the JSON shape", notJsonErrors);
        report("Java internals in the body", internals);
        assertThat(serverErrors).as(listing("answered 5xx or not at all", serverErrors)).isEmpty();
        assertThat(notJsonErrors).as(listing("errors without a JSON body with \"error\"", notJsonErrors)).isEmpty();
        assertThat(internals).as(listing("bodies naming Java internals", internals)).isEmpty();
        List<Exchange> credentialsAdmitted = exchanges.stream().filter(e -> e.probe().label().startsWith("Authorization ")
                || e.probe().label().equals("two Authorization headers") || e.probe().label().equals("forged forwarding")
                || e.probe().label().equals("session cookie junk"))
                .filter(e -> e.answer().status() != 401 && e.answer().status() != 403).toList();
        assertThat(credentialsAdmitted).as(listing("bad credentials not refused with 401/403", credentialsAdmitted)).isEmpty();
    }

    @Test
    @Order(1)
    void aRequestTheServerRefusesBeforeReadingItSaysConnectionCloseSoNoClientReusesTheConnectionItDrops() throws Exception {
        // Jetty closes the connection after a request it cannot parse; without the header a keep-alive client sent its
        // next request down that connection and got no answer at all (PricealertsIT: a DELETE after a path with %00).
        try (Socket socket = new Socket("127.0.0.1", platform.httpPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("GET /api/pricealerts/watches/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400 ").containsIgnoringCase("\r\nConnection: close\r\n")
                    .contains("\"error\"");
        }
    }

    @Test
    @Order(2)
    void queriesOfPipelinesThatAreNotRunningAnswer503WithRetryAfterWhileProducersStillAccept() throws Exception {
        // Given every pipeline stopped (NOT_RUNNING, as after a shutdown or a fatal error)
        List<Operation> operations = operations(JSON.readTree(TestPlatform.get(platform, "/openapi.json").body()));
        platform.pipelines().parallelStream().map(RunningPipeline::streams).forEach(streams -> streams.close(Duration.ofSeconds(30)));

        // When each pipeline's queries are asked with well-formed parameters
        List<Operation> queries = operations.stream()
                .filter(o -> o.method().equals("GET") && o.path().matches("/api/(messenger|latency|fraud|pricealerts)/.*"))
                // a live stream reads its topic, not the pipeline's stores: it is served while the pipeline is down
                .filter(o -> !o.path().endsWith("/events")).toList();
        assertThat(queries).extracting(Operation::path).contains("/api/latency/slos", "/api/messenger/messages/{messageId}/status",
                "/api/fraud/stats", "/api/pricealerts/offers/{key}/best");
        List<Exchange> answers = sendAll(queries.stream().map(o -> new Probe(o.method(), o.target(Map.of(), wellFormedQuery(o)),
                "well-formed", o.credential(), null)).toList());

        // Then each says 503 with Retry-After, in the JSON error shape
        for (Exchange exchange : answers) {
            assertThat(exchange.answer().status()).as(exchange.toString()).isEqualTo(503);
            assertThat(exchange.answer().headers()).as(exchange.toString()).containsKey("retry-after");
            assertThat(JSON.readTree(exchange.answer().body()).get("error").asText()).isEqualTo("unavailable");
        }
        // And an authorization, which waits for the pipeline's decision, is refused the same way
        Answer authorize = send(json("POST", "/api/fraud/authorize", SERVICE, "{\"transactionId\":\"fuzz-503\",\"cardNumber\":\"4111111111111111\","
                + "\"merchantId\":\"m-1\",\"amount\":1200,\"currency\":\"EUR\",\"country\":\"DE\"}"));
        assertThat(authorize.status()).as(authorize.body()).isEqualTo(503);
        assertThat(authorize.headers()).containsKey("retry-after");
        // And produce-only endpoints still accept: Kafka keeps the event until the pipeline is back
        assertThat(send(json("PUT", "/api/latency/slos/fuzz-checkout", OPERATOR, "{\"p99ThresholdMicros\":200000,\"errorRateThreshold\":0.05}"))
                .status()).isEqualTo(202);
        assertThat(send(json("POST", "/api/messenger/messages", FUZZ_ANA, "{\"sender\":\"fuzz-ana\",\"conversationType\":\"DIRECT\","
                + "\"to\":\"fuzz-ben\",\"body\":\"Ferry at 7:40\"}")).status()).isEqualTo(202);
    }

    /** The optional parameters a query needs besides its required ones to be well formed. */
    private static String wellFormedQuery(Operation operation) {
        return switch (operation.path()) {
            case "/api/pricealerts/search" -> "origin=LHR&destination=JFK&date=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(30);
            default -> operation.path().endsWith("/search") ? "q=ferry" : "";
        };
    }

    // ---- what is sent

    /** One request exactly as it goes on the wire: the request target is already percent-encoded (or deliberately not). */
    record Probe(String method, String target, String label, Map<String, String> headers, byte[] body) {

        @Override
        public String toString() {
            String shown = target.length() > 120 ? target.substring(0, 120) + "…(" + target.length() + " chars)" : target;
            return method + " " + shown + " [" + label + "]";
        }
    }

    /** A documented operation and its parameters as the OpenAPI document declares them. */
    record Operation(String method, String path, List<Param> pathParams, List<Param> queryParams, JsonNode body, List<String> roles) {

        /**
         * The credential a legitimate caller of this operation sends, so that the probes get past authentication to the
         * parameters and bodies they test: an operator's or a service's token, or a user's whose id is the one in the
         * path's example (or the sample body's sender).
         */
        Map<String, String> credential() {
            if (roles.isEmpty()) {
                return Map.of();
            }
            String token = roles.contains("operator") ? TestPlatform.token("fuzz-operator", Role.OPERATOR)
                    : roles.contains("service") ? TestPlatform.token("fuzz-service", Role.SERVICE)
                    : TestPlatform.token(pathParams.stream().filter(p -> p.name().equals("user")).map(Param::example).findFirst()
                            .orElse("fuzz"), Role.USER);
            return Map.of("Authorization", "Bearer " + token);
        }

        /** The target with each path parameter at its example (or a plain id), except {@code fuzzed} set to {@code wire}. */
        String target(Map<String, String> fuzzed, String query) {
            String target = path;
            for (Param param : pathParams) {
                target = target.replace("{" + param.name() + "}", fuzzed.getOrDefault(param.name(), encode(param.example())));
            }
            String required = queryParams.stream().filter(Param::required).filter(p -> !fuzzed.containsKey("?" + p.name()))
                    .map(p -> p.name() + "=" + encode(p.example())).collect(Collectors.joining("&"));
            String all = String.join("&", required, query).replaceAll("^&|&$", "");
            return all.isEmpty() ? target : target + "?" + all;
        }
    }

    /** A path or query parameter: its type and whether it is required, with an example to use when it is not the one fuzzed. */
    record Param(String name, String type, boolean required, String example) {
    }

    private static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        JsonNode schemas = document.path("components").path("schemas");
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            List<Param> pathParams = new ArrayList<>();
            List<Param> queryParams = new ArrayList<>();
            for (JsonNode parameter : method.getValue().path("parameters")) {
                String example = parameter.has("example") ? parameter.get("example").asText()
                        : parameter.path("schema").path("type").asText().equals("integer") ? "1" : "fuzz1";
                Param param = new Param(parameter.get("name").asText(), parameter.path("schema").path("type").asText("string"),
                        parameter.path("required").asBoolean(), example);
                (parameter.get("in").asText().equals("path") ? pathParams : queryParams).add(param);
            }
            JsonNode body = method.getValue().path("requestBody").path("content").path("application/json").path("schema");
            List<String> roles = new ArrayList<>();
            method.getValue().path("x-millrace-roles").forEach(role -> roles.add(role.asText()));
            operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), pathParams, queryParams,
                    body.isMissingNode() ? null : resolve(body, schemas), roles));
        }));
        return operations;
    }

    /** The schema with every $ref replaced by its definition (a recursive one stops as an empty object). */
    private static JsonNode resolve(JsonNode schema, JsonNode schemas) {
        return resolve(schema, schemas, 0);
    }

    private static JsonNode resolve(JsonNode schema, JsonNode schemas, int depth) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            return depth > 8 ? NODES.objectNode().put("type", "object") : resolve(schemas.get(name), schemas, depth + 1);
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode copy = schema.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("properties")) {
                ObjectNode properties = copy.putObject("properties");
                field.getValue().fields().forEachRemaining(p -> properties.set(p.getKey(), resolve(p.getValue(), schemas, depth + 1)));
            } else if (field.getKey().equals("items") || field.getKey().equals("additionalProperties")) {
                copy.set(field.getKey(), resolve(field.getValue(), schemas, depth + 1));
            } else if (field.getKey().equals("anyOf")) {
                ArrayNode anyOf = copy.putArray("anyOf");
                field.getValue().forEach(option -> anyOf.add(resolve(option, schemas, depth + 1)));
            }
        }
        return copy;
    }

    /** Requests that are wrong before any route is chosen: bad URIs, paths that climb out, unknown routes, no Host. */
    private static List<Probe> serverWideProbes() {
        List<Probe> probes = new ArrayList<>();
        for (String target : List.of("/%00", "/api/%00/x", "/../../etc/passwd", "/api/messenger/../../../etc/passwd",
                "/api/%2e%2e/%2e%2e/etc/passwd", "/api/messenger/users/a%2Fb/inbox", "/api/messenger/users/%zz/inbox",
                "/api/messenger/users/%/inbox", "/api/nothing-here", "/api/latency/services/" + "a".repeat(100_000),
                "/api//latency//slos", "/api/latency/slos;jsessionid=1", "/api/latency/slos?%zz=1", "/api/latency/slos?a=%",
                "/api/latency/slos#fragment", "*", "http://localhost/api/latency/slos", "/api/latency/slos\\..\\..")) {
            probes.add(new Probe("GET", target, "server-wide", OPERATOR, null));
        }
        probes.add(new Probe("GET", "/api/latency/slos", "no Host", with(OPERATOR, "Host", ""), null));
        probes.add(new Probe("BREW", "/api/latency/slos", "unknown method", OPERATOR, null));
        probes.add(new Probe("GET", "/api/latency/slos", "bad header", with(OPERATOR, "X-Fuzz\u0001", "1"), null));
        probes.add(new Probe("POST", "/api/messenger/messages", "bad Content-Length", with(USER, "Content-Length", "-1",
                "Content-Type", "application/json"), null));
        probes.add(new Probe("POST", "/api/messenger/messages", "chunked 2 MB", with(USER, "Transfer-Encoding", "chunked",
                "Content-Type", "application/json"), chunked(("{\"body\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}").getBytes())));
        // Credentials no client should send: each is a 401 (or a 403 for a valid token of the wrong role), in the JSON shape
        String valid = TestPlatform.token("fuzz", Role.USER);
        String[] parts = valid.split("\\.");
        for (String authorization : List.of("Bearer", "Bearer ", "Bearer  " + valid, "bearer " + valid, "Bearer a.b.c", "Bearer ...",
                "Bearer " + "a".repeat(7_000), "Bearer " + parts[0] + "." + parts[1] + ".", "Bearer " + parts[0] + "." + parts[1],
                "Bearer eyJhbGciOiJub25lIn0." + parts[1] + ".", "Bearer " + valid + "x", "Basic", "Basic !!!", "Basic " + "YTo=",
                "Basic " + java.util.Base64.getEncoder().encodeToString(("a:" + valid + "x").getBytes(StandardCharsets.UTF_8)),
                "Digest username=\"a\"", "Bearer " + valid + "\u00e9", "Bearer " + TestPlatform.token("fuzz", Role.SERVICE))) {
            probes.add(new Probe("GET", "/api/latency/slos", "Authorization " + abbreviate(authorization), Map.of("Authorization",
                    authorization), null));
        }
        probes.add(new Probe("GET", "/api/latency/slos", "two Authorization headers", Map.of("Authorization", "Bearer "
                + TestPlatform.token("fuzz-operator", Role.OPERATOR), "authorization", "Bearer " + valid), null));
        probes.add(new Probe("GET", "/api/latency/slos", "forged forwarding", with(OPERATOR, "X-Millrace-Forwarded", "true",
                "X-Millrace-Peer", valid), null));
        probes.add(new Probe("GET", "/api/latency/slos", "session cookie junk", Map.of("Cookie", "millrace_session=" + CONTROL), null));
        return probes;
    }

    private static List<Probe> probesOf(Operation operation, SplittableRandom random) {
        List<Probe> probes = new ArrayList<>();
        String method = operation.method();
        for (Param param : operation.pathParams()) {
            for (String wire : pathValues(random)) {
                probes.add(new Probe(method, operation.target(Map.of(param.name(), wire), ""), "path " + param.name() + "=" + wire,
                        operation.credential(), sampleBody(operation)));
            }
        }
        for (Param param : operation.queryParams()) {
            for (String query : queryValues(param.name(), random)) {
                probes.add(new Probe(method, operation.target(Map.of("?" + param.name(), ""), query), "query " + query,
                        operation.credential(), sampleBody(operation)));
            }
        }
        String target = operation.target(Map.of(), "");
        if (operation.body() != null) {
            for (Map.Entry<String, byte[]> body : bodies(operation.body(), random).entrySet()) {
                probes.add(new Probe(method, target, "body " + body.getKey(), with(operation.credential(), "Content-Type", "application/json"),
                        body.getValue()));
            }
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                    "application/json; charset=utf-16", "application/xml", "*/*", "application/json;;;", "json")) {
                probes.add(new Probe(method, target, "content type " + type, with(operation.credential(), "Content-Type", type),
                        sampleBody(operation)));
            }
            probes.add(new Probe(method, target, "no content type", operation.credential(), sampleBody(operation)));
            probes.add(new Probe(method, target, "no body", with(operation.credential(), "Content-Type", "application/json"), null));
        }
        for (String type : List.of("application/json; charset=EBCDIC-XX", "application/json; charset", "application/json; charset=",
                "application/json; charset=\"", "application/json; charset=a b")) {
            probes.add(new Probe(method, target + (target.contains("?") ? "&" : "?") + "x=%C3%A9", "content type " + type,
                    with(operation.credential(), "Content-Type", type), sampleBody(operation)));
        }
        probes.add(new Probe(method, target + (target.contains("?") ? "&" : "?") + "pad=" + "a".repeat(100_000), "100 KB URL",
                operation.credential(), null));
        probes.add(new Probe(method, target, "64 KB header", with(operation.credential(), "X-Fuzz", "a".repeat(64 * 1024)), null));
        probes.add(new Probe("PATCH", target, "method not routed", operation.credential(), null));
        return probes;
    }

    /** Path parameter values as they go on the wire. */
    private static List<String> pathValues(SplittableRandom random) {
        List<String> values = new ArrayList<>(List.of("%20", "-", ".", "..", "../..", "..%2F..", "%2e%2e", "%00", "a%00b", "%2F", "a%2Fb",
                "a" + BIDI + "b", CONTROL, EMOJI, "a".repeat(300), "a".repeat(10 * 1024), "%C0%AF", "%FF%FE", "a;b", "a%3Bb", "a%7Cb",
                "-1", "NaN", "9".repeat(30), "1.5", "%3Cscript%3E", "%22%27", "*", "%25", "a%0D%0Ab"));
        for (int i = 0; i < 8; i++) {
            values.add(encode(junk(random, 1 + random.nextInt(40))));
        }
        return values;
    }

    /** Query strings that set {@code name} wrongly. */
    private static List<String> queryValues(String name, SplittableRandom random) {
        List<String> values = new ArrayList<>();
        for (String wire : List.of("", "%20", "abc", "-1", "0", "NaN", "Infinity", "1.5", "1e309", "9".repeat(30), "-" + "9".repeat(30),
                "a".repeat(10 * 1024), "%00", "%zz", "%", "1%00", BIDI + "1m", CONTROL, EMOJI, "1m%0D%0AX-Injected:%201",
                "%2F..%2F..", "true", "%5B%5D")) {
            values.add(name + "=" + wire);
        }
        values.add(name);
        values.add(name + "=1&" + name + "=2");
        values.add(name + "==");
        for (int i = 0; i < 4; i++) {
            values.add(name + "=" + encode(junk(random, 1 + random.nextInt(40))));
        }
        return values;
    }

    /** Bodies for a JSON operation: not JSON, the wrong JSON, the right shape with one field wrong, too large. */
    private static Map<String, byte[]> bodies(JsonNode schema, SplittableRandom random) {
        Map<String, String> bodies = new LinkedHashMap<>();
        String sample = sample(schema).toString();
        for (String junk : List.of("", " ", "null", "[]", "\"x\"", "{}", "1", "true", "{", "}", "{\"a\":", "garbage", "{}{}", "[{}]",
                "{\"a\":1,}", "{'a':1}", "{\"a\":NaN}", "\u0000", sample + " trailing", sample + "]", sample + sample, "\uFEFF" + sample,
                "[".repeat(10_000) + "]".repeat(10_000), "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000),
                "{\"" + "k".repeat(100_000) + "\":1}", "{\"a\":1.0e99999999}")) {
            bodies.put(abbreviate(junk), junk);
        }
        if (schema.has("properties")) {
            Iterator<Map.Entry<String, JsonNode>> properties = schema.get("properties").fields();
            while (properties.hasNext()) {
                Map.Entry<String, JsonNode> property = properties.next();
                for (JsonNode wrong : wrongValues(property.getValue(), random)) {
                    ObjectNode body = (ObjectNode) sample(schema);
                    body.set(property.getKey(), wrong);
                    bodies.put(property.getKey() + "=" + abbreviate(wrong.toString()), body.toString());
                }
                ObjectNode without = (ObjectNode) sample(schema);
                without.remove(property.getKey());
                bodies.put("without " + property.getKey(), without.toString());
            }
            ObjectNode unknown = (ObjectNode) sample(schema);
            unknown.put("foo", 1);
            bodies.put("unknown field", unknown.toString());
            bodies.put("duplicate field", sample.replaceFirst("\\{", "{\"foo\":1,\"foo\":2,"));
        }
        for (int i = 0; i < 4; i++) {
            String junk = junk(random, 1 + random.nextInt(60));
            bodies.put("junk " + abbreviate(junk), junk);
        }
        bodies.put("2 MB", "{\"x\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}");
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        bodies.forEach((label, body) -> bytes.put(label, body.getBytes(StandardCharsets.UTF_8)));
        bytes.put("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        return bytes;
    }

    private static List<JsonNode> wrongValues(JsonNode schema, SplittableRandom random) {
        List<JsonNode> values = new ArrayList<>(List.of(NODES.nullNode(), NODES.objectNode(), NODES.arrayNode(), NODES.booleanNode(true)));
        String type = type(schema);
        if (type.equals("string")) {
            values.addAll(List.of(NODES.numberNode(123), NODES.textNode(""), NODES.textNode(" "), NODES.textNode("a".repeat(100_000)),
                    NODES.textNode("../../../etc/passwd"), NODES.textNode("a\u202Eb"), NODES.textNode("a\u0000b\u0007"),
                    NODES.textNode("\uD83D\uDE00"), NODES.textNode("a|b"), NODES.textNode(junk(random, 30))));
        } else if (type.equals("integer") || type.equals("number")) {
            values.addAll(List.of(NODES.textNode("abc"), NODES.textNode("12"), NODES.numberNode(1.5), NODES.numberNode(-1),
                    NODES.numberNode(new java.math.BigInteger("9".repeat(30))), NODES.numberNode(new java.math.BigDecimal("1e400")),
                    NODES.textNode("NaN"), NODES.numberNode(0)));
        } else {
            values.addAll(List.of(NODES.textNode("x"), NODES.numberNode(1)));
        }
        return values;
    }

    /** A value of the schema's shape: enums take their first value, strings a plain word, numbers one. */
    private static JsonNode sample(JsonNode schema) {
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        return switch (type(schema)) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                schema.path("properties").fields().forEachRemaining(p -> object.set(p.getKey(), sample(p.getValue())));
                yield object;
            }
            case "array" -> NODES.arrayNode().add(sample(schema.path("items")));
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(0.5);
            case "boolean" -> NODES.booleanNode(true);
            default -> NODES.textNode("fuzz");
        };
    }

    private static String type(JsonNode schema) {
        if (schema.has("anyOf")) {
            for (JsonNode option : schema.get("anyOf")) {
                if (!option.path("type").asText().equals("null")) {
                    return type(option);
                }
            }
        }
        return schema.path("type").asText(schema.has("properties") ? "object" : "string");
    }

    private static byte[] sampleBody(Operation operation) {
        return operation.body() == null ? null : sample(operation.body()).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Printable ASCII, Latin, CJK, bidi controls and emoji, seeded. */
    private static String junk(SplittableRandom random, int length) {
        int[] pool = {'a', 'Z', '0', '-', '_', '.', ':', '@', '/', '\\', '%', '&', '=', '?', '#', '+', ' ', '"', '\'', '<', '{', 0xE9,
                0x4E2D, 0x202E, 0x200B, 0x1F600, 0x7, 0x0, 0xFFFF};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(pool[random.nextInt(pool.length)]);
        }
        return text.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 40 ? flat.substring(0, 40) + "…(" + text.length() + " chars)" : flat;
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += 64 * 1024) {
            int length = Math.min(64 * 1024, body.length - at);
            out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static Probe json(String method, String target, Map<String, String> credential, String body) {
        return new Probe(method, target, "well-formed", with(credential, "Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code headers} and the given name-value pairs. */
    private static Map<String, String> with(Map<String, String> headers, String... namesAndValues) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            all.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return all;
    }

    // ---- what comes back

    /** The status, headers (names in lower case) and body of an answer; status -1 when none came. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    /** A request and its answer. */
    record Exchange(Probe probe, Answer answer) {

        @Override
        public String toString() {
            String body = answer.body().replaceAll("\\s+", " ");
            return probe + " -> " + answer.status() + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    private static boolean isJsonError(Exchange exchange) {
        try {
            JsonNode body = JSON.readTree(exchange.answer().body());
            boolean registryShape = exchange.probe().target().startsWith("/registry") && body.has("error_code") && body.has("message");
            return body != null && body.isObject() && (body.path("error").isTextual() || registryShape);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean showsJavaInternals(Exchange exchange) {
        // The Prometheus scrape and the topology description are operators' views of the JVM and of Kafka Streams itself.
        String target = exchange.probe().target();
        boolean operatorView = exchange.answer().status() < 400 && (target.startsWith("/metrics") || target.startsWith("/topology"));
        return !operatorView && JAVA_INTERNALS.matcher(exchange.answer().body()).find();
    }

    private static void report(String what, List<Exchange> exchanges) {
        exchanges.forEach(e -> System.out.println("  " + what + ": " + e));
    }

    private static String listing(String what, List<Exchange> exchanges) {
        return exchanges.size() + " requests " + what + ":\n" + exchanges.stream().limit(150).map(Exchange::toString)
                .collect(Collectors.joining("\n"));
    }

    private static List<Exchange> sendAll(List<Probe> probes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Exchange>> futures = new ArrayList<>();
            for (Probe probe : probes) {
                futures.add(pool.submit(() -> new Exchange(probe, send(probe))));
            }
            List<Exchange> exchanges = new ArrayList<>();
            for (Future<Exchange> future : futures) {
                exchanges.add(future.get());
            }
            return exchanges;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends the probe byte for byte over a fresh connection and reads the whole answer (the server closes after it). */
    private static Answer send(Probe probe) {
        try (Socket socket = new Socket("127.0.0.1", platform.httpPort())) {
            socket.setSoTimeout(15_000);
            StringBuilder head = new StringBuilder(probe.method() + " " + probe.target() + " HTTP/1.1\r\n");
            Map<String, String> headers = new LinkedHashMap<>(Map.of("Host", "localhost", "Connection", "close"));
            if (probe.body() != null && !probe.headers().containsKey("Transfer-Encoding")) {
                headers.put("Content-Length", String.valueOf(probe.body().length));
            }
            headers.putAll(probe.headers());
            headers.forEach((name, value) -> {
                if (!value.isEmpty()) {
                    head.append(name).append(": ").append(value).append("\r\n");
                }
            });
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            // A large body goes on in the background: the server may answer (413) before it has read it all.
            CompletableFuture<Void> written = probe.body() == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> {
                        try {
                            out.write(probe.body());
                            out.flush();
                        } catch (IOException ignored) {
                            // the server stopped reading; its answer is what counts
                        }
                    });
            byte[] raw = readAll(socket.getInputStream());
            written.cancel(true);
            return parse(raw);
        } catch (IOException e) {
            return new Answer(-1, Map.of(), e.toString());
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                raw.write(buffer, 0, n);
            }
        } catch (IOException reset) {
            if (raw.size() == 0) {
                throw reset;
            }
        }
        return raw.toByteArray();
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Answer(-1, Map.of(), "unparseable answer: " + abbreviate(text));
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int lineEnd = indexOf(body, at);
            if (lineEnd < 0) {
                break;
            }
            String size = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
            int length = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (length == 0) {
                break;
            }
            out.write(body, lineEnd + 2, Math.min(length, body.length - lineEnd - 2));
            at = lineEnd + 2 + length + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
