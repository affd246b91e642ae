package io.logflow.api.cluster;

import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.logflow.topology.LogFlowTopology;
import io.logflow.topology.StreamsSettings;
import io.logflow.topology.TopicSetup;
import io.logflow.topology.TopologyOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.util.NamedThreadFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Owns this instance's Kafka Streams: creates the topics, starts the topology with {@code
 * application.server} = advertised host and the actual HTTP port, and closes it (leaving the group,
 * so a restart does not wait for the session timeout). Everything that reads state stores gets the client
 * through {@link #requireRunning}, so "not ready" is answered the same way everywhere: a 503 with Retry-After.
 * Where the store partitions are is {@link StoreMetadata}'s; how current the local copies are is {@link
 * Freshness}'s, which is given each new client and told of its state changes.
 *
 * <p>Self-healing (ADR 017): local state built from another Kafka cluster (see {@link ClusterMarker}) is wiped
 * before start; a failed global thread closes the client (it cannot be replaced); and a client in ERROR is closed
 * and replaced by a new one after a backoff (1 s doubling to 60 s), counted in {@code logflow_streams_restarts_total}
 * and explained by {@link #downReason()}. The {@link Supervisor} decides when; replacing the client is done here.
 */
@Component
public class StreamsRuntime implements SmartLifecycle {
    private final io.logflow.topology.WindowVersions statsVersions = new io.logflow.topology.WindowVersions();
    private static final Logger log = LoggerFactory.getLogger(StreamsRuntime.class);
    /**
     * How often Kafka Streams' metrics are looked up again for Prometheus (Micrometer's default: 60 s): a partition's
     * consumer lag and a store's RocksDB size exist only once its task runs, so they show this soon after.
     */
    static final Duration METRICS_REFRESH = Duration.ofSeconds(10);

    private final LogFlowProperties props;
    private final ApplicationContext context;
    private final MeterRegistry registry;
    private final LogFlowMetrics metrics;
    private final Freshness freshness;
    private final Supervisor supervisor;

    private volatile Admin admin;
    private volatile KafkaStreams streams;
    private volatile KafkaStreamsMetrics streamsMetrics;
    private volatile HostInfo self;
    private volatile TopologyOptions options;
    private volatile java.util.Properties config;
    /**
     * Per store: the (full) names of the topics feeding its sub-topology; a store's partition p is their partition p.
     */
    private volatile Map<String, Set<String>> storeSources = Map.of();

    /**
     * Held while a client is created, swapped or closed (start, restart, stop); never taken under the supervisor's
     * lock.
     */
    private final Object lifecycle = new Object();

    StreamsRuntime(
            LogFlowProperties props,
            ApplicationContext context,
            MeterRegistry registry,
            LogFlowMetrics metrics,
            Freshness freshness) {
        this.props = props;
        this.context = context;
        this.registry = registry;
        this.metrics = metrics;
        this.freshness = freshness;
        this.supervisor = new Supervisor(metrics, this::restart);
    }

    /** After the web server has started (its port is known), and stopped after its graceful shutdown. */
    @Override
    public int getPhase() {
        return org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE
                - 512;
    }

    @Override
    public void start() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        LogFlowProperties.Streams s = props.streams();
        self = new HostInfo(s.advertisedHost(), port);
        String bootstrap = props.kafka().bootstrapServers();
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG,
                s.applicationId() + "-admin-" + port,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                "30000"));
        TopicSetup.ensure(admin, props.kafka().topicPartitions(), props.kafka().replicationFactor());

        options = new TopologyOptions(
                s.grace(),
                s.statsRetention(),
                s.recentLogsPerLevel(),
                s.maxLogsPerTrace(),
                s.traceRetention(),
                s.maxSpansPerTrace(),
                metrics::deadLetter,
                statsVersions);
        java.util.Properties c = StreamsSettings.build(
                bootstrap, s.applicationId(), self.host() + ":" + self.port(), s.stateDir(), s.threads(), s.config());
        // records failing deserialisation, processing or production are dead-lettered by the handler, counted here too
        c.put(StreamsSettings.DEAD_LETTER_LISTENER_CONFIG, (io.logflow.topology.DeadLetterListener)
                metrics::deadLetter);
        config = c;
        synchronized (lifecycle) {
            supervisor.start();
            // a configuration error fails the start; a failing start of the client is retried like an ERROR
            launch(clusterId());
        }
        log.info(
                "Kafka Streams started: application.id={} application.server={}:{} bootstrap={}",
                s.applicationId(),
                self.host(),
                self.port(),
                bootstrap);
    }

    /** The id of the Kafka cluster of {@code bootstrap.servers} (asked every time: Kafka may have been replaced). */
    private String clusterId() {
        try {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka for its cluster id", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not tell its cluster id: " + Supervisor.describe(e), e);
        }
    }

    /**
     * Creates and starts a client (under {@link #lifecycle}): wipes the local state first when it was built from
     * another Kafka cluster than {@code clusterId}. Only creating the client throws; a failing start schedules a
     * restart.
     */
    private void launch(String clusterId) {
        LogFlowProperties.Streams s = props.streams();
        Topology topology = LogFlowTopology.build(options);
        storeSources = Placement.sourcesByStore(topology, s.applicationId());
        KafkaStreams ks = new KafkaStreams(topology, config);
        ks.setUncaughtExceptionHandler(supervisor::onUncaughtException);
        ks.setStateListener((now, before) -> onStateChange(ks, now, before));
        freshness.attach(ks); // follows what the new client restores
        try {
            // Kafka Streams keeps the state of an application in <state.dir>/<application.id>
            Path applicationDir = s.stateDir().toAbsolutePath().resolve(s.applicationId());
            ClusterMarker marker = new ClusterMarker(applicationDir);
            Optional<String> recorded = marker.read();
            if (recorded.isPresent() && !recorded.get().equals(clusterId)) {
                log.warn(
                        "local state in {} was built from Kafka cluster {}, but {} is cluster {} (Kafka was reset or "
                                + "replaced): starting clean, deleting the local state; it is rebuilt from the topics",
                        applicationDir,
                        recorded.get(),
                        props.kafka().bootstrapServers(),
                        clusterId);
                ks.cleanUp();
            }
            if (!recorded.equals(Optional.of(clusterId))) marker.write(clusterId);
        } catch (RuntimeException e) {
            ks.close(Duration.ZERO); // release the state directory for the next attempt
            throw e;
        }
        supervisor.clientStarting();
        KafkaStreamsMetrics m = new KafkaStreamsMetrics(
                ks,
                List.of(),
                Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("micrometer-kafka-metrics")),
                METRICS_REFRESH);
        m.bindTo(registry);
        streamsMetrics = m;
        streams = ks;
        try {
            ks.start();
        } catch (RuntimeException e) {
            log.error("Kafka Streams did not start", e);
            supervisor.scheduleRestart("Kafka Streams did not start: " + Supervisor.describe(e));
        }
    }

    private void onStateChange(KafkaStreams ks, KafkaStreams.State now, KafkaStreams.State before) {
        freshness.clientStateChanged(); // the assignment may change with every state change
        log.info("Kafka Streams state {} -> {}", before, now);
        if (ks != streams) return; // a replaced client closing
        supervisor.stateChanged(now);
    }

    /** On the supervisor thread: closes the failed client and starts a new one with the same topology and config. */
    private void restart() {
        synchronized (lifecycle) {
            if (!supervisor.restarting()) return;
            closeClient();
            try {
                TopicSetup.ensure(
                        admin, props.kafka().topicPartitions(), props.kafka().replicationFactor());
                launch(clusterId());
            } catch (RuntimeException e) {
                log.error("restarting Kafka Streams failed", e);
                supervisor.scheduleRestart("restarting Kafka Streams failed: " + Supervisor.describe(e));
            }
        }
    }

    /** Closes the current client and unbinds its metrics (under {@link #lifecycle}). */
    private void closeClient() {
        KafkaStreams ks = streams;
        if (ks != null) {
            log.info("closing Kafka Streams");
            ks.close(StreamsSettings.closeOptions(props.streams().closeTimeout()));
        }
        KafkaStreamsMetrics m = streamsMetrics;
        if (m != null) m.close();
        streamsMetrics = null;
    }

    @Override
    public void stop() {
        supervisor.stop(); // a scheduled restart is dropped; one under way finishes, then we close it
        synchronized (lifecycle) {
            closeClient();
        }
        if (admin != null) admin.close(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return supervisor.running();
    }

    /** Why Kafka Streams is not running (its last failure), or null when it is running or was stopped on purpose. */
    public String downReason() {
        return state() == KafkaStreams.State.RUNNING ? null : supervisor.downReason();
    }

    /** How often Kafka Streams was restarted after failing, since this instance started. */
    public int restarts() {
        return supervisor.restarts();
    }

    public HostInfo self() {
        return self;
    }

    /**
     * Versions of the statistics windows written by this instance's tasks (see the service statistics reads in the
     * query package).
     */
    public io.logflow.topology.WindowVersions statsVersions() {
        return statsVersions;
    }

    public KafkaStreams.State state() {
        KafkaStreams ks = streams;
        return ks == null ? KafkaStreams.State.CREATED : ks.state();
    }

    public String bootstrapServers() {
        return props.kafka().bootstrapServers();
    }

    /** Cluster id and broker count, or an exception when Kafka does not answer within the timeout. */
    public Map<String, Object> describeKafka(Duration timeout) throws Exception {
        Admin a = admin;
        if (a == null) throw new IllegalStateException("not started");
        var result = a.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        String clusterId = result.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        int brokers =
                result.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        return Map.of("clusterId", clusterId, "brokers", brokers);
    }

    /**
     * Throws 503 unless this instance's stores can be queried: RUNNING, or REBALANCING (tasks keep running through a
     * cooperative rebalance, and replicas stay readable — KIP-535).
     */
    KafkaStreams requireRunning() {
        KafkaStreams ks = streams;
        if (ks == null || !queryable(ks.state())) {
            throw ApiException.unavailable(
                    "Kafka Streams is " + (ks == null ? "not started" : ks.state())
                            + "; state stores are not queryable yet",
                    props.query().retryAfter());
        }
        return ks;
    }

    static boolean queryable(KafkaStreams.State state) {
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    }

    /** This instance's Kafka Streams, for its own vitals (state, threads, metrics, lags); null before start. */
    public KafkaStreams streams() {
        return streams;
    }

    /** Per store of the topology last launched: the (full) names of the topics feeding its sub-topology. */
    Map<String, Set<String>> storeSources() {
        return storeSources;
    }
}
