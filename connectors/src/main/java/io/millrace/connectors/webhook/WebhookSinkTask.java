package io.millrace.connectors.webhook;

import io.millrace.schemas.registry.HttpRegistryClient;
import io.millrace.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers records to the webhook in order. A record is POSTed as the JSON form of its Avro value
 * with an idempotency key (topic/partition/offset) and, when a secret is set, an HMAC-SHA256 signature.
 * Server errors and timeouts are retried by Connect; a 4xx answer is final and goes to the errant-record
 * reporter (the connector's dead-letter queue) when one is configured.
 */
public class WebhookSinkTask extends SinkTask {

    static final String SIGNATURE_HEADER = "X-Millrace-Signature";
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final String TOPIC_HEADER = "X-Millrace-Topic";

    private static final Logger log = LoggerFactory.getLogger(WebhookSinkTask.class);

    private WebhookSinkConfig config;
    private HttpClient http;
    private AvroJson avroJson;
    private URI target;

    @Override
    public void start(Map<String, String> props) {
        config = new WebhookSinkConfig(props);
        target = URI.create(config.url());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(config.timeoutMs())).build();
        avroJson = new AvroJson(registryClient(config));
    }

    /** The registry the values were written with; a test may substitute another client. */
    protected SchemaRegistryClient registryClient(WebhookSinkConfig config) {
        return new HttpRegistryClient(config.schemaRegistryUrl());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            deliver(record);
        }
    }

    private void deliver(SinkRecord record) {
        if (!(record.value() instanceof byte[] bytes)) {
            report(record, new ConnectException("Expected Avro bytes (ByteArrayConverter), got " + describe(record.value())));
            return;
        }
        String body;
        try {
            body = avroJson.toJson(bytes);
        } catch (java.io.UncheckedIOException e) {
            throw new RetriableException("Schema registry unreachable: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            report(record, e);
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(Duration.ofMillis(config.timeoutMs()))
                .header("Content-Type", "application/json")
                .header(TOPIC_HEADER, record.topic())
                .header(IDEMPOTENCY_HEADER, record.topic() + "/" + record.kafkaPartition() + "/" + record.kafkaOffset())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!config.secret().isEmpty()) {
            request.header(SIGNATURE_HEADER, "sha256=" + sign(config.secret(), body));
        }
        int status;
        try {
            status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new RetriableException("Webhook " + target.getHost() + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("Interrupted while calling the webhook", e);
        }
        if (status >= 500 || status == 429) {
            throw new RetriableException("Webhook answered " + status + "; Connect will retry");
        }
        if (status >= 400) {
            report(record, new ConnectException("Webhook refused the record with " + status));
        }
    }

    private void report(SinkRecord record, Exception error) {
        ErrantRecordReporter reporter = context == null ? null : context.errantRecordReporter();
        log.warn("Record {}/{}/{} not delivered: {}", record.topic(), record.kafkaPartition(), record.kafkaOffset(), error.getMessage());
        if (reporter != null) {
            reporter.report(record, error);
        }
    }

    static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }

    @Override
    public void stop() {
        http = null;
    }

    @Override
    public String version() {
        return "0.1.0";
    }
}
