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
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.internals.StreamThread;
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
 * so a restart does not wait for the session timeout). Everything that reads state stores goes
 * through here, so "not ready" is answered the same way everywhere: a 503 with Retry-After.
 *
 * <p>Self-healing (ADR 017): local state built from another Kafka cluster (see {@link ClusterMarker}) is wiped
 * before start; a failed global thread closes the client (it cannot be replaced); and a client in ERROR is closed
 * and replaced by a new one after a backoff (1 s doubling to 60 s), counted in {@code logflow_streams_restarts_total}
 * and explained by {@link #downReason()}.
 */
@Component
public class StreamsRuntime implements SmartLifecycle {
    static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(60);

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

    private volatile boolean running;

    /** Held while a client is created, swapped or closed (start, restart, stop). */
    private final Object lifecycle = new Object();
    /**
     * Held while a restart is scheduled; never wait for {@link #lifecycle} under it (state listeners take it on
     * Kafka Streams' threads, which {@link #lifecycle}'s holder may be waiting for).
     */
    private final Object restartLock = new Object();

    private volatile ScheduledThreadPoolExecutor supervisor;
    private final AtomicInteger restarts = new AtomicInteger();
    /** Why Kafka Streams is not running (the last failure), or null. */
    private volatile String downReason;
    /** The last uncaught exception of a Kafka Streams thread, described. */
    private volatile String lastFailure;
    /** {@link System#nanoTime()} when the current client reached RUNNING, 0 while it is not running. */
    private volatile long runningSince;
    // under restartLock
    private boolean restartPending;
    private Duration nextRestartDelay = FIRST_RESTART_DELAY;

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
        ScheduledThreadPoolExecutor sup = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "logflow-streams-supervisor");
            t.setDaemon(true);
            return t;
        });
        sup.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        supervisor = sup;
        synchronized (lifecycle) {
            running = true;
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
            throw new IllegalStateException("Kafka did not tell its cluster id: " + describe(e), e);
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
        ks.setUncaughtExceptionHandler(this::onUncaughtException);
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
        lastFailure = null;
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
            scheduleRestart("Kafka Streams did not start: " + describe(e));
        }
    }

    /**
     * A stream thread is replaced; any other thread (the global thread, which Kafka Streams cannot replace: it casts
     * the failing thread to a stream thread) closes the client, which goes to ERROR and is restarted with backoff.
     */
    private StreamThreadExceptionResponse onUncaughtException(Throwable e) {
        Thread thread = Thread.currentThread();
        StreamThreadExceptionResponse response = responseFor(thread);
        lastFailure = thread.getName() + " failed: " + describe(e);
        if (response == StreamThreadExceptionResponse.REPLACE_THREAD)
            log.error("stream thread {} failed; replacing it", thread.getName(), e);
        else log.error("{} failed; closing Kafka Streams, it will be restarted", thread.getName(), e);
        return response;
    }

    /** What to do when {@code failed} dies (the thread running the handler: Kafka Streams calls it on that thread). */
    static StreamThreadExceptionResponse responseFor(Thread failed) {
        return failed instanceof StreamThread
                ? StreamThreadExceptionResponse.REPLACE_THREAD
                : StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private void onStateChange(KafkaStreams ks, KafkaStreams.State now, KafkaStreams.State before) {
        freshness.clientStateChanged(); // the assignment may change with every state change
        log.info("Kafka Streams state {} -> {}", before, now);
        if (ks != streams) return; // a replaced client closing
        if (now == KafkaStreams.State.RUNNING) {
            runningSince = System.nanoTime();
            downReason = null;
        } else if (now == KafkaStreams.State.ERROR) {
            String why = lastFailure;
            scheduleRestart(why != null ? why : "Kafka Streams went to ERROR");
        }
    }

    /** Restarts the client after the next backoff delay, unless stopping or a restart is already scheduled. */
    private void scheduleRestart(String reason) {
        synchronized (restartLock) {
            downReason = reason;
            if (!running || restartPending) return;
            long since = runningSince;
            runningSince = 0;
            // ran well for a while since the last failure: start the backoff over
            if (since != 0 && System.nanoTime() - since > MAX_RESTART_DELAY.toNanos())
                nextRestartDelay = FIRST_RESTART_DELAY;
            Duration delay = nextRestartDelay;
            nextRestartDelay = nextDelay(delay);
            restartPending = true;
            log.warn("Kafka Streams is down ({}); restarting it in {} ms", reason, delay.toMillis());
            supervisor.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The backoff after {@code delay}: doubled, at most {@link #MAX_RESTART_DELAY}. */
    static Duration nextDelay(Duration delay) {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(MAX_RESTART_DELAY) > 0 ? MAX_RESTART_DELAY : doubled;
    }

    /** On the supervisor thread: closes the failed client and starts a new one with the same topology and config. */
    private void restart() {
        synchronized (lifecycle) {
            synchronized (restartLock) {
                restartPending = false;
            }
            if (!running) return;
            int n = restarts.incrementAndGet();
            metrics.streamsRestarted();
            log.warn("restarting Kafka Streams (restart {}): {}", n, downReason);
            closeClient();
            try {
                TopicSetup.ensure(
                        admin, props.kafka().topicPartitions(), props.kafka().replicationFactor());
                launch(clusterId());
            } catch (RuntimeException e) {
                log.error("restarting Kafka Streams failed", e);
                scheduleRestart("restarting Kafka Streams failed: " + describe(e));
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

    /** An exception's message with its root cause's type and message, for logs and {@code /health}. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e
                ? text
                : text + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    @Override
    public void stop() {
        synchronized (restartLock) {
            running = false;
        }
        ScheduledThreadPoolExecutor sup = supervisor;
        if (sup != null) sup.shutdown(); // a scheduled restart is dropped; one under way finishes, then we close it
        synchronized (lifecycle) {
            closeClient();
        }
        if (admin != null) admin.close(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Why Kafka Streams is not running (its last failure), or null when it is running or was stopped on purpose. */
    public String downReason() {
        return state() == KafkaStreams.State.RUNNING ? null : downReason;
    }

    /** How often Kafka Streams was restarted after failing, since this instance started. */
    public int restarts() {
        return restarts.get();
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
