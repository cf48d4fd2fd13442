package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.api.auth.AuthKeys;
import io.millrace.api.auth.Role;
import io.millrace.api.auth.Tokens;
import io.millrace.bench.simulate.SimulationRun;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.registry.HttpRegistryClient;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the platform writes to its log over a full simulated run of every pipeline, run as an operator runs it
 * (production mode, keys of its own, Millrace's loggers at DEBUG), while clients use tokens right and wrong, send card
 * numbers and message bodies through every path, good and bad: the log holds no card number, no message body, no token
 * and no key.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LogHygieneIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    /**
     * 13 to 19 digits starting as the card networks' numbers do (2-6), possibly grouped by spaces or dashes; with the Luhn
     * check below, a card number. (Epoch milliseconds and nanoseconds start with 1 and are not taken for one.)
     */
    private static final Pattern PAN = Pattern.compile("(?<![0-9])[2-6](?:[ -]?[0-9]){12,18}(?![0-9])");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aFullSimulatedRunLogsNoCardNumberMessageBodyTokenOrKey() throws Exception {
        Path work = Files.createTempDirectory("millrace-logs");
        String authKey = randomKey();
        String atRestKey = randomKey();
        String tokenizationKey = "tokenization-" + UUID.randomUUID() + "-" + UUID.randomUUID();
        int httpPort = EmbeddedRunIT.freePort();
        int kafkaPort = EmbeddedRunIT.freePort();
        Tokens tokens = new Tokens(AuthKeys.parse(List.of(authKey)));
        String operator = tokens.issue("ops", Role.OPERATOR, Duration.ofHours(1));
        String service = tokens.issue("payments", Role.SERVICE, Duration.ofHours(1));
        String ana = tokens.issue("ana", Role.USER, Duration.ofHours(1));
        String forged = new Tokens(AuthKeys.parse(List.of(randomKey()))).issue("ana", Role.OPERATOR, Duration.ofHours(1));
        String bodyCanary = "canary-body-" + UUID.randomUUID();
        String panCanary = "4556737586899855";
        List<String> secrets = List.of(authKey, atRestKey, tokenizationKey, operator, service, ana, forged,
                HexFormat.of().formatHex(Base64.getDecoder().decode(authKey)), HexFormat.of().formatHex(Base64.getDecoder().decode(atRestKey)),
                bodyCanary, panCanary);

        try (ChildProcessApp app = ChildProcessApp.start(work.resolve("data"), httpPort, kafkaPort, Map.of(
                "MILLRACE_ENV", "production",
                "MILLRACE_AUTH_KEY", authKey,
                "MILLRACE_MESSENGER_AT_REST_KEY", atRestKey,
                "MILLRACE_FRAUD_TOKENIZATION_KEY", tokenizationKey,
                "MILLRACE_LOG_LEVEL", "DEBUG"))) {
            app.awaitReady(PATIENCE);
            String base = "http://localhost:" + httpPort;
            String bootstrap = "127.0.0.1:" + kafkaPort;

            // Every pipeline's simulator, a few seconds each, bad records included
            AvroSerdes serdes = new AvroSerdes(new HttpRegistryClient(base + "/registry", Optional.of("simulate:" + service)));
            PipelineContext context = new PipelineContext(serdes, new SimpleMeterRegistry(), Settings.none());
            List<String> simulated = new ArrayList<>();
            for (PipelineModule<?> module : PipelineModules.discover()) {
                Simulator simulator = module.simulator(context);
                SimulationRun.Result result = new SimulationRun(simulator, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        400, Duration.ofSeconds(6), 7).run(line -> { });
                assertThat(result.eventsSent()).isPositive();
                simulated.add(result.pipeline() + " " + result.eventsSent());
            }

            // Clients, right and wrong: the card number and the body go down every path, with every kind of credential
            call(base, "POST", "/api/messenger/messages", ana, "{\"conversationType\":\"DIRECT\",\"to\":\"ben\",\"body\":\"" + bodyCanary + "\"}");
            call(base, "POST", "/api/messenger/messages", ana, "{\"conversationType\":\"GROUP\",\"to\":\"no-such-group\",\"body\":\""
                    + bodyCanary + "\"}");
            call(base, "POST", "/api/messenger/messages", ana, "{\"sender\":\"ben\",\"conversationType\":\"DIRECT\",\"to\":\"ana\",\"body\":\""
                    + bodyCanary + "\"}");
            call(base, "POST", "/api/messenger/messages", ana, "{\"conversationType\":\"DIRECT\",\"to\":\"ben\",\"body\":\""
                    + bodyCanary.repeat(3_000) + "\"}");
            call(base, "POST", "/api/messenger/messages", ana, "{\"conversationType\":\"DIRECT\",\"to\":\"ben\",\"body\":\"" + bodyCanary);
            call(base, "POST", "/api/fraud/authorize", service, "{\"transactionId\":\"t-logs-1\",\"cardNumber\":\"" + panCanary + "\","
                    + "\"merchantId\":\"m-1\",\"amount\":1200,\"currency\":\"EUR\",\"country\":\"DE\"}");
            call(base, "POST", "/api/fraud/authorize", service, "{\"transactionId\":\"t-logs-2\",\"cardNumber\":\"" + panCanary + "\","
                    + "\"merchantId\":\"m-1\",\"amount\":-5,\"currency\":\"XXX\",\"country\":\"??\"}");
            call(base, "POST", "/api/fraud/authorize", service, "{\"cardNumber\":\"" + panCanary + "\"");
            call(base, "POST", "/api/fraud/authorize", ana, "{\"transactionId\":\"t-logs-3\",\"cardNumber\":\"" + panCanary + "\"}");
            call(base, "GET", "/api/fraud/cards/" + panCanary, operator, null);
            call(base, "GET", "/api/messenger/users/ana/search?q=" + bodyCanary, ana, null);
            call(base, "GET", "/api/messenger/users/ana/inbox", forged, null);
            call(base, "GET", "/api/messenger/users/ana/inbox", operator + "x", null);
            call(base, "GET", "/api/pipelines", ana, null);
            call(base, "GET", "/login?token=" + operator, null, null);
            call(base, "GET", "/login?token=" + forged, null, null);
            call(base, "GET", "/api/pipelines?token=" + operator, operator, null);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("fraud.authorization-requests", "t-logs-4".getBytes(StandardCharsets.UTF_8),
                        ("junk with a card " + panCanary).getBytes(StandardCharsets.UTF_8))).get();
                producer.send(new ProducerRecord<>("messenger.messages", "ana".getBytes(StandardCharsets.UTF_8),
                        ("junk with a body " + bodyCanary).getBytes(StandardCharsets.UTF_8))).get();
            }
            // Everything is processed (the junk is dead-lettered) before the log is read
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                String pipelines = call(base, "GET", "/api/pipelines", operator, null).body();
                for (var pipeline : JSON.readTree(pipelines)) {
                    assertThat(pipeline.get("lag").asLong()).as("%s", pipeline).isZero();
                }
                assertThat(JSON.readTree(pipelines).findValues("deadLetters").stream().mapToLong(n -> n.asLong()).sum()).isGreaterThanOrEqualTo(2);
            });
            app.stop();

            String log = app.output();
            assertThat(log).as("the run logged").contains("Dashboard:");
            List<String> found = new ArrayList<>();
            for (String secret : secrets) {
                if (log.contains(secret)) {
                    found.add("a secret or canary (" + secret.substring(0, 6) + "…) at: " + around(log, log.indexOf(secret)));
                }
            }
            Matcher pans = PAN.matcher(log);
            while (pans.find()) {
                String digits = pans.group().replaceAll("[ -]", "");
                if (luhn(digits)) {
                    found.add("a card number at: " + around(log, pans.start()));
                }
            }
            for (String part : List.of(ana, operator, service)) {
                String payload = part.split("\\.")[1];
                if (log.contains(payload)) {
                    found.add("a token's claims at: " + around(log, log.indexOf(payload)));
                }
            }
            System.out.printf("log hygiene: %d lines, %d bytes logged over %s; %d findings%n", log.lines().count(), log.length(),
                    simulated, found.size());
            assertThat(found).as(String.join("\n", found)).isEmpty();
        }
    }

    private static HttpResponse<String> call(String base, String method, String path, String bearer, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static String around(String log, int at) {
        int start = log.lastIndexOf('\n', Math.max(0, at)) + 1;
        int end = log.indexOf('\n', at);
        String line = log.substring(start, end < 0 ? log.length() : end);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
