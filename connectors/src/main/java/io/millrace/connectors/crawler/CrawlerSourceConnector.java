package io.millrace.connectors.crawler;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * The web crawler, a Kafka Connect source: reads URLs from the search pipeline's frontier, fetches them obeying
 * robots.txt, a per-host politeness delay, allowed hosts, depth, size and time limits, and writes {@code CrawledPage}
 * records to the pages topic. One task: politeness per host needs one place that knows when each host was last asked.
 */
public final class CrawlerSourceConnector extends SourceConnector {

    static final String VERSION = "0.1.0";

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new CrawlerConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CrawlerSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CrawlerConfig.DEFINITION;
    }

    @Override
    public String version() {
        return VERSION;
    }
}
