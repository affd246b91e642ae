package io.logflow.e2e;

import io.logflow.infra.LocalAccess;
import io.logflow.infra.LocalElasticsearch;
import io.logflow.infra.LocalKafka;
import io.logflow.infra.LocalRedis;
import io.logflow.infra.OtelAgent;
import io.logflow.infra.ScratchDatabase;
import io.logflow.infra.StateApiProcess;
import io.logflow.model.schema.Topics;
import io.logflow.topology.TopicSetup;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./logflow bench}: LogFlow against a real broker it starts itself, measuring
 *
 * <ol>
 *   <li>(d) the raw baseline: a plain KafkaConsumer reading the N pre-produced logs, logs/s;
 *   <li>(a) topology throughput: logs/s from Kafka Streams RUNNING until the overview counts all N;
 *   <li>(b) produce-to-visible latency in {@code /api/v1/logs/recent}, p50/p99;
 *   <li>(c) {@code /api/v1/metrics/overview} latency at concurrency 32, p50/p99;
 *   <li>then, against the same broker and server, the trace benchmark ({@link TraceBench}): OTLP
 *       span ingest until queryable and trace-by-id latency, beside Zipkin server fed the same spans.
 * </ol>
 *
 * {@code --skip-logs} / {@code --skip-traces} run one part alone. One summary line per part on
 * stdout and a JSON file in {@code bench-results/}. A benchmark, not a test: nothing here passes or
 * fails a build. Every phase is bounded in time, and the broker and servers it started are stopped
 * even when a phase fails.
 */
public final class Bench {
    static final double TARGET_LOGS_PER_S = 50_000;
    static final double TARGET_RATIO = 0.40;
    static final double TARGET_OVERVIEW_P99_MS = 20;
    /** LogFlow's topology against the Kafka Streams floor ({@link StreamsFloor}): at least half its throughput. */
    static final double TARGET_FLOOR_RATIO = 0.50;

    static final String PROBE_SERVICE = "bench-probe";

    record Options(
            long logs,
            long warmup,
            int services,
            int partitions,
            int probes,
            Duration overviewDuration,
            int concurrency,
            Duration spread,
            boolean keyByService,
            Path resultsDir,
            Path stateApiJar,
            boolean skipLogs,
            boolean skipTraces,
            int traces,
            int traceWarmup,
            int traceClients,
            int lookups,
            Path zipkinJar,
            List<String> serverJvmOptions,
            boolean skipAlerts,
            int alertProbes,
            List<Boolean> agentPasses,
            boolean skipStreamsFloor,
            boolean skipSearchSink,
            boolean skipSearchLatency,
            boolean skipZipkinElasticsearch,
            long searchLogs,
            int searchRequests,
            int searchClients,
            Path connectPluginPath,
            boolean skipCache) {
        /** Whether the search part runs at all: it needs its Elasticsearch. */
        boolean search() {
            return !skipSearchSink || !skipSearchLatency || zipkinElasticsearch();
        }

        /** Zipkin on Elasticsearch: fed the trace benchmark's spans, so only with it. */
        boolean zipkinElasticsearch() {
            return !skipZipkinElasticsearch && !skipTraces;
        }

        /** The Kafka Streams floor: over the log benchmark's logs, so only with it. */
        boolean streamsFloor() {
            return !skipStreamsFloor && !skipLogs;
        }
    }

    /**
     * {@code --agent on|off|both} and {@code --no-agent}: the passes to run, each with its own broker and server; the
     * server with the OpenTelemetry agent exactly as {@code ./logflow up} runs it (true) or without (false). {@code
     * both}: agent on, then off, compared figure by figure ({@link AgentOverhead}).
     */
    static List<Boolean> agentPasses(String agent, boolean noAgent) {
        List<Boolean> passes = switch (agent) {
            case "on" -> List.of(true);
            case "off" -> List.of(false);
            case "both" -> List.of(true, false);
            default -> throw new IllegalArgumentException("--agent must be on, off or both, got '" + agent + "'");
        };
        if (noAgent && !agent.equals("on") && !agent.equals("off"))
            throw new IllegalArgumentException("--no-agent contradicts --agent " + agent);
        return noAgent ? List.of(false) : passes;
    }

    /** {@code agent on, 1 instance}: how the server ran, in every summary line and the JSON. */
    static String setup(boolean agent, int instances) {
        return "agent " + (agent ? "on" : "off") + ", " + instances + " instance" + (instances == 1 ? "" : "s");
    }

    /** {@code bench traces: …} → {@code bench traces: agent on, 1 instance | …}. */
    static String tagged(String summary, String setup) {
        int colon = summary.indexOf(": ");
        return colon < 0
                ? setup + " | " + summary
                : summary.substring(0, colon + 2) + setup + " | " + summary.substring(colon + 2);
    }

    /** One pass's results and summary lines (null for a part not run); ok when no part failed. */
    record Pass(
            boolean agent,
            Map<String, Object> results,
            String logSummary,
            String traceSummary,
            String alertSummary,
            String cacheSummary,
            String searchSummary,
            boolean ok) {}

    /** The server runs alone: the figures are one instance's. */
    static final int INSTANCES = 1;

    static final String USAGE =
            "usage: ./logflow bench [--logs N (1000000)] [--warmup W (1000000): logs before them, so the last N "
                    + "measure a warmed-up server too] [--services 3..20 (20)] [--partitions P (6)] [--probes N "
                    + "(200)] [--overview-seconds S (15)] [--concurrency C (32)] [--spread-seconds S (240): "
                    + "event times over the last S seconds] [--key none|service (none): record keys "
                    + "of the pre-produced logs] "
                    + "[--traces N (20000): traces for the trace benchmark] [--trace-warmup N (20000): other traces "
                    + "sent to each server first] [--trace-clients C (8): concurrent ingest clients, and "
                    + "lookup concurrency besides 1] [--lookups N (2000): trace-by-id lookups per "
                    + "server and concurrency] [--skip-logs] [--skip-traces] "
                    + "[--alert-probes N (20): breaching logs timed to their FIRING alert] [--skip-alerts] "
                    + "[--agent on|off|both (on; off when LOGFLOW_OTEL_AGENT=false): the server with the "
                    + "OpenTelemetry agent as ./logflow up runs it, without, or both one after the other, compared] "
                    + "[--no-agent: same as --agent off] "
                    + "[--search-logs N (1000000): logs produced through the Elasticsearch sink for the search "
                    + "benchmark] [--search-requests N (500): measured requests per query and concurrency] "
                    + "[--search-clients C (8): the higher search concurrency] [--skip-search-sink] "
                    + "[--skip-search-latency] [--skip-zipkin-es: Zipkin on Elasticsearch, the durable trace peer] "
                    + "[--skip-streams-floor: the Kafka Streams floor of the log benchmark] "
                    + "[--skip-search: all four] "
                    + "[--skip-cache: the overview and service metrics uncached vs cached (with the log benchmark)]";

    private final Options o;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    private static boolean keyOption(String v) {
        return switch (v) {
            case "none" -> false;
            case "service" -> true;
            default -> throw new IllegalArgumentException("--key must be none or service, got '" + v + "'");
        };
    }

    private volatile LocalKafka kafka;
    private volatile StateApiProcess server;
    private volatile ScratchDatabase database;
    private volatile LocalElasticsearch elasticsearch;
    private volatile SearchBench search;
    private volatile LocalRedis redis;
    /** The first admin's password of this run's server (never in the results). */
    private final String adminPassword = LocalRedis.newPassword();

    private final boolean agent;
    private final String stamp;
    private final Path file;

    private Bench(Options o, boolean agent, String stamp, Path file) {
        this.o = o;
        this.agent = agent;
        this.stamp = stamp;
        this.file = file;
    }

    public static void main(String[] args) {
        // quiet Kafka client logs unless asked otherwise (slf4j-simple reads this on first use)
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null)
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // the Kafka Streams floor runs in this JVM: its clients' transient warnings (a first transaction's retries,
        // standbys that one instance cannot place) are no finding
        if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null)
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        Options o;
        try {
            Cli cli = new Cli(
                    "./logflow bench",
                    args,
                    java.util.Set.of(
                            "--skip-logs",
                            "--skip-traces",
                            "--skip-alerts",
                            "--no-agent",
                            "--skip-search",
                            "--skip-search-sink",
                            "--skip-search-latency",
                            "--skip-zipkin-es",
                            "--skip-streams-floor",
                            "--skip-cache"));
            boolean skipSearch = cli.flag("--skip-search");
            o = new Options(
                    cli.integer("--logs", 1_000_000),
                    cli.integer("--warmup", 1_000_000),
                    cli.integer("--services", 20),
                    cli.integer("--partitions", 6),
                    cli.integer("--probes", 200),
                    Duration.ofSeconds(cli.integer("--overview-seconds", 15)),
                    cli.integer("--concurrency", 32),
                    Duration.ofSeconds(cli.integer("--spread-seconds", 240)),
                    keyOption(cli.string("--key", "none")),
                    Path.of(System.getProperty("logflow.benchDir", "bench-results")),
                    Path.of(System.getProperty(
                            "logflow.stateApiJar", "state-api/target/logflow-state-api-0.1.0-SNAPSHOT.jar")),
                    cli.flag("--skip-logs"),
                    cli.flag("--skip-traces"),
                    cli.integer("--traces", 20_000),
                    cli.integer("--trace-warmup", 20_000),
                    cli.integer("--trace-clients", 8),
                    cli.integer("--lookups", 2_000),
                    Path.of(System.getProperty("logflow.zipkinJar", "tests-e2e/target/zipkin/zipkin-server-exec.jar")),
                    io.logflow.infra.ChildProcesses.jvmOptions(System.getenv("LOGFLOW_JAVA_OPTS")),
                    cli.flag("--skip-alerts"),
                    cli.integer("--alert-probes", 20),
                    agentPasses(
                            // as ./logflow up: on unless LOGFLOW_OTEL_AGENT=false
                            cli.string(
                                    "--agent",
                                    OtelAgent.enabled(null, System.getenv("LOGFLOW_OTEL_AGENT")) ? "on" : "off"),
                            cli.flag("--no-agent")),
                    cli.flag("--skip-streams-floor") || skipSearch,
                    cli.flag("--skip-search-sink") || skipSearch,
                    cli.flag("--skip-search-latency") || skipSearch,
                    cli.flag("--skip-zipkin-es") || skipSearch,
                    cli.integer("--search-logs", 1_000_000),
                    cli.integer("--search-requests", 500),
                    cli.integer("--search-clients", 8),
                    Path.of(System.getProperty("logflow.connectPluginPath", "connectors/target/plugin")),
                    cli.flag("--skip-cache"));
            cli.done();
            if (o.searchLogs() < 1 || o.searchRequests() < 1 || o.searchClients() < 1)
                throw new IllegalArgumentException(
                        "--search-logs, --search-requests and --search-clients must be >= 1");
            if ((!o.skipSearchSink() || !o.skipSearchLatency())
                    && !Files.isDirectory(o.connectPluginPath().resolve("logflow-elasticsearch-sink")))
                throw new IllegalArgumentException("no Elasticsearch sink plugin in " + o.connectPluginPath()
                        + ": build connectors (./mvnw -B -q -pl connectors -am package -DskipTests), or run with "
                        + "--skip-search-sink --skip-search-latency");
            if (o.skipLogs() && o.skipTraces() && o.skipAlerts() && !o.search())
                throw new IllegalArgumentException(
                        "--skip-logs, --skip-traces, --skip-alerts and --skip-search leave nothing to measure");
            if (o.alertProbes() < 1) throw new IllegalArgumentException("--alert-probes must be >= 1");
            if (o.traces() < 1 || o.traceWarmup() < 1 || o.traceClients() < 1 || o.lookups() < 1) {
                throw new IllegalArgumentException(
                        "--traces, --trace-warmup, --trace-clients and --lookups must be >= 1");
            }
            if (o.logs() < 1) throw new IllegalArgumentException("--logs must be >= 1");
            if (o.warmup() < 0) throw new IllegalArgumentException("--warmup must be >= 0");
            new TrafficGenerator(o.services(), 0.05, 0); // validates --services
            if (o.partitions() < 1 || o.probes() < 1 || o.concurrency() < 1)
                throw new IllegalArgumentException("--partitions, --probes and --concurrency must be >= 1");
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        int code;
        try {
            code = runAll(o);
        } catch (Exception e) {
            System.err.println("bench: failed: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /** Every pass (agent on, off or both), then one JSON file and the summary lines. */
    private static int runAll(Options o) throws Exception {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path file = o.resultsDir().resolve("bench-" + stamp + ".json");
        List<Pass> passes = new ArrayList<>();
        for (boolean agent : o.agentPasses()) {
            if (o.agentPasses().size() > 1) say("=== pass %d of %d: %s", passes.size() + 1, 2, setup(agent, INSTANCES));
            passes.add(new Bench(o, agent, stamp, file).run());
        }
        Map<String, Object> all;
        AgentOverhead overhead = null;
        if (passes.size() == 1) {
            all = passes.get(0).results();
        } else {
            Pass on = passes.get(0), off = passes.get(1);
            overhead = AgentOverhead.compare(on.results(), off.results(), o.traceClients(), o.searchClients());
            all = new LinkedHashMap<>();
            all.put("timestamp", on.results().get("timestamp"));
            all.put("agent", "both");
            all.put("instances", INSTANCES);
            all.put("agent_overhead", overhead.json());
            all.put("agent_on", on.results());
            all.put("agent_off", off.results());
        }
        Files.createDirectories(o.resultsDir());
        ObjectNode json = Api.JSON.valueToTree(all);
        Files.writeString(file, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        for (Pass p : passes) {
            String setup = setup(p.agent(), INSTANCES);
            if (p.logSummary() != null) System.out.println(tagged(p.logSummary(), setup));
            if (p.traceSummary() != null) System.out.println(tagged(p.traceSummary(), setup) + " | " + file);
            if (p.alertSummary() != null) System.out.println(tagged(p.alertSummary(), setup) + " | " + file);
            if (p.cacheSummary() != null) System.out.println(tagged(p.cacheSummary(), setup) + " | " + file);
            if (p.searchSummary() != null) System.out.println(tagged(p.searchSummary(), setup) + " | " + file);
        }
        if (overhead != null) {
            for (String line : overhead.lines()) say("%s", line);
            System.out.println(overhead.summary(INSTANCES) + " | " + file);
        }
        return passes.stream().allMatch(Pass::ok) ? 0 : 1;
    }

    private Pass run() throws Exception {
        results.put("timestamp", Instant.now().toString());
        results.put("agent", agent ? "on" : "off");
        results.put("instances", INSTANCES);
        if (!o.skipLogs()) {
            results.put("logs", o.logs());
            results.put("warmup_logs", o.warmup());
            results.put("services", o.services());
            results.put("spread_seconds", o.spread().toSeconds());
            results.put("record_key", o.keyByService() ? "service" : "none");
        }
        results.put("partitions", o.partitions());
        results.put("cores", Runtime.getRuntime().availableProcessors());
        results.put("java", System.getProperty("java.version"));
        results.put("load_average_at_start", loadAverage()); // other work on the machine skews every figure
        Path work = Files.createTempDirectory("logflow-bench-");
        // Ctrl-C (SIGTERM from ./logflow) at any point: stop what was started, remove the temp dir.
        Thread cleanup = new Thread(() -> stopAll(work), "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean ok = false;
        TraceBench traces = null;
        Exception traceFailure = null;
        String alertSummary = null;
        Exception alertFailure = null;
        String cacheSummary = null;
        Exception cacheFailure = null;
        Exception floorFailure = null;
        Exception searchFailure = null;
        Exception zipkinElasticsearchFailure = null;
        try {
            say("starting a Kafka broker (data in %s)", work);
            kafka = LocalKafka.start(work.resolve("kafka"), 0);
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicSetup.ensure(admin, o.partitions(), (short) 1); // returns once every partition leader answers
            }

            if (!o.skipLogs()) {
                produce(bootstrap);
                baseline(bootstrap);
                if (o.streamsFloor()) {
                    try {
                        StreamsFloor.run(bootstrap, work, streamThreads(), total(), o.warmup(), results);
                    } catch (Exception e) {
                        // the log benchmark still measures; the floor is reported as failed
                        floorFailure = e;
                        results.put("streams_floor_failed", e.toString());
                        System.err.println("bench: the Kafka Streams floor failed: " + e);
                        e.printStackTrace();
                    }
                }
            }

            // the server as ./logflow up runs it: the agent's options first, then LOGFLOW_JAVA_OPTS
            int port = StateApiProcess.freePort();
            List<String> jvmOptions = new ArrayList<>();
            Map<String, String> env = new LinkedHashMap<>();
            if (agent) {
                OtelAgent.SelfTracing tracing = OtelAgent.selfTracing(System.getenv(), port);
                jvmOptions.addAll(tracing.jvmOptions());
                env.putAll(tracing.environment());
            }
            jvmOptions.addAll(o.serverJvmOptions());
            // the search part's Elasticsearch starts later, on a port chosen now: the server reads its URL at start
            int elasticsearchPort = o.search() ? StateApiProcess.freePort() : 0;
            if (o.search()) env.put("ELASTICSEARCH_URL", "http://127.0.0.1:" + elasticsearchPort);
            results.put("server_jvm_options", jvmOptions);
            results.put("server_agent_environment", new LinkedHashMap<>(env));
            say(
                    "starting the LogFlow server (%s)%s%s",
                    setup(agent, INSTANCES),
                    jvmOptions.isEmpty() ? "" : " with " + String.join(" ", jvmOptions),
                    env.isEmpty() ? "" : " and " + env);
            // the alert rules and history of a run stay out of ./logflow up's database
            database = ScratchDatabase.create("logflow_bench", work);
            say(
                    "PostgreSQL: database %s%s",
                    database.name(), database.startedPostgres() ? " on a PostgreSQL started for the run" : "");
            // its cache: a Redis of the run's own, started by the cache part (uncached until then); its first
            // admin: a password of the run's own, for a token that reads behind the gate (ADR 027); neither in results
            Map<String, String> serverEnv = withDatabase(env, database.url());
            int redisPort = StateApiProcess.freePort();
            String redisPassword = LocalRedis.newPassword();
            serverEnv.put("REDIS_URL", LocalRedis.url(redisPort, redisPassword));
            serverEnv.put("LOGFLOW_ADMIN_PASSWORD", adminPassword);
            serverEnv.put("LOGFLOW_ACCESS_TOKEN_TTL", "12h"); // one token for the whole run
            server = StateApiProcess.start(new StateApiProcess.Options(
                    o.stateApiJar(),
                    bootstrap,
                    port,
                    work.resolve("state"),
                    "logflow-bench-" + runId,
                    work.resolve("state-api.log"),
                    jvmOptions,
                    serverEnv));
            say("LogFlow server pid %d", server.pid());
            Api api = new Api(server.baseUri());
            if (!o.skipLogs()) {
                topologyThroughput(server, api);
                visibleLatency(bootstrap, api);
                if (!o.skipCache()) {
                    try {
                        cacheSummary = new CacheBench(api, this::latency, o.concurrency())
                                .run(() -> startRedis(work, redisPort, redisPassword), results);
                    } catch (Exception e) {
                        cacheFailure = e;
                        cacheSummary = "bench cache: FAILED: " + e.getMessage();
                        System.err.println("bench: the cache benchmark failed: " + e);
                        e.printStackTrace();
                    }
                }
                if (redis == null) startRedis(work, redisPort, redisPassword); // the rest runs as ./logflow up does
                overviewLatency(api);
            } else {
                long t0 = System.nanoTime();
                server.awaitHealthy(Duration.ofSeconds(180));
                results.put("server_start_seconds", round((System.nanoTime() - t0) / 1e9, 2));
                say("server healthy (Kafka Streams RUNNING) after %.1f s", (System.nanoTime() - t0) / 1e9);
                signIn(api);
                startRedis(work, redisPort, redisPassword);
            }
            if (!o.skipTraces()) {
                traces = new TraceBench(new TraceBench.Options(
                        o.traces(),
                        o.traceWarmup(),
                        o.traceClients(),
                        o.lookups(),
                        200,
                        o.zipkinJar(),
                        List.of("-Xmx1g"),
                        work,
                        o.resultsDir().resolve("bench-" + stamp + passSuffix() + "-zipkin.log")));
                results.put("traces", traces.results());
                try {
                    traces.run(server.baseUri(), server.pid(), kafka.pid());
                } catch (Exception e) {
                    // the log results stand; the trace part is reported as failed
                    traceFailure = e;
                    traces.results().put("failed", e.toString());
                    System.err.println("bench: the trace benchmark failed: " + e);
                    e.printStackTrace();
                }
            }
            if (!o.skipAlerts()) {
                try {
                    alertSummary = new AlertBench(bootstrap, api, o.alertProbes()).run(results);
                } catch (Exception e) {
                    alertFailure = e;
                    alertSummary = "bench alerts: FAILED: " + e;
                    System.err.println("bench: the alert benchmark failed: " + e);
                    e.printStackTrace();
                }
            }
            if (o.search()) {
                try {
                    searchPart(bootstrap, elasticsearchPort, work, traces, traceFailure == null);
                } catch (SearchFailure e) {
                    searchFailure = e.search;
                    zipkinElasticsearchFailure = e.zipkin;
                }
            }
            ok = traceFailure == null
                    && alertFailure == null
                    && cacheFailure == null
                    && floorFailure == null
                    && searchFailure == null
                    && zipkinElasticsearchFailure == null;
        } finally {
            if (!ok && server != null && Files.exists(server.logFile())) {
                Path copy = o.resultsDir().resolve("bench-" + stamp + passSuffix() + "-state-api.log");
                Files.createDirectories(o.resultsDir());
                Files.copy(server.logFile(), copy);
                say("the server's log is kept in %s", copy);
            }
            stopAll(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // shutting down: the hook runs
            }
        }
        String traceSummary = null;
        if (traces != null)
            traceSummary =
                    traceFailure == null ? traces.summary() : "bench traces: FAILED: " + traceFailure.getMessage();
        String logSummary = o.skipLogs() ? null : logSummary(file);
        String searchSummary = null;
        if (search != null)
            searchSummary =
                    searchFailure == null ? search.summary() : "bench search: FAILED: " + searchFailure.getMessage();
        else if (searchFailure != null) searchSummary = "bench search: FAILED: " + searchFailure.getMessage();
        return new Pass(agent, results, logSummary, traceSummary, alertSummary, cacheSummary, searchSummary, ok);
    }

    /** The failures of the search part: its own phases', and Zipkin on Elasticsearch's; either may be null. */
    private static final class SearchFailure extends Exception {
        final Exception search;
        final Exception zipkin;

        SearchFailure(Exception search, Exception zipkin) {
            super(search != null ? search : zipkin);
            this.search = search;
            this.zipkin = zipkin;
        }
    }

    /**
     * The search part, after the others: a local Elasticsearch on the port the server was given, then the sink and
     * its baseline, the search latency ({@link SearchBench}), and Zipkin on the same Elasticsearch fed the trace
     * benchmark's spans ({@link TraceBench#zipkinOnElasticsearch}). Elasticsearch is stopped at the end.
     */
    private void searchPart(String bootstrap, int port, Path work, TraceBench traces, boolean tracesOk)
            throws SearchFailure {
        Exception searchFailure = null;
        Exception zipkinFailure = null;
        String heap = System.getenv("LOGFLOW_ES_HEAP");
        heap = heap == null || heap.isBlank() ? "1g" : heap.trim();
        try {
            long t0 = System.nanoTime();
            say("search: starting Elasticsearch on 127.0.0.1:%d (heap %s)", port, heap);
            elasticsearch = LocalElasticsearch.start(work.resolve("elasticsearch"), port, heap);
            say(
                    "search: Elasticsearch (pid %d, Java at %s) ready after %.1f s",
                    elasticsearch.pid(), elasticsearch.javaHome(), (System.nanoTime() - t0) / 1e9);
            results.put("elasticsearch_heap", heap);
            if (!o.skipSearchSink() || !o.skipSearchLatency()) {
                search = new SearchBench(new SearchBench.Options(
                        o.searchLogs(),
                        o.services(),
                        o.spread(),
                        !o.skipSearchSink(),
                        !o.skipSearchLatency(),
                        o.searchRequests(),
                        o.searchClients(),
                        o.connectPluginPath(),
                        work,
                        o.resultsDir().resolve("bench-" + stamp + passSuffix() + "-connect.log")));
                results.put("search", search.results());
                try {
                    search.ingest(bootstrap, elasticsearch, server.pid(), kafka.pid());
                    if (!o.skipSearchLatency()) search.latency(server.baseUri(), elasticsearch.url());
                } catch (Exception e) {
                    searchFailure = e;
                    search.results().put("failed", e.toString());
                    System.err.println("bench: the search benchmark failed: " + e);
                    e.printStackTrace();
                } finally {
                    search.close();
                }
            }
            if (o.zipkinElasticsearch() && traces != null && tracesOk) {
                try {
                    traces.zipkinOnElasticsearch(elasticsearch.url(), elasticsearch.pid(), elasticsearch.javaHome());
                } catch (Exception e) {
                    zipkinFailure = e;
                    @SuppressWarnings("unchecked")
                    Map<String, Object> z = (Map<String, Object>)
                            traces.results().computeIfAbsent("zipkin_elasticsearch", k -> new LinkedHashMap<>());
                    z.put("failed", e.toString());
                    System.err.println("bench: Zipkin on Elasticsearch failed: " + e);
                    e.printStackTrace();
                }
            }
        } catch (RuntimeException e) { // Elasticsearch did not come up
            searchFailure = e;
            results.put("search_failed", e.toString());
            System.err.println("bench: the search part failed: " + e);
            e.printStackTrace();
        } finally {
            LocalElasticsearch es = elasticsearch;
            elasticsearch = null;
            if (es != null) es.close();
        }
        if (searchFailure != null || zipkinFailure != null) throw new SearchFailure(searchFailure, zipkinFailure);
    }

    /** The stream threads the server runs with ({@code LOGFLOW_STREAM_THREADS}, 2): the floor runs as many. */
    private static int streamThreads() {
        String v = System.getenv("LOGFLOW_STREAM_THREADS");
        try {
            return v == null || v.isBlank() ? 2 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 2;
        }
    }

    /** In a run with both passes, what tells their files apart. */
    private String passSuffix() {
        return o.agentPasses().size() > 1 ? (agent ? "-agent-on" : "-agent-off") : "";
    }

    private static Map<String, String> withDatabase(Map<String, String> env, String databaseUrl) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("DATABASE_URL", databaseUrl);
        // thousands of requests a second from one address: the benchmark measures the server, not its rate limits
        all.put("LOGFLOW_RATE_LIMITS_ENABLED", "false");
        return all;
    }

    /** Puts the log part's targets into the results and returns its summary line. */
    private String logSummary(Path file) {
        results.put(
                "targets",
                Map.of(
                        "topology_logs_per_s_min",
                        TARGET_LOGS_PER_S,
                        "topology_to_baseline_min",
                        TARGET_RATIO,
                        "overview_p99_ms_max",
                        TARGET_OVERVIEW_P99_MS,
                        "topology_to_streams_floor_min",
                        TARGET_FLOOR_RATIO));
        double topo = (double) results.get("topology_logs_per_s");
        double warm = (double) results.get("topology_warm_logs_per_s");
        double base = (double) results.get("baseline_logs_per_s");
        double ratio = topo / base;
        double warmRatio = warm / base;
        double overviewP99 = (double) results.get("overview_p99_ms");
        boolean complete = (boolean) results.get("topology_complete");
        boolean coldMet = complete && topo >= TARGET_LOGS_PER_S && ratio >= TARGET_RATIO;
        boolean warmMet = complete && warm >= TARGET_LOGS_PER_S && warmRatio >= TARGET_RATIO;
        results.put("topology_to_baseline", round(ratio, 3));
        results.put("topology_warm_to_baseline", round(warmRatio, 3));
        results.put("meets_targets", coldMet && overviewP99 < TARGET_OVERVIEW_P99_MS);
        results.put("meets_targets_warm", warmMet && overviewP99 < TARGET_OVERVIEW_P99_MS);
        return String.format(
                Locale.ROOT,
                "bench: %,d logs (+%,d warm-up), %d services | topology %scold %,.0f logs/s = %.0f%%, warm %,.0f "
                        + "logs/s = %.0f%% of baseline %,.0f logs/s [target >= 50,000 and >= 40%%: cold %s, warm %s] "
                        + "| server CPU per log %s µs cold, %s µs warm "
                        + "| produce-to-visible p50 %.0f ms p99 %.0f ms | overview p50 %.1f ms p99 %.1f ms "
                        + "at concurrency %d [target p99 < 20 ms: %s]%s | %s",
                o.logs(),
                o.warmup(),
                o.services(),
                complete ? "" : "INCOMPLETE (overview counted " + results.get("topology_overview_counted") + ") ",
                topo,
                ratio * 100,
                warm,
                warmRatio * 100,
                base,
                coldMet ? "met" : "MISSED",
                warmMet ? "met" : "MISSED",
                serverCpu("topology_cpu_us_per_log"),
                serverCpu("topology_warm_cpu_us_per_log"),
                (double) results.get("visible_p50_ms"),
                (double) results.get("visible_p99_ms"),
                (double) results.get("overview_p50_ms"),
                overviewP99,
                o.concurrency(),
                overviewP99 < TARGET_OVERVIEW_P99_MS ? "met" : "MISSED",
                streamsFloor(),
                file);
    }

    /**
     * {@code | Kafka Streams floor …}: LogFlow's topology as a share of the identity exactly-once app's throughput
     * over the same logs ({@link StreamsFloor}), cold against cold and warm against warm; target at least 50 %.
     */
    private String streamsFloor() {
        if (!(results.get("topology_logs_per_s") instanceof Double topo)
                || !(results.get("topology_warm_logs_per_s") instanceof Double warm)) return "";
        boolean complete = Boolean.TRUE.equals(results.get("topology_complete"));
        if (results.get("streams_floor_failed") != null)
            return " | Kafka Streams floor: FAILED: " + results.get("streams_floor_failed");
        if (!(results.get("streams_floor_logs_per_s") instanceof Double floor)
                || !(results.get("streams_floor_warm_logs_per_s") instanceof Double floorWarm)) return "";
        double cold = topo / floor, warmRatio = warm / floorWarm;
        boolean coldMet = complete && cold >= TARGET_FLOOR_RATIO, warmMet = complete && warmRatio >= TARGET_FLOOR_RATIO;
        results.put("topology_to_streams_floor", round(cold, 3));
        results.put("topology_warm_to_streams_floor", round(warmRatio, 3));
        results.put("streams_floor_target_met", coldMet);
        results.put("streams_floor_target_met_warm", warmMet);
        return String.format(
                Locale.ROOT,
                " | Kafka Streams floor (identity, exactly-once, 1 store) %,.0f logs/s cold, %,.0f warm: "
                        + "LogFlow %.0f%% cold, %.0f%% warm [target >= 50%%: cold %s, warm %s]",
                floor,
                floorWarm,
                cold * 100,
                warmRatio * 100,
                coldMet ? "met" : "MISSED",
                warmMet ? "met" : "MISSED");
    }

    /** The server's CPU microseconds per item recorded under {@code key} by {@link CpuTimes#report}, or "?". */
    private String serverCpu(String key) {
        return results.get(key) instanceof Map<?, ?> m && m.get("server") instanceof Number n
                ? String.format(Locale.ROOT, "%.1f", n.doubleValue())
                : "?";
    }

    /**
     * Pre-produces N logs as shippers send them (JSON, no key unless --key service), event times
     * spread over the last few minutes (--spread-seconds) and each record's Kafka timestamp equal to
     * its event time: the backlog a stopped LogFlow would find after those minutes.
     */
    private void produce(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        TrafficGenerator gen = new TrafficGenerator(o.services(), 0.05, 20_26);
        long span = Math.max(1, o.spread().toMillis());
        long start = System.currentTimeMillis() - span - 5_000;
        long n = total();
        AtomicLong failures = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Exception> firstFailure =
                new java.util.concurrent.atomic.AtomicReference<>();
        long bytes = 0;
        say("producing %,d logs from %d services to '%s'", n, o.services(), Topics.LOGS.name());
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long sent = 0;
            while (sent < n) {
                TrafficGenerator.Request req = gen.next(start + span * sent / n);
                for (TrafficGenerator.Log l : req.logs()) {
                    if (sent == n) break;
                    byte[] key = o.keyByService() ? l.service().getBytes(StandardCharsets.UTF_8) : null;
                    // record time = event time: a backlog that built up over those minutes, as it would have been
                    // produced
                    producer.send(
                            new ProducerRecord<>(Topics.LOGS.name(), null, l.timestamp(), key, l.json()), (md, e) -> {
                                if (e != null && failures.getAndIncrement() == 0) firstFailure.set(e);
                            });
                    bytes += l.json().length;
                    sent++;
                }
            }
            producer.flush();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (failures.get() > 0)
            throw new IllegalStateException(
                    failures.get() + " logs could not be produced, first: " + firstFailure.get(), firstFailure.get());
        results.put("produce_logs_per_s", round(n / secs, 0));
        results.put("avg_log_bytes", bytes / n);
        say("produced %,d logs (avg %d bytes) in %.1f s: %,.0f logs/s", n, bytes / n, secs, n / secs);
    }

    /** (d) A plain consumer reading the same N records: the ceiling any topology on this machine is compared with. */
    private void baseline(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // as Kafka Streams with exactly_once_v2 reads
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo pi : consumer.partitionsFor(Topics.LOGS.name()))
                parts.add(new TopicPartition(pi.topic(), pi.partition()));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long count = 0;
            long bytes = 0;
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
            while (count < total() && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (var r : records) {
                    bytes += r.value().length;
                    count++;
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (count < total())
                throw new IllegalStateException(
                        "baseline consumer read only " + count + " of " + total() + " logs in 120 s");
            results.put("baseline_logs_per_s", round(count / secs, 0));
            results.put("baseline_seconds", round(secs, 2));
            say(
                    "baseline: a plain consumer read %,d logs (%,d MB) in %.1f s: %,.0f logs/s",
                    count, bytes >> 20, secs, count / secs);
        }
    }

    /** Warm-up and measured logs: what is produced, read by the baseline and counted by the overview. */
    private long total() {
        return o.warmup() + o.logs();
    }

    /**
     * (a) From Kafka Streams RUNNING until the overview counts every produced log exactly: the
     * <em>cold</em> figure (a fresh JVM: class loading, JIT compilation, RocksDB opening) over all
     * warm-up plus measured logs; and the <em>warm</em> figure over the last N logs, from the
     * overview counting the warm-up logs until it counts all. CPU per log is reported for both.
     */
    private void topologyThroughput(StateApiProcess server, Api api) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(180);
        while (!server.health().healthy()) {
            if (!server.isAlive()) throw new IllegalStateException("the server exited; its log:\n" + server.tail(40));
            if (System.nanoTime() > deadline)
                throw new IllegalStateException(
                        "the server was not healthy within 180 s; its log:\n" + server.tail(40));
            Thread.sleep(50);
        }
        signIn(api);
        long t0 = System.nanoTime();
        CpuTimes cpu0 = CpuTimes.now(server.pid(), kafka.pid());
        long total = total();
        results.put("server_start_seconds", round((t0 - started) / 1e9, 2));
        say(
                "server healthy (Kafka Streams RUNNING) after %.1f s; waiting until the overview counts all %,d logs "
                        + "(%,d warm-up + %,d)",
                (t0 - started) / 1e9, total, o.warmup(), o.logs());
        long timeoutS = 60 + total / 4_000;
        long end = t0 + TimeUnit.SECONDS.toNanos(timeoutS);
        long counted = -1;
        long lastProgress = t0;
        long nextSay = t0 + TimeUnit.SECONDS.toNanos(5);
        long warmAt = o.warmup() == 0 ? t0 : -1;
        long warmCounted = 0;
        CpuTimes cpuWarm = o.warmup() == 0 ? cpu0 : null;
        String incomplete = null;
        while (true) {
            long now = System.nanoTime();
            long c = api.overviewTotal(60);
            if (c > counted) {
                counted = c;
                lastProgress = now;
            }
            if (warmAt < 0 && counted >= o.warmup()) {
                warmAt = now;
                warmCounted = counted;
                cpuWarm = CpuTimes.now(server.pid(), kafka.pid());
                say(
                        "  warm-up: %,d counted after %.1f s; measuring the next %,d",
                        counted, (now - t0) / 1e9, total - counted);
            }
            if (counted >= total) break;
            if (now > end) {
                incomplete = "timed out after " + timeoutS + " s";
                break;
            }
            // stalled while every log is already in the service registry: the windows dropped the rest
            if (counted > 0 && now - lastProgress > TimeUnit.SECONDS.toNanos(20) && registryTotal(api) >= total) {
                incomplete = "stalled";
                break;
            }
            if (now > nextSay) {
                say("  ... %,d counted after %.0f s", counted, (now - t0) / 1e9);
                nextSay = now + TimeUnit.SECONDS.toNanos(5);
            }
            Thread.sleep(100);
        }
        if (incomplete != null) {
            // Report what happened instead of failing the whole run: the other phases still measure.
            long registry = registryTotal(api);
            double secs = (lastProgress - t0) / 1e9;
            results.put("topology_complete", false);
            results.put("topology_overview_counted", counted);
            results.put("topology_registry_counted", registry);
            results.put("topology_seconds", round(secs, 2));
            results.put("topology_logs_per_s", round(counted / secs, 0));
            results.put("topology_warm_logs_per_s", 0.0);
            say(
                    "topology: INCOMPLETE (%s): the overview counts %,d of %,d logs while the service registry "
                            + "counts %,d — "
                            + "%,d logs missing from the 1-minute windows (late beyond the grace period?); %,.0f "
                            + "logs/s while counting",
                    incomplete, counted, total, registry, total - counted, counted / secs);
            return;
        }
        long tEnd = System.nanoTime();
        CpuTimes cpuEnd = CpuTimes.now(server.pid(), kafka.pid());
        double secs = (tEnd - t0) / 1e9;
        if (counted != total)
            throw new IllegalStateException(
                    "the overview counts " + counted + " logs, " + (counted - total) + " more than were produced");
        say("  cold, all %,d logs:", total);
        cpuEnd.minus(cpu0).report(total, secs, results, "topology");
        double warmSecs = (tEnd - warmAt) / 1e9;
        long warmLogs = total - warmCounted;
        say("  warm, the last %,d logs:", warmLogs);
        cpuEnd.minus(cpuWarm).report(warmLogs, warmSecs, results, "topology_warm");
        results.put("topology_complete", true);
        results.put("topology_seconds", round(secs, 2));
        results.put("topology_logs_per_s", round(total / secs, 0));
        results.put("topology_warm_seconds", round(warmSecs, 2));
        results.put("topology_warm_logs", warmLogs);
        results.put("topology_warm_logs_per_s", round(warmLogs / warmSecs, 0));
        say(
                "topology: %,d logs counted exactly in %.1f s: %,.0f logs/s cold; the last %,d in %.1f s: %,.0f "
                        + "logs/s warm",
                total, secs, total / secs, warmLogs, warmSecs, warmLogs / warmSecs);
    }

    /** Sum of every service's all-time total in /api/v1/services; -1 when it did not answer. */
    private static long registryTotal(Api api) {
        Api.Answer a = api.get("/api/v1/services");
        if (!a.ok()) return -1;
        long sum = 0;
        for (var s : a.json().get("services")) sum += s.get("total").asLong();
        return sum;
    }

    /** (b) One marked log at a time, produced as a shipper would, until it shows in /api/v1/logs/recent. */
    private void visibleLatency(String bootstrap, Api api) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        List<Double> latencies = new ArrayList<>();
        int missing = 0;
        say("produce-to-visible: %d probes, one every >= 50 ms", o.probes());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < o.probes(); i++) {
                String marker = "probe-" + runId + "-" + i + "-end";
                String json = "{\"@timestamp\":\"" + Instant.now() + "\",\"service\":\"" + PROBE_SERVICE
                        + "\",\"level\":\"INFO\",\"message\":\"latency " + marker + "\"}";
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(Topics.LOGS.name(), null, json.getBytes(StandardCharsets.UTF_8)));
                long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
                boolean seen = false;
                while (System.nanoTime() < deadline) {
                    Api.Answer a = api.get("/api/v1/logs/recent?service=" + PROBE_SERVICE + "&limit=20");
                    if (a.ok() && a.body().contains(marker)) {
                        seen = true;
                        break;
                    }
                    Thread.sleep(1);
                }
                long t1 = System.nanoTime();
                if (seen) latencies.add((t1 - t0) / 1e6);
                else missing++;
                long next = t0 + TimeUnit.MILLISECONDS.toNanos(50);
                while (System.nanoTime() < next) Thread.sleep(1);
            }
        }
        if (latencies.isEmpty())
            throw new IllegalStateException("no probe became visible in /api/v1/logs/recent within 10 s");
        double[] l =
                latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        results.put("visible_probes", o.probes());
        results.put("visible_missing", missing);
        results.put("visible_p50_ms", round(percentile(l, 50), 1));
        results.put("visible_p99_ms", round(percentile(l, 99), 1));
        results.put("visible_max_ms", round(l[l.length - 1], 1));
        say(
                "produce-to-visible: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d of %d seen)",
                percentile(l, 50), percentile(l, 99), l[l.length - 1], l.length, o.probes());
    }

    /** (c) GET /api/v1/metrics/overview from N concurrent clients: 2 s warm-up, then measured. */
    private void overviewLatency(Api api) throws InterruptedException {
        URI overview = api.base().resolve(OVERVIEW);
        say(
                "overview latency: %d concurrent clients for %d s (after 2 s warm-up)",
                o.concurrency(), o.overviewDuration().toSeconds());
        Latency l = latency(overview, api.authorization(), "overview");
        results.put("overview_concurrency", o.concurrency());
        results.put("overview_requests", l.requests());
        results.put("overview_errors", l.errors());
        results.put("overview_error_kinds", l.errorKinds());
        results.put("overview_requests_per_s", round(l.perSecond(), 0));
        results.put("overview_p50_ms", round(l.p50(), 2));
        results.put("overview_p99_ms", round(l.p99(), 2));
        results.put("overview_max_ms", round(l.max(), 2));
        if (!Double.isNaN(l.answeredP99())) { // the answered requests alone: a slow query vs requests never answered
            results.put("overview_answered_p50_ms", round(l.answeredP50(), 2));
            results.put("overview_answered_p99_ms", round(l.answeredP99(), 2));
        }
        say(
                "overview: %,d requests (%.0f/s, %d errors %s), p50 %.2f ms, p99 %.2f ms, max %.1f ms; answered ones "
                        + "only: p99 %.2f ms",
                l.requests(), l.perSecond(), l.errors(), l.errorKinds(), l.p50(), l.p99(), l.max(), l.answeredP99());
    }

    static final String OVERVIEW = "/api/v1/metrics/overview?minutes=15";

    /**
     * Latencies of one GET from {@code o.concurrency()} clients for {@code o.overviewDuration()} after 2 s of warm-up;
     * a failed request counts in the percentiles with its time (and in errors), the answered ones alone too.
     */
    record Latency(
            int requests,
            long errors,
            Map<String, Long> errorKinds,
            double perSecond,
            double p50,
            double p99,
            double max,
            double answeredP50,
            double answeredP99) {}

    private Latency latency(URI uri, String authorization, String name) throws InterruptedException {
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long end = warmEnd + o.overviewDuration().toNanos();
        double[][] perThread = new double[o.concurrency()][];
        int[] counts = new int[o.concurrency()];
        AtomicLong errors = new AtomicLong();
        Map<String, AtomicLong> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < o.concurrency(); t++) {
            final int idx = t;
            Thread th = new Thread(
                    () -> {
                        double[] lat = new double[4096];
                        int n = 0;
                        // a lean keep-alive client: java.net.http would spend more of the shared cores than the server
                        KeepAliveGet client = new KeepAliveGet(uri, 10_000, authorization);
                        while (true) {
                            long s = System.nanoTime();
                            if (s >= end) break;
                            String failure = null;
                            try {
                                int status = client.get();
                                if (status != 200) failure = "HTTP " + status;
                            } catch (IOException | RuntimeException e) {
                                failure = e.getClass().getSimpleName();
                            }
                            long f = System.nanoTime();
                            if (s >= warmEnd) {
                                if (failure != null) {
                                    errors.incrementAndGet();
                                    errorKinds
                                            .computeIfAbsent(failure, k -> new AtomicLong())
                                            .incrementAndGet();
                                }
                                if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                                double ms = (f - s) / 1e6;
                                lat[n++] = failure == null
                                        ? ms
                                        : -ms; // negative: failed, kept for the overall percentiles
                            }
                        }
                        client.close();
                        perThread[idx] = lat;
                        counts[idx] = n;
                    },
                    name + "-client-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join(o.overviewDuration().toMillis() + 60_000);
        int total = 0;
        for (int c : counts) total += c;
        double[] all = new double[total];
        int at = 0;
        for (int t = 0; t < perThread.length; t++) {
            if (perThread[t] == null) continue;
            System.arraycopy(perThread[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        if (total == 0) throw new IllegalStateException("no " + name + " request completed");
        double[] ok = Arrays.stream(all).filter(v -> v >= 0).sorted().toArray();
        for (int i = 0; i < all.length; i++) all[i] = Math.abs(all[i]);
        Arrays.sort(all);
        double secs = o.overviewDuration().toNanos() / 1e9;
        Map<String, Long> kinds = new java.util.TreeMap<>();
        errorKinds.forEach((k, v) -> kinds.put(k, v.get()));
        return new Latency(
                total,
                errors.get(),
                kinds,
                total / secs,
                percentile(all, 50),
                percentile(all, 99),
                all[all.length - 1],
                ok.length > 0 ? percentile(ok, 50) : Double.NaN,
                ok.length > 0 ? percentile(ok, 99) : Double.NaN);
    }

    /**
     * Logs in as the run's first admin (ADR 027: reads need a user's token once the gate is on); the server creates
     * the admin just after it starts answering, so a refused login is tried again for a few seconds. Without a login
     * the reads go without a token (a server without the gate answers them). Then an ingest token for OTLP, when the
     * server issues them. Both in {@link BenchAccess}.
     */
    private void signIn(Api api) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        BenchAccess.set(null, null);
        String access;
        while (true) {
            try {
                access = LocalAccess.login(api.base(), LocalAccess.ADMIN, adminPassword);
                break;
            } catch (LocalAccess.AccessException e) {
                if (System.nanoTime() > deadline) {
                    say("no login as admin (%s): reading without a token", e.getMessage());
                    return;
                }
                Thread.sleep(250);
            }
        }
        String ingest = null;
        try {
            ingest = LocalAccess.createIngestToken(api.base(), access, "bench");
        } catch (LocalAccess.AccessException e) {
            say("no ingest token (%s): OTLP goes without one", e.getMessage());
        }
        BenchAccess.set(access, ingest);
    }

    /** The server's Redis, on the port and with the password its REDIS_URL names. */
    private void startRedis(Path work, int port, String password) {
        long t0 = System.nanoTime();
        redis = LocalRedis.start(work.resolve("redis"), port, password, work.resolve("redis.log"));
        say("Redis: started on 127.0.0.1:%d in %.2f s", port, (System.nanoTime() - t0) / 1e9);
    }

    /** The server first, then its Redis and database, the broker, the temporary directory. Idempotent. */
    private synchronized void stopAll(Path work) {
        if (search != null) search.close();
        if (elasticsearch != null) elasticsearch.close();
        if (server != null) server.close();
        if (redis != null) redis.close();
        if (database != null) database.close();
        if (kafka != null) kafka.close();
        deleteRecursively(work);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    static void say(String fmt, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, fmt, args));
        System.out.flush();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir
        }
    }
}
