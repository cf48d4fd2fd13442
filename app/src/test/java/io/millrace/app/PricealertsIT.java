package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.api.auth.Role;
import io.millrace.app.broker.EmbeddedKafka;
import io.millrace.schemas.pricealerts.FlightOffer;
import io.millrace.schemas.pricealerts.FxRate;
import io.millrace.schemas.pricealerts.HotelOffer;
import io.millrace.schemas.pricealerts.OfferKind;
import io.millrace.schemas.pricealerts.PriceAlert;
import io.millrace.schemas.pricealerts.PriceQuote;
import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.WatchMode;
import io.millrace.schemas.registry.KafkaSchemaLog;
import io.millrace.schemas.registry.LocalRegistryClient;
import io.millrace.schemas.registry.SchemaRegistry;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Topic;
import io.millrace.topology.pricealerts.OfferKeys;
import io.millrace.topology.pricealerts.PricealertsPipeline;
import io.millrace.topology.pricealerts.PricealertsTopics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The price alerts over HTTP on the shared broker: searches, best prices and their lapse, history, packages, watches placed
 * and cancelled as the caller, one alert per crossing in the history and on the live streams, currencies, who may call
 * what, and bad parameters; and one alert per crossing across a SIGKILL of the instance in the middle of a stream of
 * crossings. Each test has its own places and users.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PricealertsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DAY = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();
    private static final String LAST_DAY = LocalDate.now(ZoneOffset.UTC).plusDays(33).toString();

    private static Platform app;
    private static PricealertsTopics topics;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void start() {
        app = TestPlatform.start(PricealertsPipeline.NAME);
        TestPlatform.awaitRunning(app, PATIENCE);
        topics = new PricealertsTopics(app.pipelineContext().serdes());
        producer = Topics.producer();
        send(producer, topics.fxRates(), "EUR", new FxRate("EUR", 0.8, System.currentTimeMillis()));
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aSearchAnswersItsLiveOffersCheapestFirstPageByPageToAnySignedInCaller() throws Exception {
        String ana = user("ana");
        for (int i = 0; i < 5; i++) {
            quote("kayak", flight("SEA", "BOS", "AS", String.format("%02d:15", 7 + i)), 30_000 - i * 1_000L, "USD", 600_000);
        }
        String search = "/api/pricealerts/search?kind=FLIGHT&origin=SEA&destination=BOS&date=" + DAY + "&limit=3";

        JsonNode first = json(TestPlatform.as(app, ana).awaitGet(search, r -> r.statusCode() == 200
                && r.body().contains("\"next\""), PATIENCE));
        JsonNode second = json(TestPlatform.as(app, ana).get(search + "&after=" + first.get("next").asText()));

        assertThat(prices(first)).containsExactly(26_000L, 27_000L, 28_000L);
        assertThat(prices(second)).containsExactly(29_000L, 30_000L);
        assertThat(second.has("next")).isFalse();
        assertThat(first.get("offers").get(0).get("offerKey").asText()).isEqualTo("flight:SEA:BOS:" + DAY + ":AS:1115");
        assertThat(TestPlatform.service(app).get(search).statusCode()).isEqualTo(200);
        assertThat(TestPlatform.operator(app).get(search).statusCode()).isEqualTo(200);
        assertThat(TestPlatform.anonymous(app).get(search).statusCode()).isEqualTo(401);
    }

    @Test
    void anOffersBestPriceRisesWhenItsCheapestQuoteLapses() throws Exception {
        FlightOffer flight = flight("SFO", "ORD", "UA", "09:00");
        String key = offerKey(flight);
        quote("united", flight, 41_000, "USD", 600_000);
        quote("flash-sale", flight, 33_000, "USD", 4_000);
        String best = "/api/pricealerts/offers/" + key + "/best";

        JsonNode before = json(TestPlatform.as(app, user("ana")).awaitGet(best, r -> r.statusCode() == 200
                && r.body().contains("flash-sale"), PATIENCE));
        JsonNode after = json(TestPlatform.as(app, user("ana")).awaitGet(best, r -> r.statusCode() == 200
                && !r.body().contains("flash-sale"), PATIENCE));

        assertThat(before.at("/best/price/minor").asLong()).isEqualTo(33_000);
        assertThat(after.at("/best/price/minor").asLong()).isEqualTo(41_000);
        assertThat(after.at("/best/provider").asText()).isEqualTo("united");
        assertThat(json(TestPlatform.as(app, user("ana")).awaitGet("/api/pricealerts/offers/" + OfferKeys.searchKeyOf(key) + "/best",
                r -> r.statusCode() == 200, PATIENCE)).at("/best/price/minor").asLong()).as("the search too").isEqualTo(41_000);
    }

    @Test
    void aWatchFiresOncePerCrossingIntoTheHistoryAndTheUsersLiveStreams() throws Exception {
        String eva = user("eva");
        FlightOffer flight = flight("MIA", "YYZ", "AC", "10:30");
        String key = offerKey(flight);
        quote("air-canada", flight, 52_000, "USD", 600_000);
        await().atMost(PATIENCE).until(() -> TestPlatform.as(app, eva).get("/api/pricealerts/offers/" + key + "/best").statusCode() == 200);
        HttpResponse<String> placed = TestPlatform.as(app, eva).post("/api/pricealerts/watches", JSON.writeValueAsString(Map.of(
                "watchId", "w-" + RUN, "target", key, "thresholdMinor", 45_000, "currency", "USD")));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        TestPlatform.as(app, eva).awaitGet("/api/pricealerts/users/" + eva + "/watches", r -> r.body().contains("w-" + RUN), PATIENCE);

        try (SseClient sse = SseClient.open(eva); WsClient ws = WsClient.open(eva)) {
            quote("air-canada", flight, 44_000, "USD", 600_000);
            quote("expedia", flight, 43_000, "USD", 600_000);
            quote("air-canada", flight, 53_000, "USD", 600_000);
            quote("expedia", flight, 54_000, "USD", 600_000);
            quote("expedia", flight, 40_000, "USD", 600_000);

            List<JsonNode> alerts = sse.awaitAlerts(2);
            assertThat(alerts).extracting(a -> a.get("alertId").asText()).containsExactly("w-" + RUN + "#1", "w-" + RUN + "#2");
            assertThat(alerts.get(0).get("oldPriceMinor").asLong()).isEqualTo(52_000);
            assertThat(alerts.get(0).get("newPriceMinor").asLong()).isEqualTo(44_000);
            assertThat(alerts.get(1).get("provider").asText()).isEqualTo("expedia");
            assertThat(ws.awaitAlerts(2)).extracting(a -> a.get("alertId").asText()).containsExactly("w-" + RUN + "#1", "w-" + RUN + "#2");
        }
        JsonNode history = json(TestPlatform.as(app, eva).awaitGet("/api/pricealerts/users/" + eva + "/alerts",
                r -> r.statusCode() == 200 && r.body().contains("#2"), PATIENCE));
        assertThat(history).extracting(a -> a.get("alertId").asText()).containsExactly("w-" + RUN + "#2", "w-" + RUN + "#1");
    }

    @Test
    void aCancelledWatchIsGoneAndFiresNoMore() throws Exception {
        String noa = user("noa");
        FlightOffer flight = flight("ORD", "MEX", "AM", "13:00");
        String key = offerKey(flight);
        quote("aeromexico", flight, 52_000, "USD", 600_000);
        for (String watch : List.of("keep", "drop")) {
            assertThat(TestPlatform.as(app, noa).post("/api/pricealerts/watches", JSON.writeValueAsString(Map.of("watchId", watch,
                    "target", key, "thresholdMinor", 45_000, "currency", "USD"))).statusCode()).isEqualTo(202);
        }
        TestPlatform.as(app, noa).awaitGet("/api/pricealerts/users/" + noa + "/watches", r -> r.body().contains("drop"), PATIENCE);

        assertThat(TestPlatform.as(app, noa).delete("/api/pricealerts/watches/drop").statusCode()).isEqualTo(202);
        TestPlatform.as(app, noa).awaitGet("/api/pricealerts/users/" + noa + "/watches", r -> !r.body().contains("drop"), PATIENCE);
        // A cancellation takes effect where the watch is filed, one hop after the user's watches: a watch placed after it
        // (at once below its threshold, so it fires as it is filed) travels the same way behind it, and marks its arrival.
        assertThat(TestPlatform.as(app, noa).post("/api/pricealerts/watches", JSON.writeValueAsString(Map.of("watchId", "marker",
                "target", key, "thresholdMinor", 99_000, "currency", "USD"))).statusCode()).isEqualTo(202);
        TestPlatform.as(app, noa).awaitGet("/api/pricealerts/users/" + noa + "/alerts", r -> r.body().contains("marker#1"), PATIENCE);
        quote("aeromexico", flight, 41_000, "USD", 600_000);

        JsonNode alerts = json(TestPlatform.as(app, noa).awaitGet("/api/pricealerts/users/" + noa + "/alerts",
                r -> r.statusCode() == 200 && r.body().contains("keep#1"), PATIENCE));
        assertThat(alerts).extracting(a -> a.get("watchId").asText()).containsExactly("keep", "marker");
    }

    @Test
    void aEuroQuoteFiresADollarWatchComparedInOneCurrency() throws Exception {
        String ian = user("ian");
        FlightOffer flight = flight("DUB", "VIE", "EI", "06:40");
        String key = offerKey(flight);
        quote("ryanair", flight, 30_000, "USD", 600_000);
        TestPlatform.as(app, ian).awaitGet("/api/pricealerts/offers/" + key + "/best?currency=EUR", r -> r.statusCode() == 200, PATIENCE);
        assertThat(TestPlatform.as(app, ian).post("/api/pricealerts/watches", JSON.writeValueAsString(Map.of("watchId", "usd",
                "target", OfferKeys.searchKeyOf(key), "thresholdMinor", 25_000, "currency", "USD"))).statusCode()).isEqualTo(202);
        TestPlatform.as(app, ian).awaitGet("/api/pricealerts/users/" + ian + "/watches", r -> r.body().contains("usd"), PATIENCE);

        // EUR 199.20 is USD 249.00
        quote("aer-lingus", flight, 19_920, "EUR", 600_000);

        JsonNode alert = json(TestPlatform.as(app, ian).awaitGet("/api/pricealerts/users/" + ian + "/alerts",
                r -> r.statusCode() == 200 && r.body().contains("usd#1"), PATIENCE)).get(0);
        assertThat(alert.get("newPriceMinor").asLong()).isEqualTo(24_900);
        assertThat(alert.get("currency").asText()).isEqualTo("USD");
        assertThat(alert.at("/quoted/minor").asLong()).isEqualTo(19_920);
        assertThat(alert.at("/quoted/currency").asText()).isEqualTo("EUR");
    }

    @Test
    void aPackageFollowsTheQuotesOfItsParts() throws Exception {
        String ana = user("ana");
        quote("tap", flight("MAD", "ATH", "TP", "07:00"), 21_000, "USD", 600_000);
        quote("aegean", flight("IST", "ATH", "A3", "08:00"), 15_000, "USD", 600_000);
        quote("booking", hotelQuote("ATH", "h-plaka", 4), 60_000, "USD", 600_000);
        String path = "/api/pricealerts/packages?destination=ATH&from=" + DAY + "&to=" + LAST_DAY;

        JsonNode first = json(TestPlatform.as(app, ana).awaitGet(path, r -> r.statusCode() == 200, PATIENCE));
        assertThat(first.at("/total/minor").asLong()).isEqualTo(75_000);
        assertThat(first.at("/flight/offerKey").asText()).startsWith("flight:IST:ATH");

        quote("hotels", hotelQuote("ATH", "h-kolonaki", 3), 40_000, "USD", 600_000);
        quote("aegean", flight("IST", "ATH", "A3", "08:00"), 35_000, "USD", 600_000);

        JsonNode second = json(TestPlatform.as(app, ana).awaitGet(path, r -> r.statusCode() == 200
                && r.body().contains("h-kolonaki") && r.body().contains("flight:MAD:ATH"), PATIENCE));
        assertThat(second.at("/total/minor").asLong()).isEqualTo(61_000);
        HttpResponse<String> withCar = TestPlatform.as(app, ana).get(path + "&car=true");
        assertThat(withCar.statusCode()).isEqualTo(404);
        assertThat(json(withCar).get("detail").asText()).contains("a car at ATH");
    }

    @Test
    void anOffersHistoryHoldsTheLowestPriceOfTheHour() throws Exception {
        FlightOffer flight = flight("ICN", "BKK", "KE", "22:10");
        String key = offerKey(flight);
        quote("korean-air", flight, 61_000, "USD", 600_000);
        quote("agoda", flight, 58_000, "USD", 600_000);
        quote("korean-air", flight, 63_000, "USD", 600_000);

        JsonNode history = json(TestPlatform.as(app, user("ana")).awaitGet("/api/pricealerts/offers/" + key + "/history",
                r -> r.statusCode() == 200 && r.body().contains("58000"), PATIENCE));

        assertThat(history.get("hours")).hasSize(1);
        assertThat(history.at("/hours/0/price/minor").asLong()).isEqualTo(58_000);
    }

    @Test
    void aUserReadsAndPlacesOnlyTheirOwnWatchesAndAlerts() throws Exception {
        String ana = user("ana");
        String mallory = user("mallory");
        for (String path : List.of("/api/pricealerts/users/" + ana + "/watches", "/api/pricealerts/users/" + ana + "/alerts")) {
            assertThat(TestPlatform.as(app, mallory).get(path).statusCode()).as(path).isEqualTo(403);
            assertThat(TestPlatform.operator(app).get(path).statusCode()).as(path).isEqualTo(403);
            assertThat(TestPlatform.anonymous(app).get(path).statusCode()).as(path).isEqualTo(401);
            assertThat(TestPlatform.as(app, ana).get(path).statusCode()).as(path).isEqualTo(200);
        }
        HttpResponse<String> asAna = TestPlatform.as(app, mallory).post("/api/pricealerts/watches", JSON.writeValueAsString(Map.of(
                "user", ana, "target", "flight:LHR:JFK:" + DAY, "thresholdMinor", 1_000, "currency", "USD")));
        assertThat(asAna.statusCode()).isEqualTo(403);
        assertThat(TestPlatform.service(app).post("/api/pricealerts/watches", JSON.writeValueAsString(Map.of(
                "target", "flight:LHR:JFK:" + DAY, "thresholdMinor", 1_000, "currency", "USD"))).statusCode()).isEqualTo(403);
        assertThat(TestPlatform.operator(app).delete("/api/pricealerts/watches/w1").statusCode()).isEqualTo(403);
    }

    @Test
    void everyPricealertsOperationAdmitsOnlyItsCallers() throws Exception {
        String ana = user("matrix-ana");
        FlightOffer flight = flight("HKG", "SYD", "CX", "23:30");
        String key = offerKey(flight);
        quote("cathay", flight, 90_000, "USD", 600_000);
        quote("booking", hotelQuote("SYD", "h-rocks", 4), 70_000, "USD", 600_000);
        TestPlatform.as(app, ana).awaitGet("/api/pricealerts/packages?destination=SYD&from=" + DAY + "&to=" + LAST_DAY,
                r -> r.statusCode() == 200, PATIENCE);
        Map<String, String> targets = Map.of(
                "/api/pricealerts/search", "/api/pricealerts/search?kind=FLIGHT&origin=HKG&destination=SYD&date=" + DAY,
                "/api/pricealerts/packages", "/api/pricealerts/packages?destination=SYD&from=" + DAY + "&to=" + LAST_DAY);
        List<Operation> operations = operations(json(TestPlatform.anonymous(app).get("/openapi.json"))).stream()
                .filter(o -> o.path().startsWith("/api/pricealerts/")).toList();
        assertThat(operations).extracting(o -> o.method() + " " + o.path()).contains("GET /api/pricealerts/search",
                "POST /api/pricealerts/watches", "DELETE /api/pricealerts/watches/{id}", "WS /api/pricealerts/users/{user}/alerts/socket");

        Map<String, Optional<String>> callers = new LinkedHashMap<>();
        callers.put("no token", Optional.empty());
        callers.put("other user", Optional.of(TestPlatform.token(user("matrix-mallory"), Role.USER)));
        callers.put("owner", Optional.of(TestPlatform.token(ana, Role.USER)));
        callers.put("service", Optional.of(TestPlatform.token("matrix-service", Role.SERVICE)));
        callers.put("operator", Optional.of(TestPlatform.token("matrix-ops", Role.OPERATOR)));
        List<String> wrong = new ArrayList<>();
        for (Operation operation : operations) {
            String target = targets.getOrDefault(operation.path(), operation.path().replace("{key}", key).replace("{user}", ana)
                    .replace("{id}", "w-matrix"));
            boolean prices = operation.roles().containsAll(List.of("user", "service", "operator"));
            for (Map.Entry<String, Optional<String>> caller : callers.entrySet()) {
                int status = call(operation, target, caller.getValue(), ana);
                // Prices: any signed-in caller. Own data: only the user, and a cancellation is always of the caller's own watch.
                Set<Integer> expected = switch (caller.getKey()) {
                    case "no token" -> Set.of(401);
                    case "owner" -> Set.of(200, 202, 101);
                    case "other user" -> prices ? Set.of(200) : operation.method().equals("DELETE") ? Set.of(202) : Set.of(403);
                    default -> prices ? Set.of(200) : Set.of(403);
                };
                if (!expected.contains(status)) {
                    wrong.add(operation.method() + " " + operation.path() + ": " + caller.getKey() + " got " + status + ", expected " + expected);
                }
            }
        }
        assertThat(wrong).as("answers that let in or keep out the wrong caller").isEmpty();
    }

    @Test
    void badParametersAreA400AndAKeyWithoutALivePriceA404() throws Exception {
        TestPlatform.Client ana = TestPlatform.as(app, user("ana"));
        for (String path : List.of("/api/pricealerts/search?kind=BOAT", "/api/pricealerts/search?kind=FLIGHT&origin=SEA&destination=BOS",
                "/api/pricealerts/search?kind=FLIGHT&origin=sea&destination=BOS&date=" + DAY,
                "/api/pricealerts/search?kind=FLIGHT&origin=SEA&destination=SEA&date=" + DAY,
                "/api/pricealerts/search?kind=FLIGHT&origin=SEA&destination=BOS&date=2027-02-30",
                "/api/pricealerts/search?kind=HOTEL&city=LIS&checkIn=" + LAST_DAY + "&checkOut=" + DAY,
                "/api/pricealerts/search?kind=HOTEL&city=LIS&checkIn=" + DAY + "&checkOut=" + LAST_DAY + "&stars=6",
                "/api/pricealerts/search?kind=FLIGHT&origin=SEA&destination=BOS&date=" + DAY + "&after=junk",
                "/api/pricealerts/search?kind=FLIGHT&origin=SEA&destination=BOS&date=" + DAY + "&currency=EURO",
                "/api/pricealerts/search?kind=FLIGHT&origin=SEA&destination=BOS&date=" + DAY + "&currency=CHF",
                "/api/pricealerts/offers/nonsense/best", "/api/pricealerts/offers/flight:SEA:BOS:" + DAY + "/history",
                "/api/pricealerts/offers/flight:SEA:BOS:" + DAY + ":AS:0715/history?from=1&to=0",
                "/api/pricealerts/packages?destination=ATH&from=" + LAST_DAY + "&to=" + DAY,
                "/api/pricealerts/packages?destination=ATH&from=" + DAY + "&to=" + LAST_DAY + "&car=maybe")) {
            HttpResponse<String> answer = ana.get(path);
            assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(400);
            assertThat(json(answer).get("error").asText()).isEqualTo("bad_request");
        }
        assertThat(ana.get("/api/pricealerts/offers/flight:PRG:CPH:" + DAY + ":OK:0600/best").statusCode()).isEqualTo(404);
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("target", "flight:LHR", "thresholdMinor", 1, "currency", "USD"),
                Map.of("target", "flight:LHR:JFK:" + DAY, "currency", "USD"),
                Map.of("target", "flight:LHR:JFK:" + DAY, "thresholdMinor", -3, "currency", "USD"),
                Map.of("target", "flight:LHR:JFK:" + DAY, "thresholdMinor", 100, "currency", "DOLLARS"),
                Map.of("target", "flight:LHR:JFK:" + DAY, "mode", "ANY_DROP", "thresholdMinor", 100, "currency", "USD"),
                Map.of("target", "flight:LHR:JFK:" + DAY, "mode", "SOMETIMES", "currency", "USD"),
                Map.of("target", "flight:LHR:JFK:2020-01-01", "thresholdMinor", 100, "currency", "USD"))) {
            HttpResponse<String> answer = ana.post("/api/pricealerts/watches", JSON.writeValueAsString(body));
            assertThat(answer.statusCode()).as(body + ": " + answer.body()).isEqualTo(400);
        }
    }

    @Test
    void junkInEveryParameterOfEveryOperationIsA4xxJsonErrorNeverA5xx() throws Exception {
        List<Operation> operations = operations(json(TestPlatform.anonymous(app).get("/openapi.json"))).stream()
                .filter(o -> o.path().startsWith("/api/pricealerts/") && !o.method().equals("WS")).toList();
        String token = TestPlatform.token(user("fuzz"), Role.USER);
        List<String> junk = List.of("%00", "%2F", "..", "a%0D%0Ab", "%E2%80%AE", "9".repeat(40), "-1", "a".repeat(2_000), "%F0%9F%98%80",
                "flight:LHR:JFK:9999-99-99", "hotel:LIS:2027-03-02:2027-03-05:%2A%2A", "*", "%25", "1e309");
        List<String> failures = new ArrayList<>();
        for (Operation operation : operations) {
            List<String> targets = new ArrayList<>();
            for (String value : junk) {
                targets.add(operation.path().replace("{key}", value).replace("{user}", value).replace("{id}", value));
                for (String parameter : List.of("kind=FLIGHT&origin", "kind=HOTEL&city=LIS&checkIn=" + DAY + "&checkOut", "destination=ATH&from",
                        "limit", "after", "currency", "from", "to", "stars", "car")) {
                    targets.add(operation.path().replace("{key}", "flight:SEA:BOS:" + DAY + ":AS:0715").replace("{user}", user("fuzz"))
                            .replace("{id}", "w1") + "?" + parameter + "=" + value);
                }
            }
            for (String target : targets) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.httpPort() + target))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token);
                if (operation.eventStream()) {
                    continue;
                }
                switch (operation.method()) {
                    case "POST" -> request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"target\":\"" + target.replace("\"", "") + "\",\"thresholdMinor\":1,\"currency\":\"USD\"}"));
                    case "DELETE" -> request.DELETE();
                    default -> request.GET();
                }
                HttpResponse<String> answer;
                try {
                    answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException dropped) {
                    failures.add(operation.method() + " " + target + " → no answer: " + dropped.getMessage());
                    continue;
                }
                boolean jsonError = answer.statusCode() < 400 || answer.body().contains("\"error\"");
                if (answer.statusCode() >= 500 || !jsonError || answer.body().contains("Exception") || answer.body().contains("io.millrace")) {
                    failures.add(operation.method() + " " + target + " → " + answer.statusCode() + " " + answer.body());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * A stream of crossings for 30 watches, across partitions; the instance is killed (SIGKILL) while it processes them and
     * started again on the same state: every crossing is alerted once, no more, no less, with consecutive ids. Runs on a
     * broker of its own, so that the killed application never shares partitions with the in-process one.
     */
    @Test
    void eachCrossingIsAlertedExactlyOnceAcrossAKillInTheMiddleOfCrossings(@TempDir Path work) throws Exception {
        int watches = 30;
        int rounds = 40;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            SchemaRegistry registry = new SchemaRegistry(new KafkaSchemaLog(bootstrap, KafkaSchemaLog.DEFAULT_TOPIC, Map.of()));
            registry.start();
            PricealertsTopics own = new PricealertsTopics(new AvroSerdes(new LocalRegistryClient(registry)));
            String[] args = {"--bootstrap-servers", bootstrap, "--pipelines", PricealertsPipeline.NAME, "--replication-factor", "1",
                    "--standby-replicas", "0"};
            Path dataDir = work.resolve("data");
            ChildProcessApp first = ChildProcessApp.start(dataDir, EmbeddedRunIT.freePort(), 0, args);
            ChildProcessApp second = null;
            try (KafkaProducer<byte[], byte[]> feed = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer())) {
                first.awaitReady(Duration.ofSeconds(120));
                List<FlightOffer> offers = IntStream.range(0, watches).mapToObj(i -> flight(Origins.origin(i), "LIS", "TP",
                        String.format("%02d:%02d", 6 + i / 6, (i % 6) * 10))).toList();
                for (int i = 0; i < watches; i++) {
                    send(feed, own.quotes(), OfferKeys.searchKeyOf(offerKey(offers.get(i))), quoteOf("tap", offers.get(i), 50_000, "USD", 3_600_000));
                    send(feed, own.watches(), "k" + i, new PriceWatch("kw" + i, "k" + i, offerKey(offers.get(i)), WatchMode.THRESHOLD,
                            45_000L, "USD", System.currentTimeMillis()));
                }
                for (int i = 0; i < watches; i++) {
                    String path = "/api/pricealerts/users/k" + i + "/watches";
                    String user = "k" + i;
                    await(path).atMost(PATIENCE).until(() -> first.get(path, Optional.of(first.token(user, Role.USER))).body().contains("kw"));
                }

                // Below, above, below, above…: every other round is a crossing of every watch.
                AtomicInteger rounded = new AtomicInteger();
                Thread feeder = new Thread(() -> {
                    for (int round = 0; round < rounds; round++) {
                        for (int i = 0; i < watches; i++) {
                            send(feed, own.quotes(), OfferKeys.searchKeyOf(offerKey(offers.get(i))), quoteOf("tap", offers.get(i),
                                    round % 2 == 0 ? 40_000 : 50_000, "USD", 3_600_000));
                        }
                        rounded.incrementAndGet();
                        pace(Duration.ofMillis(150));
                    }
                }, "pricealerts-it-feeder");
                feeder.start();
                await("a quarter of the alerts").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> alerts(bootstrap, registry).size() >= watches * rounds / 2 / 4);
                first.kill();
                int alertedAtKill = alerts(bootstrap, registry).size();
                int roundsAtKill = rounded.get();
                assertThat(alertedAtKill).as("killed mid-stream").isLessThan(watches * rounds / 2);

                second = ChildProcessApp.start(dataDir, first.httpPort, 0, args);
                second.awaitReady(Duration.ofSeconds(180));
                feeder.join(Duration.ofSeconds(60).toMillis());
                assertThat(feeder.isAlive()).isFalse();
                await("every crossing alerted").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                        .until(() -> alerts(bootstrap, registry).size() >= watches * rounds / 2);
                System.out.printf("kill/restart: %d alerts of %d committed and %d of %d rounds sent when killed%n", alertedAtKill,
                        watches * rounds / 2, roundsAtKill, rounds);

                Map<String, List<PriceAlert>> byWatch = alerts(bootstrap, registry).stream()
                        .collect(Collectors.groupingBy(PriceAlert::getWatchId, TreeMap::new, Collectors.toList()));
                assertThat(byWatch).hasSize(watches);
                byWatch.forEach((watch, alerts) -> {
                    assertThat(alerts).extracting(PriceAlert::getAlertId).as(watch).containsExactlyElementsOf(
                            IntStream.rangeClosed(1, rounds / 2).mapToObj(n -> watch + "#" + n).toList());
                    assertThat(alerts).extracting(PriceAlert::getOldPriceMinor, PriceAlert::getNewPriceMinor).as(watch)
                            .containsOnly(org.assertj.core.groups.Tuple.tuple(50_000L, 40_000L));
                });
            } finally {
                if (second != null) {
                    second.close();
                }
                first.close();
                registry.close();
            }
        }
    }

    // ---- helpers

    /** Origins of the kill test's flights: distinct places, so that their searches fall on every partition. */
    private static final class Origins {

        private Origins() {
        }

        private static final String[] ORIGINS = {"LHR", "JFK", "CDG", "BCN", "MAD", "FCO", "AMS", "BER", "DUB", "IST", "ATH", "VIE",
                "PRG", "CPH", "ZRH", "LAX", "SFO", "ORD", "MIA", "YYZ", "MEX", "GRU", "DXB", "SIN", "HND", "ICN", "BKK", "HKG", "SYD", "OSL"};

        static String origin(int i) {
            return ORIGINS[i % ORIGINS.length];
        }
    }

    private static List<PriceAlert> alerts(String bootstrap, SchemaRegistry registry) {
        var values = new AvroSerdes(new LocalRegistryClient(registry)).value(PriceAlert.class).deserializer();
        return Topics.committed(bootstrap, PricealertsTopics.NOTIFICATIONS).stream()
                .map(r -> values.deserialize(PricealertsTopics.NOTIFICATIONS, r.value())).toList();
    }

    private static String user(String name) {
        return name + "-" + RUN;
    }

    private static FlightOffer flight(String origin, String destination, String carrier, String departure) {
        return new FlightOffer(origin, destination, DAY, carrier, departure, "23:59", 0);
    }

    private static HotelOffer hotelQuote(String city, String hotelId, int stars) {
        return new HotelOffer(city, hotelId, DAY, LAST_DAY, stars);
    }

    private static String offerKey(FlightOffer flight) {
        return OfferKeys.offerKey(OfferKind.FLIGHT, flight, null, null);
    }

    private static void quote(String provider, FlightOffer flight, long price, String currency, long validForMs) {
        send(producer, topics.quotes(), OfferKeys.searchKeyOf(offerKey(flight)), quoteOf(provider, flight, price, currency, validForMs));
    }

    private static void quote(String provider, HotelOffer hotel, long price, String currency, long validForMs) {
        long now = System.currentTimeMillis();
        PriceQuote quote = new PriceQuote(OfferKind.HOTEL, provider, null, hotel, null, price, currency, now, now + validForMs);
        send(producer, topics.quotes(), OfferKeys.searchKeyOf(OfferKeys.offerKey(OfferKind.HOTEL, null, hotel, null)), quote);
    }

    private static PriceQuote quoteOf(String provider, FlightOffer flight, long price, String currency, long validForMs) {
        long now = System.currentTimeMillis();
        return new PriceQuote(OfferKind.FLIGHT, provider, flight, null, null, price, currency, now, now + validForMs);
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key, V value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                    topic.valueSerde().serializer().serialize(topic.name(), value))).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not write to " + topic.name(), e);
        }
    }

    private static List<Long> prices(JsonNode page) {
        List<Long> prices = new ArrayList<>();
        page.get("offers").forEach(o -> prices.add(o.at("/price/minor").asLong()));
        return prices;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** Deliberate pacing, not a wait for a condition: it spreads the feed over time so that the kill lands mid-stream. */
    private static void pace(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An operation of the OpenAPI document; a stream's WebSocket is an operation of its own, with the method WS. */
    private record Operation(String method, String path, List<String> roles, boolean eventStream) {
    }

    private static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            List<String> roles = new ArrayList<>();
            method.getValue().path("x-millrace-roles").forEach(role -> roles.add(role.asText()));
            JsonNode socket = method.getValue().path("x-millrace-websocket");
            operations.add(new Operation(method.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(), roles, !socket.isMissingNode()));
            if (!socket.isMissingNode()) {
                operations.add(new Operation("WS", socket.asText(), roles, false));
            }
        }));
        return operations;
    }

    /** The status an operation answers {@code token}: a stream's status (then closed), a WebSocket's handshake (101 when open). */
    private static int call(Operation operation, String target, Optional<String> token, String owner) throws Exception {
        URI uri = URI.create("http://localhost:" + app.httpPort() + target);
        if (operation.method().equals("WS")) {
            WebSocket.Builder builder = HTTP.newWebSocketBuilder();
            token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
            try {
                builder.buildAsync(URI.create("ws://localhost:" + app.httpPort() + target), new WebSocket.Listener() { })
                        .get(10, TimeUnit.SECONDS).abort();
                return 101;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                    return refused.getResponse().statusCode();
                }
                throw e;
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        if (operation.eventStream()) {
            HttpResponse<InputStream> stream = HTTP.send(request.header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            stream.body().close();
            return stream.statusCode();
        }
        switch (operation.method()) {
            case "POST" -> request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                    Map.of("user", owner, "target", "flight:HKG:SYD:" + DAY, "thresholdMinor", 50_000, "currency", "USD"))));
            case "DELETE" -> request.DELETE();
            default -> request.GET();
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** A user's alert stream as an EventSource reads it. */
    private static final class SseClient implements AutoCloseable {
        private final List<JsonNode> alerts = new CopyOnWriteArrayList<>();
        private final List<String> events = new CopyOnWriteArrayList<>();
        private final InputStream body;

        private SseClient(InputStream body) {
            this.body = body;
            Thread reader = new Thread(this::read, "pricealerts-sse");
            reader.setDaemon(true);
            reader.start();
        }

        static SseClient open(String user) throws Exception {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.httpPort()
                            + "/api/pricealerts/users/" + user + "/alerts/events")).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + TestPlatform.token(user, Role.USER)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            SseClient client = new SseClient(response.body());
            // Events that happen from the 'ready' event on are the client's
            await("ready over SSE").atMost(PATIENCE).until(() -> client.events.contains("ready"));
            return client;
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String type = "";
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("event:")) {
                        type = line.substring(6).trim();
                        events.add(type);
                    } else if (line.startsWith("data:") && type.equals("alert")) {
                        alerts.add(JSON.readTree(line.substring(5).trim()));
                    }
                }
            } catch (IOException closed) {
                // the test closed it
            }
        }

        List<JsonNode> awaitAlerts(int n) {
            await("%d alerts over SSE".formatted(n)).atMost(PATIENCE).until(() -> alerts.size() >= n);
            return alerts;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** The same stream over a WebSocket: one text frame per event. */
    private static final class WsClient implements AutoCloseable, WebSocket.Listener {
        private final List<JsonNode> alerts = new CopyOnWriteArrayList<>();
        private final List<String> events = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static WsClient open(String user) throws Exception {
            WsClient client = new WsClient();
            client.socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + TestPlatform.token(user, Role.USER))
                    .buildAsync(URI.create("ws://localhost:" + app.httpPort() + "/api/pricealerts/users/" + user + "/alerts/socket"), client)
                    .get(10, TimeUnit.SECONDS);
            await("ready over the WebSocket").atMost(PATIENCE).until(() -> client.events.contains("ready"));
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode event = JSON.readTree(partial.toString());
                    events.add(event.path("event").asText());
                    if (event.path("event").asText().equals("alert")) {
                        alerts.add(event.get("data"));
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        List<JsonNode> awaitAlerts(int n) {
            await("%d alerts over the WebSocket".formatted(n)).atMost(PATIENCE).until(() -> alerts.size() >= n);
            return alerts;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
