package io.millrace.app.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Kafka's own KRaft server, in this JVM: one or more nodes in combined broker+controller mode
 * on loopback. Log dirs are formatted on first start and reused afterwards, so topics and data
 * survive a restart.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";

    private final List<KafkaRaftServer> servers = new ArrayList<>();
    private final String bootstrapServers;
    private final long startMillis;
    private volatile String saslBootstrapServers;

    private EmbeddedKafka(List<KafkaRaftServer> servers, String bootstrapServers, long startMillis) {
        this.servers.addAll(servers);
        this.bootstrapServers = bootstrapServers;
        this.startMillis = startMillis;
    }

    /**
     * A single node that also listens with SASL_PLAINTEXT and SCRAM-SHA-512 on a port of its own, with {@code user}
     * known to it: what a secured cluster looks like to a client. The PLAINTEXT listener stays for the node itself
     * (controller and inter-broker traffic) and for setting up credentials; clients are meant to use
     * {@link #saslBootstrapServers()}.
     */
    public static EmbeddedKafka startWithScram(Path dataDir, String user, String password) {
        int saslPort = freePort();
        Map<String, Object> sasl = Map.of(
                "sasl.enabled.mechanisms", "SCRAM-SHA-512",
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        EmbeddedKafka kafka = startCluster(dataDir, 1, List.of(), saslPort, sasl);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                    password))).all().get();
        } catch (Exception e) {
            kafka.close();
            throw new IllegalStateException("Could not create the SCRAM user " + user, e);
        }
        kafka.saslBootstrapServers = HOST + ":" + saslPort;
        return kafka;
    }

    /** The SASL_PLAINTEXT (SCRAM-SHA-512) listener of a node started with {@link #startWithScram}. */
    public String saslBootstrapServers() {
        if (saslBootstrapServers == null) {
            throw new IllegalStateException("This broker was started without a SASL listener");
        }
        return saslBootstrapServers;
    }

    /** A single node listening on {@code brokerPort} (0 picks a free port) with its data under {@code dataDir}. */
    public static EmbeddedKafka start(Path dataDir, int brokerPort) {
        return startCluster(dataDir, 1, brokerPort == 0 ? List.of() : List.of(brokerPort));
    }

    /** {@code nodes} combined nodes forming one quorum; each node keeps its data under {@code dataDir/node-<id>}. */
    public static EmbeddedKafka startCluster(Path dataDir, int nodes, List<Integer> brokerPorts) {
        return startCluster(dataDir, nodes, brokerPorts, 0, Map.of());
    }

    private static EmbeddedKafka startCluster(Path dataDir, int nodes, List<Integer> brokerPorts, int saslPort,
                                              Map<String, Object> extraProperties) {
        long began = System.nanoTime();
        List<Integer> ports = new ArrayList<>(brokerPorts);
        while (ports.size() < nodes) {
            ports.add(freePort());
        }
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            controllerPorts.add(freePort());
        }
        String voters = java.util.stream.IntStream.range(0, nodes)
                .mapToObj(i -> (i + 1) + "@" + HOST + ":" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
        String clusterId = existingClusterId(dataDir).orElseGet(() -> Uuid.randomUuid().toString());
        List<KafkaRaftServer> servers = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            int nodeId = i + 1;
            Path logDir = nodes == 1 ? dataDir : dataDir.resolve("node-" + nodeId);
            Map<String, Object> props = brokerProperties(nodeId, nodes, logDir, ports.get(i), controllerPorts.get(i), voters);
            if (saslPort > 0) {
                props.put("listeners", props.get("listeners") + ",SASL_PLAINTEXT://" + HOST + ":" + saslPort);
                props.put("advertised.listeners", props.get("advertised.listeners") + ",SASL_PLAINTEXT://" + HOST + ":" + saslPort);
                props.put("listener.security.protocol.map", props.get("listener.security.protocol.map") + ",SASL_PLAINTEXT:SASL_PLAINTEXT");
            }
            props.putAll(extraProperties);
            KafkaConfig config = new KafkaConfig(props, false);
            formatIfNew(config, logDir, nodeId, clusterId);
            servers.add(new KafkaRaftServer(config, Time.SYSTEM));
        }
        // startup() blocks until the node has caught up with an elected controller, and a quorum of
        // several voters elects one only when a majority runs: so the nodes start side by side.
        startTogether(servers);
        String bootstrap = ports.stream().map(p -> HOST + ":" + p).collect(Collectors.joining(","));
        EmbeddedKafka kafka = new EmbeddedKafka(servers, bootstrap, System.currentTimeMillis());
        kafka.awaitReady(nodes, Duration.ofSeconds(60));
        log.info("Kafka broker ({} node{}) ready at {} in {} ms", nodes, nodes == 1 ? "" : "s", bootstrap,
                (System.nanoTime() - began) / 1_000_000);
        return kafka;
    }

    private static void startTogether(List<KafkaRaftServer> servers) {
        if (servers.size() == 1) {
            servers.get(0).startup();
            return;
        }
        List<java.util.concurrent.CompletableFuture<Void>> started = servers.stream()
                .map(server -> java.util.concurrent.CompletableFuture.runAsync(server::startup, runnable -> {
                    Thread thread = new Thread(runnable, "kafka-node-startup");
                    thread.setDaemon(true);
                    thread.start();
                }))
                .toList();
        try {
            java.util.concurrent.CompletableFuture.allOf(started.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            servers.forEach(KafkaRaftServer::shutdown);
            throw new IllegalStateException("Kafka cluster did not start", e.getCause());
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public long startedAtMillis() {
        return startMillis;
    }

    /** Stops one node (by index) while the others go on, to test failover. */
    public void stopNode(int index) {
        KafkaRaftServer server = servers.get(index);
        server.shutdown();
        server.awaitShutdown();
    }

    @Override
    public void close() {
        for (KafkaRaftServer server : servers) {
            server.shutdown();
        }
        for (KafkaRaftServer server : servers) {
            server.awaitShutdown();
        }
    }

    private static Map<String, Object> brokerProperties(int nodeId, int nodes, Path logDir, int brokerPort,
                                                        int controllerPort, String voters) {
        int replication = Math.min(3, nodes);
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(nodeId));
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.quorum.voters", voters);
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", String.valueOf(replication));
        props.put("min.insync.replicas", String.valueOf(Math.max(1, replication - 1)));
        props.put("offsets.topic.replication.factor", String.valueOf(replication));
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", String.valueOf(replication));
        props.put("transaction.state.log.min.isr", String.valueOf(Math.max(1, replication - 1)));
        props.put("transaction.state.log.num.partitions", "10");
        props.put("share.coordinator.state.topic.replication.factor", String.valueOf(replication));
        props.put("share.coordinator.state.topic.min.isr", String.valueOf(Math.max(1, replication - 1)));
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        // A local cluster is stopped whole: once most voters are gone nobody can approve a controlled
        // shutdown and the last nodes would wait minutes for it.
        props.put("controlled.shutdown.enable", String.valueOf(nodes == 1));
        return props;
    }

    private static void formatIfNew(KafkaConfig config, Path logDir, int nodeId, String clusterId) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setClusterId(clusterId)
                    .setNodeId(nodeId)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setDirectories(List.of(logDir.toAbsolutePath().toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka log dir " + logDir, e);
        }
    }

    private static java.util.Optional<String> existingClusterId(Path dataDir) {
        try (var paths = Files.exists(dataDir) ? Files.walk(dataDir, 2) : java.util.stream.Stream.<Path>empty()) {
            return paths.filter(p -> p.getFileName().toString().equals("meta.properties")).findFirst().map(p -> {
                var properties = new java.util.Properties();
                try (var in = Files.newInputStream(p)) {
                    properties.load(in);
                } catch (IOException e) {
                    throw new IllegalStateException("Unreadable " + p, e);
                }
                return properties.getProperty("cluster.id");
            });
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable Kafka data dir " + dataDir, e);
        }
    }

    private void awaitReady(int nodes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
            while (System.nanoTime() < deadline) {
                try {
                    if (admin.describeCluster().nodes().get().size() >= nodes) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("Kafka did not become ready within " + timeout, last);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }
}
