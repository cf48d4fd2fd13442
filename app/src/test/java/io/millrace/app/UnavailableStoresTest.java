package io.millrace.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.millrace.api.ApiContext;
import io.millrace.api.ApiServer;
import io.millrace.api.EventPublisher;
import io.millrace.api.PipelineApi;
import io.millrace.api.auth.Role;
import io.millrace.api.auth.Tokens;
import io.millrace.api.iq.QueryRouter;
import io.millrace.topology.runtime.BuiltPipeline;
import io.millrace.topology.runtime.DeadLetters;
import io.millrace.topology.runtime.PipelineHealth;
import io.millrace.topology.runtime.RestoreProgress;
import io.millrace.topology.runtime.RunningPipeline;
import io.millrace.topology.runtime.StreamsSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** While a pipeline is not RUNNING (starting, rebalancing) its stores answer 503 with Retry-After, never 500. */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnavailableStoresTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path stateDir;
    private KafkaStreams notStarted;
    private ApiServer api;

    @BeforeEach
    void start() {
        TallyPipeline pipeline = new TallyPipeline();
        DeadLetters deadLetters = new DeadLetters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        BuiltPipeline built = BuiltPipeline.of(pipeline, StreamsSettings.forTests(stateDir, deadLetters));
        Topology topology = built.topology();
        notStarted = new KafkaStreams(topology, built.properties());
        RunningPipeline running = new RunningPipeline(pipeline, notStarted, new RestoreProgress(), topology.describe(),
                new PipelineHealth(Duration.ofSeconds(60), System::currentTimeMillis), built.poison());
        ApiContext context = new ApiContext(List.of(running), deadLetters, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Optional.empty(), new QueryRouter(new HostInfo("localhost", 0), Duration.ofSeconds(1), () -> ""),
                new EventPublisher(new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer())),
                "test", () -> true, ApiContext.HttpSecurity.of(new Tokens(TestPlatform.AUTH.keys()), "127.0.0.1:0"), Map.of());
        api = ApiServer.start("127.0.0.1", 0, context, List.of(new PipelineApi.Bound<>(new TallyPipeline.Api(), pipeline, running)));
    }

    @AfterEach
    void stop() {
        api.close();
        notStarted.close();
    }

    @Test
    void keyQueryAnswers503WithRetryAfterWhileThePipelineIsNotRunning() throws Exception {
        HttpResponse<String> response = get("/api/tally/counts/birch");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("unavailable");
        assertThat(body.get("detail").asText()).contains("CREATED");
    }

    @Test
    void fanOutQueryAnswers503TooAndReadinessSaysWhy() throws Exception {
        assertThat(get("/api/tally/top").statusCode()).isEqualTo(503);

        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(ready.body()).at("/pipelines/tally/state").asText()).isEqualTo("CREATED");
        assertThat(get("/health").statusCode()).as("starting is alive").isEqualTo(200);
    }

    @Test
    void openApiDocumentDescribesEveryRouteWithItsResponseSchema() throws Exception {
        JsonNode document = JSON.readTree(get("/openapi.json").body());

        assertThat(document.get("openapi").asText()).startsWith("3.1");
        assertThat(document.at("/paths/~1api~1tally~1counts~1{word}/get/responses/200/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/WordCount");
        assertThat(document.at("/components/schemas/WordCount/properties/count/type").asText()).isEqualTo("integer");
        assertThat(document.at("/paths/~1ready/get/responses/503/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/Error");
        assertThat(document.at("/components/schemas/Error").isMissingNode()).as("the Error schema it refers to").isFalse();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                        .header("Authorization", "Bearer " + TestPlatform.token("test-operator", Role.OPERATOR)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
