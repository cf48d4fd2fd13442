package io.millrace.connectors.crawler;

import io.millrace.schemas.registry.HttpRegistryClient;
import io.millrace.schemas.search.CrawlRequest;
import io.millrace.schemas.search.CrawledPage;
import io.millrace.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the frontier, fetches politely (see {@link Crawler}) and writes each outcome to the pages topic. Its source
 * offset per frontier partition is the first request not yet answered, so that a restarted task reads on from there:
 * nothing is lost, and at most the requests in flight are fetched twice (the index ignores an unchanged page).
 */
public final class CrawlerSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(CrawlerSourceTask.class);
    /** How long one poll may spend fetching before it hands its pages to the worker. */
    static final Duration FETCH_BUDGET = Duration.ofSeconds(1);
    static final long IDLE_POLL_MS = 200;

    private CrawlerConfig config;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Deserializer<CrawlRequest> requests;
    private Serializer<CrawledPage> pages;
    private Crawler crawler;
    private final FrontierPositions positions = new FrontierPositions();
    private volatile boolean stopping;

    @Override
    public String version() {
        return CrawlerSourceConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new CrawlerConfig(props);
        HttpRegistryClient registry = new HttpRegistryClient(config.schemaRegistryUrl(), config.schemaRegistryUserInfo());
        requests = new AvroSerde<>(registry, CrawlRequest.class, false).deserializer();
        pages = new AvroSerde<>(registry, CrawledPage.class, false).serializer();
        crawler = new Crawler(new PageFetcher(config.userAgent(), Duration.ofMillis(config.timeoutMs()), config.maxPageBytes(),
                config.maxTextChars()), config.userAgent(), config.minPolitenessMs(), System::currentTimeMillis);
        Map<String, Object> consumerConfig = new HashMap<>(config.kafkaClient());
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-crawler");
        consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(config.frontierTopic(), Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
            Map<String, Object> offset = context.offsetStorageReader().offset(sourcePartition(partition.partition()));
            if (offset != null && offset.get("offset") instanceof Number position) {
                consumer.seek(partition, position.longValue());
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
        log.info("Crawler reading {} ({} partitions), writing {}", config.frontierTopic(), partitions.size(), config.pagesTopic());
    }

    @Override
    public synchronized List<SourceRecord> poll() throws InterruptedException {
        if (stopping) {
            return null;
        }
        try {
            if (crawler.queued() < config.maxQueued()) {
                long wait = Math.min(IDLE_POLL_MS, crawler.millisUntilReady());
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(wait))) {
                    read(record);
                }
            } else if (crawler.millisUntilReady() > 0) {
                Thread.sleep(Math.min(IDLE_POLL_MS, crawler.millisUntilReady()));
            }
        } catch (WakeupException e) {
            return null;
        }
        List<SourceRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + FETCH_BUDGET.toNanos();
        while (System.nanoTime() < deadline && !stopping) {
            var fetched = crawler.next();
            if (fetched.isEmpty()) {
                break;
            }
            try {
                out.add(record(fetched.get()));
            } catch (org.apache.kafka.common.errors.SerializationException e) {
                // The registry refused or is away: the worker polls again; the page comes back with the next sweep.
                throw new org.apache.kafka.connect.errors.RetriableException("Cannot write a page: " + e.getMessage(), e);
            }
        }
        return out.isEmpty() ? null : out;
    }

    private void read(ConsumerRecord<byte[], byte[]> record) {
        CrawlRequest request;
        try {
            request = requests.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn("Skipping an unreadable frontier record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            request = null;
        }
        positions.read(record.partition(), record.offset(), request != null);
        if (request != null) {
            crawler.offer(request, record.partition(), record.offset());
        }
    }

    private SourceRecord record(Crawler.Fetched fetched) {
        long resumeAt = positions.answered(fetched.partition(), fetched.offset());
        CrawledPage page = fetched.page();
        return new SourceRecord(sourcePartition(fetched.partition()), Map.of("offset", resumeAt), config.pagesTopic(), null,
                Schema.STRING_SCHEMA, page.getUrl(), Schema.BYTES_SCHEMA, pages.serialize(config.pagesTopic(), page), page.getFetchedAt());
    }

    private Map<String, Object> sourcePartition(int partition) {
        return Map.of("topic", config.frontierTopic(), "partition", partition);
    }

    @Override
    public void stop() {
        stopping = true;
        if (consumer != null) {
            consumer.wakeup();
            // A poll in progress ends at its next fetch (it checks stopping); the consumer is closed after it.
            synchronized (this) {
                try {
                    consumer.close(Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                    log.debug("Closing the frontier consumer: {}", e.getMessage());
                }
            }
        }
    }
}
