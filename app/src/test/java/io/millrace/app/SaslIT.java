package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.millrace.api.auth.Role;
import io.millrace.app.broker.EmbeddedKafka;
import io.millrace.app.connect.EmbeddedConnect;
import io.millrace.topology.Pipeline;
import io.millrace.topology.messenger.MessengerPipeline;
import io.millrace.topology.messenger.MessengerTopics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A secured cluster: the broker's client listener speaks SASL_PLAINTEXT with SCRAM-SHA-512, and `millrace run
 * --bootstrap-servers ... --kafka-config client.properties` is all the platform is told. Every one of its Kafka clients
 * must then authenticate: Kafka Streams (exactly-once, so transactions too), the API's producer, the admin that measures
 * lag, the registry's log, the dead-letter tally, and a Kafka Connect worker given the same file, whose webhook connector
 * delivers a push. A client without the credentials is refused.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SaslIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String USER = "millrace";
    private static final String PASSWORD = "scram-" + UUID.randomUUID();

    @Test
    void theWholePlatformRunsAgainstASaslScramClusterFromOneClientPropertiesFile() throws Exception {
        Path work = Files.createTempDirectory("millrace-sasl");
        Map<String, String> client = Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                        + "\" password=\"" + PASSWORD + "\";");
        Path properties = work.resolve("client.properties");
        StringBuilder file = new StringBuilder("# what an operator writes for a SCRAM cluster\n");
        client.forEach((key, value) -> file.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        Files.writeString(properties, file.toString());

        LinkedBlockingQueue<String> pushes = new LinkedBlockingQueue<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/push", exchange -> {
            pushes.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithScram(work.resolve("kafka"), USER, PASSWORD)) {
            String sasl = kafka.saslBootstrapServers();

            // Without the credentials the SASL listener lets nobody in
            try (Admin anonymous = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sasl,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
                assertThatThrownBy(() -> anonymous.describeCluster().nodes().get(10, TimeUnit.SECONDS)).isNotNull();
            }
            Map<String, Object> wrongPassword = new HashMap<>(client);
            wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + USER + "\" password=\"wrong\";");
            wrongPassword.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sasl);
            wrongPassword.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
            wrongPassword.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
            try (Admin wrong = Admin.create(wrongPassword)) {
                assertThatThrownBy(() -> wrong.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                        .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
            }

            try (EmbeddedConnect worker = EmbeddedConnect.start(sasl, client, work.resolve("connect"), EmbeddedRunIT.freePort());
                 ChildProcessApp app = ChildProcessApp.start(work.resolve("app"), EmbeddedRunIT.freePort(), EmbeddedRunIT.freePort(),
                         "--bootstrap-servers", sasl, "--kafka-config", properties.toString(),
                         "--replication-factor", "1", "--standby-replicas", "0", "--pipelines", MessengerPipeline.NAME,
                         "--connect-url", worker.restUrl(),
                         "--webhook-url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/push", "--webhook-secret", "s")) {
                app.awaitReady(PATIENCE);
                String run = UUID.randomUUID().toString().substring(0, 8);
                String ana = "ana-" + run;
                String ben = "ben-" + run;

                // The API's producer writes, Kafka Streams (exactly-once) fans out, the Connect worker's task reads and pushes
                assertThat(app.postAs(ana, "/api/messenger/messages", "application/json", JSON.writeValueAsString(Map.of(
                        "conversationType", "DIRECT", "to", ben, "body", "secured?"))).statusCode()).isEqualTo(202);
                String push = await().atMost(PATIENCE).until(() -> pushes.poll(1, TimeUnit.SECONDS), p -> p != null && p.contains(ben));
                assertThat(JSON.readTree(push).get("conversation").asText()).isEqualTo("dm:" + ana + ":" + ben);
                assertThat(app.get("/api/messenger/users/" + ben + "/inbox", java.util.Optional.of(app.token(ben, Role.USER)))
                        .body()).contains("secured?");

                // A record no pipeline can read is dead-lettered, and the tally (its own consumer) and the lag (the admin) see it
                Map<String, Object> producerConfig = new HashMap<>(client);
                producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sasl);
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                        new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>(MessengerTopics.MESSAGES, ana.getBytes(StandardCharsets.UTF_8),
                            "not avro".getBytes(StandardCharsets.UTF_8))).get();
                }
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    JsonNode messenger = pipeline(app, MessengerPipeline.NAME);
                    assertThat(messenger.get("deadLetters").asLong()).as("%s", messenger).isEqualTo(1);
                    assertThat(messenger.get("lag").asLong()).as("lag measured: %s", messenger).isZero();
                    assertThat(messenger.get("status").asText()).isEqualTo("UP");
                });
                // The registry keeps its schemas in _schemas on the secured cluster
                try (Admin admin = Admin.create(withBootstrap(client, sasl))) {
                    assertThat(admin.listTopics().names().get()).contains("_schemas", Pipeline.dlqOf(MessengerPipeline.NAME));
                }
                assertThat(app.output()).as("the password is never logged").doesNotContain(PASSWORD);
            }
        } finally {
            webhook.stop(0);
        }
    }

    private static Map<String, Object> withBootstrap(Map<String, String> client, String bootstrap) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return config;
    }

    private static JsonNode pipeline(ChildProcessApp app, String name) throws Exception {
        for (JsonNode pipeline : JSON.readTree(app.get("/api/pipelines").body())) {
            if (pipeline.get("name").asText().equals(name)) {
                return pipeline;
            }
        }
        throw new AssertionError("no pipeline " + name);
    }
}
