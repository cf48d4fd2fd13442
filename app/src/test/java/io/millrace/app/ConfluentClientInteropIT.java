package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millrace.api.auth.Role;
import io.millrace.schemas.common.MetricPoint;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Wire compatibility with a client that is not ours: Python's confluent-kafka (librdkafka) and Apache Avro
 * write through our registry and our serde reads the records; our serde writes and Python reads them.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConfluentClientInteropIT {

    private static final int COUNT = 25;

    @Test
    void pythonConfluentClientAndOurSerdeReadEachOthersAvro() throws Exception {
        try (Platform platform = TestPlatform.start(List.of(FixtureModule.of(new TallyPipeline(), new TallyPipeline.Api())), "tally")) {
            String run = Long.toString(System.nanoTime(), 36);
            String fromPython = "interop.python-" + run;
            String fromJava = "interop.java-" + run;
            try (var admin = platform.admin()) {
                admin.createTopics(List.of(new NewTopic(fromPython, 1, (short) 1), new NewTopic(fromJava, 1, (short) 1))).all().get();
            }
            Serde<MetricPoint> serde = platform.pipelineContext().serdes().value(MetricPoint.class);

            // Confluent's registry client authenticates with basic.auth.user.info: without it, or with a user's token, the
            // registry refuses the write; with a service token as the password it registers.
            assertThat(python("register", platform, fromPython, Optional.empty())).contains("refused HTTP 401");
            assertThat(python("register", platform, fromPython, Optional.of("ana:" + TestPlatform.token("ana", Role.USER))))
                    .contains("refused HTTP 403");
            assertThat(python("register", platform, fromPython, Optional.of("interop:not-a-token"))).contains("refused HTTP 401");
            String produced = python("produce", platform, fromPython);
            assertThat(produced).contains("produced " + COUNT + " records");
            List<MetricPoint> read = new ArrayList<>();
            try (KafkaConsumer<String, MetricPoint> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestPlatform.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "interop-java-" + run,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), serde.deserializer())) {
                consumer.subscribe(List.of(fromPython));
                await("records written by python").atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(10)).until(() -> {
                            for (ConsumerRecord<String, MetricPoint> record : consumer.poll(Duration.ofMillis(500))) {
                                read.add(record.value());
                            }
                            return read.size() >= COUNT;
                        });
            }
            assertThat(read).hasSize(COUNT);
            assertThat(read.get(7).getSeries()).isEqualTo("python-7");
            assertThat(read.get(7).getValue()).isEqualTo(10.5);
            assertThat(read.get(7).getTags()).containsEntry("client", "librdkafka");

            try (KafkaProducer<String, MetricPoint> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestPlatform.bootstrapServers()), new StringSerializer(), serde.serializer())) {
                for (int i = 0; i < COUNT; i++) {
                    producer.send(new ProducerRecord<>(fromJava, "java-" + i, MetricPoint.newBuilder().setSeries("java-" + i)
                            .setTimestamp(1_764_000_000_000L + i).setValue(i * 2.0).setTags(Map.of("client", "millrace")).build()));
                }
            }
            String consumed = python("consume", platform, fromJava);
            assertThat(consumed.lines()).hasSize(COUNT);
            assertThat(consumed.lines().toList().get(3)).contains("\"series\": \"java-3\"").contains("\"value\": 6.0")
                    .contains("\"client\": \"millrace\"");
        }
    }

    private static String python(String mode, Platform platform, String topic) throws Exception {
        return python(mode, platform, topic, Optional.of("interop:" + TestPlatform.token("interop", Role.SERVICE)));
    }

    private static String python(String mode, Platform platform, String topic, Optional<String> userInfo) throws Exception {
        Path script = Files.createTempFile("confluent_avro_client", ".py");
        try (InputStream in = ConfluentClientInteropIT.class.getResourceAsStream("/interop/confluent_avro_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", script.toString(), mode, TestPlatform.bootstrapServers(),
                "http://localhost:" + platform.httpPort() + "/registry", topic, String.valueOf(COUNT)).redirectErrorStream(true);
        builder.environment().remove("REGISTRY_USER_INFO");
        userInfo.ifPresent(info -> builder.environment().put("REGISTRY_USER_INFO", info));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("python %s:\n%s", mode, output).isZero();
        return output;
    }
}
