package io.millrace.connectors.webhook;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/** Settings of the webhook sink: where to POST, how to sign, how to decode the Avro values. */
public final class WebhookSinkConfig extends AbstractConfig {

    public static final String URL = "webhook.url";
    public static final String SECRET = "webhook.secret";
    public static final String TIMEOUT_MS = "webhook.timeout.ms";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "HTTP(S) endpoint every record is POSTed to as JSON")
            .define(SECRET, Type.PASSWORD, "", Importance.HIGH,
                    "Key of the HMAC-SHA256 signature sent in X-Millrace-Signature (empty: unsigned)")
            .define(TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.atLeast(100), Importance.MEDIUM, "Timeout of one POST")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Confluent-compatible schema registry used to decode the Avro values");

    public WebhookSinkConfig(Map<String, String> originals) {
        super(DEFINITION, originals);
    }

    public String url() {
        return getString(URL);
    }

    public String secret() {
        Password password = getPassword(SECRET);
        return password == null ? "" : password.value();
    }

    public int timeoutMs() {
        return getInt(TIMEOUT_MS);
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL);
    }
}
