package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.app.broker.EmbeddedKafka;
import io.millrace.topology.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * External mode, as docker-compose runs it: a three-broker KRaft cluster, two app instances pointed at it
 * with replication 3 and a standby per store. Losing a broker does not stop the pipelines or the queries.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExternalClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoInstancesOnAThreeBrokerClusterSurviveTheLossOfABroker() throws Exception {
        Path dir = Files.createTempDirectory("millrace-cluster");
        try (EmbeddedKafka cluster = EmbeddedKafka.startCluster(dir.resolve("kafka"), 3, List.of());
             Platform first = external(cluster, dir.resolve("a"));
             Platform second = external(cluster, dir.resolve("b"))) {
            TestPlatform.awaitRunning(first, Duration.ofSeconds(90));
            TestPlatform.awaitRunning(second, Duration.ofSeconds(90));

            try (Admin admin = first.admin()) {
                TopicDescription words = admin.describeTopics(List.of(TallyPipeline.WORDS)).allTopicNames().get().get(TallyPipeline.WORDS);
                assertThat(words.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
                TopicDescription schemas = admin.describeTopics(List.of("_schemas")).allTopicNames().get().get("_schemas");
                assertThat(schemas.partitions().get(0).replicas()).hasSize(3);
            }
            produce(cluster, "spruce", 3);
            TestPlatform.awaitGet(first, "/api/tally/counts/spruce", r -> r.body().contains("\"count\":3"), Duration.ofSeconds(60));
            JsonNode clusterView = JSON.readTree(TestPlatform.get(first, "/cluster").body());
            JsonNode hosts = clusterView.get(0).get("hosts");
            assertThat(hosts).hasSize(2);
            assertThat(hosts.get(0).get("standbyPartitions")).isNotEmpty();

            cluster.stopNode(2);
            produce(cluster, "spruce", 2);
            TestPlatform.awaitGet(second, "/api/tally/counts/spruce", r -> r.body().contains("\"count\":5"), Duration.ofSeconds(90));
            assertThat(TestPlatform.get(first, "/health").statusCode()).isEqualTo(200);
        }
    }

    private static Platform external(EmbeddedKafka cluster, Path dataDir) {
        PlatformConfig config = TestPlatform.config(cluster.bootstrapServers(), dataDir, "tally")
                .replication(3, 1).stallTimeout(PlatformConfig.DEFAULT_STALL_TIMEOUT).settings(Settings.none()).build();
        return Platform.start(config, List.of(FixtureModule.of(new TallyPipeline(), new TallyPipeline.Api())));
    }

    private static void produce(EmbeddedKafka cluster, String word, int times) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < times; i++) {
                producer.send(new ProducerRecord<>(TallyPipeline.WORDS, word, "x"));
            }
        }
    }
}
