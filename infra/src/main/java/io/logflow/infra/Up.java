package io.logflow.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import sun.misc.Signal;

/**
 * {@code ./logflow up}: runs everything LogFlow needs locally in the foreground — a real Kafka
 * broker (unless {@code KAFKA_BOOTSTRAP_SERVERS} names one) and the LogFlow server — and stops it
 * all on SIGTERM/SIGINT, the server first, then the broker.
 *
 * <p>PostgreSQL (alerting): the one at {@code DATABASE_URL} (which must answer), else the one on
 * 127.0.0.1:{@code LOGFLOW_POSTGRES_PORT} (5432) when one answers there, else a local PostgreSQL
 * started here ({@link LocalPostgres}, data in {@code .logflow/postgres}), stopped after the server.
 *
 * <p>Redis (the answer cache): the one at {@code REDIS_URL} (empty: none), else the one on 127.0.0.1:{@code
 * LOGFLOW_REDIS_PORT} (6379) when it answers PING without a password, else a local one started here ({@link
 * LocalRedis}, on that port or a free one when it is taken, password-protected), stopped after the server.
 *
 * <p>Access (ADR 027): the server writes a generated first-admin password to {@code .logflow/admin-password} on its
 * first start (unless {@code LOGFLOW_ADMIN_PASSWORD} is set), printed here that once; once healthy, the local demo's
 * ingest token is made sure of ({@link LocalAccess#provision}, {@code .logflow/ingest-token}).
 *
 * <p>Configuration (environment): {@code KAFKA_BOOTSTRAP_SERVERS}, {@code DATABASE_URL}, {@code LOGFLOW_PORT} (8080),
 * {@code LOGFLOW_KAFKA_PORT} (9092, the local broker's port), {@code LOGFLOW_POSTGRES_PORT} (5432), {@code
 * LOGFLOW_JAVA_OPTS} (extra JVM
 * options for the server), {@code LOGFLOW_OTEL_AGENT} (true: the server runs with the OpenTelemetry
 * agent and sends its own spans to itself, see {@link OtelAgent}); every other {@code LOGFLOW_*} and
 * {@code OTEL_*} variable reaches the server as it is.
 * System properties: {@code logflow.home} (where data and logs go, default {@code ./.logflow}),
 * {@code logflow.stateApiJar}, {@code logflow.otelSamplerJar} (the copy of LogFlow's sampler extension the script
 * made, see {@link OtelAgent#samplerJar()}) and {@code logflow.otelAgent} ({@code false} from {@code --no-agent}).
 */
public final class Up {
    private static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(3);

    private final Path home;
    private final Path jar;
    private final Object lifecycle = new Object();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private LocalKafka kafka;
    private LocalPostgres postgres;
    private LocalRedis redis;
    private StateApiProcess server;
    private LocalElasticsearch elasticsearch;
    private LocalConnect connect;

    private Up(Path home, Path jar) {
        this.home = home;
        this.jar = jar;
    }

    public static void main(String[] args) {
        // quiet Kafka client logs unless asked otherwise (slf4j-simple reads this on first use)
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null)
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Path home = Path.of(System.getProperty("logflow.home", ".logflow"))
                .toAbsolutePath()
                .normalize();
        Path jar = Path.of(System.getProperty(
                        "logflow.stateApiJar", "state-api/target/logflow-state-api-0.1.0-SNAPSHOT.jar"))
                .toAbsolutePath()
                .normalize();
        System.exit(new Up(home, jar).run());
    }

    private int run() {
        // Our own handlers instead of the JVM's: shutdown hooks run concurrently, in no order, and the
        // server must stop before the broker it commits to.
        for (String sig : List.of("TERM", "INT", "HUP")) {
            try {
                Signal.handle(new Signal(sig), s -> new Thread(this::stopAll, "logflow-stop-" + s.getName()).start());
            } catch (IllegalArgumentException ignored) {
                // ignored by the parent (e.g. SIGINT for a background job): the script forwards SIGTERM instead
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "logflow-stop"));
        String external = blankToNull(System.getenv("KAFKA_BOOTSTRAP_SERVERS"));
        String bootstrap;
        try {
            int apiPort = intEnv("LOGFLOW_PORT", 8080);
            boolean traced = selfTracing();
            if (external != null) {
                say("Kafka: using %s (KAFKA_BOOTSTRAP_SERVERS)", external);
                checkReachable(external);
                bootstrap = external;
            } else {
                int kafkaPort = intEnv("LOGFLOW_KAFKA_PORT", 9092);
                Path dataDir = home.resolve("kafka");
                say("Kafka: starting a local broker on 127.0.0.1:%d (data in %s)", kafkaPort, dataDir);
                long t0 = System.nanoTime();
                LocalKafka k = LocalKafka.start(dataDir, kafkaPort);
                synchronized (lifecycle) {
                    if (stopping.get()) {
                        k.close();
                        return awaitStopped();
                    }
                    kafka = k;
                }
                bootstrap = k.bootstrapServers();
                say(
                        "Kafka: ready at %s in %.1f s (log %s)",
                        bootstrap, seconds(t0), dataDir.resolve("logs").resolve("server.log"));
            }

            String databaseUrl = postgres();
            if (databaseUrl == null) return awaitStopped();
            Cache cache = redis();
            if (cache == null) return awaitStopped();
            Search search = search();
            Path passwordFile = adminPasswordFile();
            long passwordFileBefore = lastModified(passwordFile);

            Path logFile = home.resolve("logs").resolve("state-api.log");
            if (apiPort == 0) apiPort = StateApiProcess.freePort(); // the agent's endpoint needs the real port
            List<String> jvmOptions = new ArrayList<>();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DATABASE_URL", databaseUrl);
            env.put("ELASTICSEARCH_URL", search.elasticsearchUrl());
            if (cache.url() != null) env.put("REDIS_URL", cache.url());
            env.put("LOGFLOW_ADMIN_PASSWORD_FILE", passwordFile.toString());
            if (search.connectUrl() != null) env.put("KAFKA_CONNECT_URL", search.connectUrl());
            if (traced) {
                // LogFlow traces itself into its own OTLP receiver (docs/adr/011-self-tracing.md)
                OtelAgent.SelfTracing tracing = OtelAgent.selfTracing(System.getenv(), apiPort);
                jvmOptions.addAll(tracing.jvmOptions());
                env.putAll(tracing.environment());
                say(
                        "LogFlow: traced by the OpenTelemetry agent (service %s, OTLP to %s, sampler %s %s; "
                                + "./logflow up --no-agent to switch off)",
                        effective(env, "OTEL_SERVICE_NAME"),
                        effective(env, "OTEL_EXPORTER_OTLP_ENDPOINT"),
                        effective(env, "OTEL_TRACES_SAMPLER"),
                        effective(env, "OTEL_TRACES_SAMPLER_ARG"));
            }
            jvmOptions.addAll(ChildProcesses.jvmOptions(System.getenv("LOGFLOW_JAVA_OPTS")));
            say(
                    "LogFlow: starting the server on port %d (state in %s, log %s)",
                    apiPort, home.resolve("state"), logFile);
            long t0 = System.nanoTime();
            StateApiProcess s;
            synchronized (lifecycle) {
                if (stopping.get()) return awaitStopped();
                s = StateApiProcess.start(new StateApiProcess.Options(
                        jar,
                        bootstrap,
                        apiPort,
                        home.resolve("state"),
                        blankToNull(System.getenv("LOGFLOW_APPLICATION_ID")),
                        logFile,
                        jvmOptions,
                        env));
                server = s;
            }
            s.awaitHealthy(HEALTH_TIMEOUT);
            say("LogFlow: healthy in %.1f s", seconds(t0));
            String admin = firstAdmin(passwordFile, passwordFileBefore);
            String ingest = ingestToken(s.baseUri(), passwordFile);
            printBanner(s, bootstrap, logFile, cache, admin, ingest);
            String sinkBootstrap = bootstrap;
            Thread sink = new Thread(() -> startSink(search, sinkBootstrap), "logflow-search-sink");
            sink.setDaemon(true);
            sink.start();

            int exit = s.waitFor();
            if (stopping.get()) return awaitStopped();
            say(
                    "LogFlow: the server exited unexpectedly with code %d; last lines of %s:%n%s",
                    exit, logFile, s.tail(40));
            stopAll();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAll();
            return 1;
        } catch (RuntimeException e) {
            if (stopping.get()) return awaitStopped();
            System.err.println("[logflow] up failed: " + e.getMessage());
            stopAll();
            return 1;
        }
    }

    /**
     * The DATABASE_URL for the server: the user's (checked to answer), the PostgreSQL already on the local
     * port, or a local one started now. Null when a stop was requested meanwhile.
     */
    private String postgres() {
        String external = blankToNull(System.getenv("DATABASE_URL"));
        if (external != null) {
            String[] hostPort = hostPort(external);
            if (!LocalPostgres.answers(hostPort[0], Integer.parseInt(hostPort[1]), Duration.ofSeconds(5))) {
                throw new IllegalStateException(
                        "PostgreSQL at " + hostPort[0] + ":" + hostPort[1] + " (DATABASE_URL) does not answer");
            }
            say("PostgreSQL: using %s:%s (DATABASE_URL)", hostPort[0], hostPort[1]);
            return external;
        }
        int port = intEnv("LOGFLOW_POSTGRES_PORT", 5432);
        if (LocalPostgres.answers("127.0.0.1", port, Duration.ofSeconds(1))) {
            say("PostgreSQL: using the server on 127.0.0.1:%d (database logflow)", port);
            return "postgresql://postgres@127.0.0.1:" + port + "/logflow";
        }
        Path dataDir = home.resolve("postgres");
        say("PostgreSQL: none on 127.0.0.1:%d; starting a local one (data in %s)", port, dataDir);
        long t0 = System.nanoTime();
        LocalPostgres pg =
                LocalPostgres.start(dataDir, port, home.resolve("logs").resolve("postgres.log"));
        synchronized (lifecycle) {
            if (stopping.get()) {
                pg.close();
                return null;
            }
            postgres = pg;
        }
        say(
                "PostgreSQL: ready on 127.0.0.1:%d in %.1f s (log %s)",
                pg.port(), seconds(t0), home.resolve("logs").resolve("postgres.log"));
        return pg.databaseUrl("logflow");
    }

    /** The server's cache: its REDIS_URL (null: none given, the server's own default) and what the banner says. */
    record Cache(String url, String summary) {}

    /**
     * What to do about Redis: use {@code url}, or start a local one ({@code url} null) on {@code localPort} (0: a free
     * one), and why.
     */
    record RedisChoice(String url, boolean startLocal, int localPort, String why) {}

    /**
     * The decision, pure: a set {@code REDIS_URL} wins (empty: no cache); else the Redis on 127.0.0.1:{@code port}
     * when it answers PING without a password; else a local one, on that port when nothing listens there, else on a
     * free one ({@code localPort} 0).
     */
    static RedisChoice redisChoice(String redisUrlEnv, int port, LocalRedis.Probe onPort) {
        if (redisUrlEnv != null) {
            return redisUrlEnv.isBlank()
                    ? new RedisChoice("", false, 0, "off (REDIS_URL is empty): answers are computed, never cached")
                    : new RedisChoice(
                            redisUrlEnv.strip(), false, 0, "using " + redact(redisUrlEnv.strip()) + " (REDIS_URL)");
        }
        String at = "127.0.0.1:" + port;
        return switch (onPort) {
            case ANSWERS -> new RedisChoice("redis://" + at, false, 0, "using the Redis on " + at);
            case NEEDS_PASSWORD ->
                new RedisChoice(
                        null,
                        true,
                        0,
                        "the Redis on " + at + " wants a password (set REDIS_URL=redis://:<password>@" + at
                                + " to use it)");
            case NOT_REDIS -> new RedisChoice(null, true, 0, at + " answers, but not as Redis");
            case NOTHING -> new RedisChoice(null, true, port, "none on " + at);
        };
    }

    /**
     * The cache for the server: the user's {@code REDIS_URL}, the Redis already on 127.0.0.1:{@code
     * LOGFLOW_REDIS_PORT} (6379), or a local one started now ({@link LocalRedis}, on that port, or a free one when it
     * is taken, with a generated password that reaches the server only in its REDIS_URL). Null when a stop was
     * requested meanwhile. A local Redis that does not start is no reason to stop: the server runs uncached.
     */
    private Cache redis() {
        String env = System.getenv("REDIS_URL");
        int port = intEnv("LOGFLOW_REDIS_PORT", 6379);
        RedisChoice choice = redisChoice(
                env,
                port,
                env != null ? LocalRedis.Probe.NOTHING : LocalRedis.probe("127.0.0.1", port, Duration.ofMillis(500)));
        if (!choice.startLocal()) {
            say("Redis: %s", choice.why());
            return new Cache(choice.url(), choice.why().replaceFirst("^using ", ""));
        }
        Path dir = home.resolve("redis");
        Path log = home.resolve("logs").resolve("redis.log");
        say("Redis: %s; starting a local one (redis-server 6.2 from Maven Central, log %s)", choice.why(), log);
        long t0 = System.nanoTime();
        try {
            LocalRedis r = LocalRedis.start(dir, choice.localPort(), log);
            synchronized (lifecycle) {
                if (stopping.get()) {
                    r.close();
                    return null;
                }
                redis = r;
            }
            say(
                    "Redis: ready on 127.0.0.1:%d in %.1f s (password-protected, nothing saved to disk)",
                    r.port(), seconds(t0));
            return new Cache(
                    r.url(), "local redis-server on 127.0.0.1:" + r.port() + " (started here, log " + log + ")");
        } catch (RuntimeException e) {
            say("Redis: not started (%s); the server runs without a cache", e.getMessage());
            return new Cache("", "none: the local Redis did not start (see " + log + ")");
        }
    }

    /** Where the server writes a generated first-admin password: {@code LOGFLOW_ADMIN_PASSWORD_FILE} or ours. */
    private Path adminPasswordFile() {
        String set = blankToNull(System.getenv("LOGFLOW_ADMIN_PASSWORD_FILE"));
        return set != null ? Path.of(set).toAbsolutePath().normalize() : LocalAccess.adminPasswordFile(home);
    }

    /**
     * What to say about the first admin, once the server is up: its password on the start that created it (the file
     * is new — this is the one time it is printed), else where it is.
     */
    private String firstAdmin(Path passwordFile, long before) {
        if (blankToNull(System.getenv("LOGFLOW_ADMIN_PASSWORD")) != null)
            return "user admin, password from LOGFLOW_ADMIN_PASSWORD (used when the first admin was created)";
        // the server creates the admin just after it starts answering: give it a moment
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (lastModified(passwordFile) == before && before == 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long now = lastModified(passwordFile);
        if (now == 0)
            return "user admin (its password is not in " + passwordFile + ": it was set before; change it in the UI)";
        if (now != before) {
            String password = LocalAccess.adminPassword(null, passwordFile).orElse("(unreadable)");
            say("First admin: user admin, password %s (also in %s; change it in the UI)", password, passwordFile);
        }
        return "user admin, first password in " + passwordFile + " (readable by you only; change it in the UI)";
    }

    /**
     * The local demo's ingest token ({@link LocalAccess#provision}): what the banner says about it, and a clear way out
     * when the admin's password is no longer the one we know.
     */
    private String ingestToken(java.net.URI base, Path passwordFile) {
        Path file = LocalAccess.ingestTokenFile(home);
        try {
            LocalAccess.Provisioned p =
                    LocalAccess.provision(base, home, System.getenv("LOGFLOW_ADMIN_PASSWORD"), passwordFile);
            if (p == LocalAccess.Provisioned.CREATED)
                say("Ingest: created the ingest token '%s' for the demo, in %s", LocalAccess.DEMO_TOKEN_NAME, file);
            return "token in " + file + " (./logflow demo sends it)";
        } catch (LocalAccess.AccessException e) {
            say("Ingest: no token for the demo: %s", ingestAdvice(e, file));
            return "no token yet (see above): write one to " + file;
        }
    }

    /** What to tell the user when the demo's token could not be made: why, and how to make one by hand. */
    static String ingestAdvice(LocalAccess.AccessException e, Path file) {
        String byHand = "log in to the UI as an admin, create an ingest token on the admin page, and write it to "
                + file + " (chmod 600)";
        return switch (e.step()) {
            case PASSWORD, LOGIN ->
                (e.status() == 401 || e.step() == LocalAccess.Step.PASSWORD
                                ? "the admin's password is not the one LogFlow knows (it was changed?), so no login"
                                : e.getMessage())
                        + ". To send logs with ./logflow demo: " + byHand
                        + "; or start with LOGFLOW_ADMIN_PASSWORD=<the admin's password>";
            case CREATE_TOKEN ->
                e.status() == 404
                        ? "this server has no ingest tokens (POST /api/v1/auth/tokens: 404); the demo sends"
                                + " logs without one"
                        : e.getMessage() + ". " + byHand;
            case WRITE_FILE -> e.getMessage();
        };
    }

    private static long lastModified(Path file) {
        try {
            return java.nio.file.Files.isRegularFile(file)
                    ? java.nio.file.Files.getLastModifiedTime(file).toMillis()
                    : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** Host and port of a postgresql:// (or r2dbc:postgresql://) URL; port 5432 when it names none. */
    static String[] hostPort(String url) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "^(?:r2dbc:(?:pool:)?|jdbc:)?postgres(?:ql)?://(?:[^@/]*@)?(\\[[^\\]]+\\]|[^:/?]+)(?::(\\d+))?")
                .matcher(url.trim());
        if (!m.find())
            throw new IllegalArgumentException(
                    "DATABASE_URL must look like postgresql://user:password@host:5432/logflow");
        String host =
                m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        return new String[] {host, m.group(2) == null ? "5432" : m.group(2)};
    }

    /**
     * Where full-text search lives: the user's Elasticsearch ({@code ELASTICSEARCH_URL}) or a local node started in
     * the background ({@code .logflow/elasticsearch}, port {@code LOGFLOW_ES_PORT}, 9200); the user's Kafka Connect
     * ({@code KAFKA_CONNECT_URL}) or a local worker started once the server is up. The server gets the URL at once
     * and answers 503 on search until the node answers.
     */
    record Search(String elasticsearchUrl, boolean localElasticsearch, String connectUrl, boolean localConnect) {}

    private Search search() {
        String esUrl = blankToNull(System.getenv("ELASTICSEARCH_URL"));
        String connectUrl = blankToNull(System.getenv("KAFKA_CONNECT_URL"));
        boolean localEs = esUrl == null;
        if (localEs) {
            int port = intEnv("LOGFLOW_ES_PORT", 9200);
            esUrl = "http://127.0.0.1:" + port;
            Path dir = home.resolve("elasticsearch");
            say("Elasticsearch: starting a local node on 127.0.0.1:%d in the background (data in %s)", port, dir);
            Thread t = new Thread(() -> startElasticsearch(dir, port), "logflow-elasticsearch-start");
            t.setDaemon(true);
            t.start();
        } else {
            say("Elasticsearch: using %s (ELASTICSEARCH_URL)", redact(esUrl));
        }
        if (connectUrl != null) say("Kafka Connect: using %s (KAFKA_CONNECT_URL)", connectUrl);
        boolean localConnect = connectUrl == null;
        if (localConnect) connectUrl = "http://127.0.0.1:" + intEnv("LOGFLOW_CONNECT_PORT", 8083);
        return new Search(esUrl, localEs, connectUrl, localConnect);
    }

    private final CountDownLatch elasticsearchStarted = new CountDownLatch(1);
    private volatile String elasticsearchProblem;

    private void startElasticsearch(Path dir, int port) {
        long t0 = System.nanoTime();
        try {
            LocalElasticsearch es = LocalElasticsearch.start(dir, port);
            synchronized (lifecycle) {
                if (stopping.get()) {
                    es.close();
                    return;
                }
                elasticsearch = es;
            }
            say(
                    "Elasticsearch: ready at %s in %.1f s (Java %s, log %s)",
                    es.url(), seconds(t0), es.javaHome(), dir.resolve("logs").resolve("elasticsearch.log"));
        } catch (RuntimeException e) {
            elasticsearchProblem = e.getMessage();
            if (!stopping.get())
                say("Elasticsearch: not started (%s); search answers 503, everything else works", e.getMessage());
        } finally {
            elasticsearchStarted.countDown();
        }
    }

    /** Once the server is up (its topics exist): the Connect worker and the sink on it, in the background. */
    private void startSink(Search search, String bootstrap) {
        try {
            if (search.localElasticsearch()) {
                elasticsearchStarted.await();
                if (elasticsearchProblem != null || stopping.get()) return;
            }
            if (search.localConnect()) {
                String plugins = System.getProperty("logflow.connectPluginPath", "connectors/target/plugin");
                Path pluginPath = Path.of(plugins).toAbsolutePath().normalize();
                Path dir = home.resolve("connect");
                int port = Integer.parseInt(
                        search.connectUrl().substring(search.connectUrl().lastIndexOf(':') + 1));
                say("Kafka Connect: starting a local worker on 127.0.0.1:%d (plugins %s)", port, pluginPath);
                long t0 = System.nanoTime();
                LocalConnect c = LocalConnect.start(dir, bootstrap, port, List.of(pluginPath));
                synchronized (lifecycle) {
                    if (stopping.get()) {
                        c.close();
                        return;
                    }
                    connect = c;
                }
                say(
                        "Kafka Connect: ready at %s in %.1f s (log %s)",
                        c.url(), seconds(t0), dir.resolve("logs").resolve("connect.log"));
            }
            int tasks = intEnv("LOGFLOW_SEARCH_TASKS", 2);
            SearchSink.register(
                    search.connectUrl(),
                    SearchSink.config(
                            search.elasticsearchUrl(),
                            tasks,
                            search.localElasticsearch() ? 0 : intEnv("LOGFLOW_SEARCH_REPLICAS", 1),
                            intEnv("LOGFLOW_SEARCH_RETENTION", 7)),
                    Duration.ofMinutes(2));
            SearchSink.awaitRunning(search.connectUrl(), tasks, Duration.ofMinutes(2));
            say(
                    "Search: ready — logs and spans flow into Elasticsearch through the %s connector; try curl "
                            + "'%s/api/v1/logs/search?q=error'",
                    SearchSink.NAME, "http://127.0.0.1:" + intEnv("LOGFLOW_PORT", 8080));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopping.get())
                say("Search: the sink did not start (%s); search answers from what is indexed", e.getMessage());
        }
    }

    /** A URL without its credentials, for the terminal. */
    static String redact(String url) {
        return url.replaceFirst("://[^@/]*@", "://***@");
    }

    /** After a stop request: waits until everything is stopped; exit code 0 (stopped as asked). */
    private int awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private void printBanner(
            StateApiProcess s, String bootstrap, Path logFile, Cache cache, String admin, String ingest) {
        String api = "http://127.0.0.1:" + s.port();
        StringBuilder b = new StringBuilder();
        b.append('\n');
        b.append("  LogFlow is up.\n");
        b.append("  API        ")
                .append(api)
                .append("   (the UI: log in as admin; the curls below need -H 'Authorization: Bearer <access_token>'")
                .append(" from\n             curl -XPOST ")
                .append(api)
                .append("/api/v1/auth/login -H 'Content-Type: application/json'")
                .append(" -d '{\"username\":\"admin\",\"password\":\"...\"}')\n");
        b.append("  Live tail  curl -N ").append(api).append("/api/v1/stream/logs\n");
        b.append("  Alerts     curl -N ")
                .append(api)
                .append("/api/v1/stream/alerts   (rules: ")
                .append(api)
                .append("/api/v1/alerts/rules)\n");
        b.append("  Search     curl '")
                .append(api)
                .append("/api/v1/logs/search?q=error'   (the index fills once Elasticsearch and the sink are up,"
                        + " below)\n");
        b.append("  Kafka      ").append(bootstrap).append('\n');
        b.append("  Redis      ").append(cache.summary()).append('\n');
        b.append("  Admin      ").append(admin).append('\n');
        b.append("  Ingest     ").append(ingest).append('\n');
        b.append("  Topics     ");
        try {
            b.append(describeTopics(bootstrap).replace("\n", "\n             "));
        } catch (RuntimeException e) {
            b.append("(could not list: ").append(e.getMessage()).append(')');
        }
        b.append('\n');
        b.append("  Logs       ").append(logFile).append('\n');
        b.append("  Send logs  ./logflow demo   or   curl -XPOST ")
                .append(api)
                .append("/api/v1/logs -H \"Authorization: Bearer $(cat .logflow/ingest-token)\""
                        + " -H 'Content-Type: application/json' -d "
                        + "'{\"service\":\"me\",\"message\":\"hello\"}'\n");
        b.append("  Ctrl-C stops everything.\n");
        System.out.println(b);
        System.out.flush();
    }

    /** The topics on the cluster with partitions and cleanup policy; Kafka Streams' internal topics only counted. */
    static String describeTopics(String bootstrap) {
        try (Admin admin = Admin.create(adminProps(bootstrap))) {
            Set<String> all = new TreeSet<>(admin.listTopics().names().get(10, TimeUnit.SECONDS));
            List<String> shown = all.stream().filter(n -> !isStreamsInternal(n)).toList();
            Map<String, TopicDescription> desc =
                    admin.describeTopics(shown).allTopicNames().get(10, TimeUnit.SECONDS);
            List<ConfigResource> resources = shown.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                    .toList();
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get(10, TimeUnit.SECONDS);
            StringBuilder b = new StringBuilder();
            for (String name : shown) {
                Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
                String policy = c == null || c.get(TopicConfig.CLEANUP_POLICY_CONFIG) == null
                        ? "?"
                        : c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                b.append(String.format(
                        "%-20s %2d partitions, cleanup.policy=%s%n",
                        name, desc.get(name).partitions().size(), policy));
            }
            long internal = all.stream().filter(Up::isStreamsInternal).count();
            b.append("+ ").append(internal).append(" Kafka Streams changelog/repartition topics");
            return b.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static boolean isStreamsInternal(String topic) {
        return topic.endsWith("-changelog") || topic.endsWith("-repartition");
    }

    private static void checkReachable(String bootstrap) {
        try (Admin admin = Admin.create(adminProps(bootstrap))) {
            admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot reach Kafka at " + bootstrap + " within 15 s: " + e.getMessage(), e);
        }
    }

    private static Properties adminProps(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return p;
    }

    /**
     * The server first (it commits and leaves its group while the broker is still there), then PostgreSQL, then the
     * broker.
     */
    private void stopAll() {
        StateApiProcess s;
        LocalKafka k;
        LocalPostgres pg;
        LocalRedis r;
        LocalElasticsearch es;
        LocalConnect c;
        synchronized (lifecycle) {
            if (!stopping.compareAndSet(false, true)) return;
            s = server;
            k = kafka;
            pg = postgres;
            r = redis;
            es = elasticsearch;
            c = connect;
        }
        if (s != null && s.isAlive()) {
            say("LogFlow: stopping the server (pid %d)", s.pid());
            long t0 = System.nanoTime();
            s.close();
            say("LogFlow: server stopped in %.1f s", seconds(t0));
        }
        if (c != null) {
            say("Kafka Connect: stopping the worker");
            c.close();
        }
        if (es != null) {
            say("Elasticsearch: stopping");
            es.close();
        }
        if (r != null) {
            say("Redis: stopping");
            r.close();
        }
        if (pg != null) {
            say("PostgreSQL: stopping");
            try {
                pg.close();
            } catch (RuntimeException e) {
                say("PostgreSQL: stop failed: %s", e.getMessage());
            }
        }
        if (k != null) {
            say("Kafka: stopping the broker");
            long t0 = System.nanoTime();
            k.close();
            say("Kafka: stopped in %.1f s", seconds(t0));
        }
        stopped.countDown();
    }

    /**
     * Off with {@code ./logflow up --no-agent} (system property {@code logflow.otelAgent=false}) or {@code
     * LOGFLOW_OTEL_AGENT=false}.
     */
    private static boolean selfTracing() {
        return OtelAgent.enabled(System.getProperty("logflow.otelAgent"), System.getenv("LOGFLOW_OTEL_AGENT"));
    }

    /** The value the server sees: the user's own, else the one set here. */
    private static String effective(Map<String, String> env, String name) {
        String user = blankToNull(System.getenv(name));
        return user != null ? user : env.getOrDefault(name, "(agent default)");
    }

    private static int intEnv(String name, int dflt) {
        String v = blankToNull(System.getenv(name));
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0 || n > 65535) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got '" + v + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void say(String fmt, Object... args) {
        System.out.println("[logflow] " + String.format(fmt, args));
        System.out.flush();
    }
}
