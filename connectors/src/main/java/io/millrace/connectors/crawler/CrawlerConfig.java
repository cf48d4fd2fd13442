package io.millrace.connectors.crawler;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of the crawler: where the frontier and the registry are, how it identifies itself, its limits. */
public final class CrawlerConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS = "crawler.bootstrap.servers";
    /** Settings of the frontier consumer beyond the bootstrap servers (SASL, SSL), each under this prefix. */
    public static final String KAFKA_CLIENT_PREFIX = "crawler.kafka.";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String FRONTIER_TOPIC = "frontier.topic";
    public static final String PAGES_TOPIC = "pages.topic";
    public static final String USER_AGENT = "user.agent";
    public static final String TIMEOUT_MS = "fetch.timeout.ms";
    public static final String MAX_PAGE_BYTES = "max.page.bytes";
    public static final String MAX_TEXT_CHARS = "max.text.chars";
    public static final String MIN_POLITENESS_MS = "min.politeness.ms";
    public static final String MAX_QUEUED = "max.queued";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Kafka brokers the frontier topic is read from")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Confluent-compatible schema registry for the Avro frontier requests and pages")
            .define(SCHEMA_REGISTRY_USER_INFO, Type.PASSWORD, "", Importance.MEDIUM,
                    "user:password for the registry, which may require it to register the pages' schema (empty: none)")
            .define(FRONTIER_TOPIC, Type.STRING, "search.frontier", Importance.MEDIUM, "Topic of the URLs to fetch")
            .define(PAGES_TOPIC, Type.STRING, "search.pages", Importance.MEDIUM, "Topic the fetched pages are written to")
            .define(USER_AGENT, Type.STRING, "MillraceBot/0.1", Importance.MEDIUM, "User-Agent sent, and matched against robots.txt")
            .define(TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.atLeast(100), Importance.MEDIUM, "Connect and read timeout of one fetch")
            .define(MAX_PAGE_BYTES, Type.INT, 2 * 1024 * 1024, ConfigDef.Range.atLeast(1024), Importance.MEDIUM,
                    "A larger response is not read: the page fails with too-large")
            .define(MAX_TEXT_CHARS, Type.INT, 100_000, ConfigDef.Range.atLeast(1000), Importance.LOW,
                    "Text kept of a page beyond this is cut (the pages topic takes events up to 768 KiB)")
            .define(MIN_POLITENESS_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Least delay between two requests to one host, whatever a seed asks")
            .define(MAX_QUEUED, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Requests held waiting for their host's turn before the frontier is read further");

    public CrawlerConfig(Map<String, String> originals) {
        super(DEFINITION, originals);
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS);
    }

    /** The frontier consumer's own settings ({@value #KAFKA_CLIENT_PREFIX}…, prefix removed). */
    public java.util.Map<String, Object> kafkaClient() {
        return originalsWithPrefix(KAFKA_CLIENT_PREFIX);
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL);
    }

    public java.util.Optional<String> schemaRegistryUserInfo() {
        org.apache.kafka.common.config.types.Password password = getPassword(SCHEMA_REGISTRY_USER_INFO);
        return password == null || password.value().isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(password.value());
    }

    public String frontierTopic() {
        return getString(FRONTIER_TOPIC);
    }

    public String pagesTopic() {
        return getString(PAGES_TOPIC);
    }

    public String userAgent() {
        return getString(USER_AGENT);
    }

    public int timeoutMs() {
        return getInt(TIMEOUT_MS);
    }

    public int maxPageBytes() {
        return getInt(MAX_PAGE_BYTES);
    }

    public int maxTextChars() {
        return getInt(MAX_TEXT_CHARS);
    }

    public long minPolitenessMs() {
        return getLong(MIN_POLITENESS_MS);
    }

    public int maxQueued() {
        return getInt(MAX_QUEUED);
    }
}
