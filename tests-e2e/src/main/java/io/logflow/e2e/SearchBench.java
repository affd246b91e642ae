package io.logflow.e2e;

import static java.util.Objects.requireNonNull;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import io.logflow.infra.LocalConnect;
import io.logflow.infra.LocalElasticsearch;
import io.logflow.infra.SearchSink;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.schema.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.core5.http.HttpHost;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The full-text search benchmark (issue 15), on a real Elasticsearch started for the run, with LogFlow's sink in a
 * real Kafka Connect worker, against the running LogFlow server:
 *
 * <ol>
 *   <li><b>Sink</b>: N logs produced to {@code logs} as shippers send them → the topology → {@code logflow.logs} → the
 *       sink → the daily indices; logs/s from the first produce until {@code _count} on the alias equals N exactly.
 *       The sink's consumer group is first set to the end of its topics, so it indexes these N logs and nothing the
 *       earlier parts wrote. <em>Baseline</em>, same Elasticsearch, right after: the same ECS documents (read back
 *       from {@code logflow.logs}) bulk-indexed by a plain {@code elasticsearch-java} {@link BulkIngester}, with the
 *       same ids, into a fresh index with the sink's template's settings and mappings; logs/s from the first document
 *       added until {@code _count} equals N. Target: the sink ≥ 0.8× the baseline.
 *   <li><b>Search latency</b> through {@code GET /api/v1/logs/search} on those N logs, at concurrency 1 and C: a
 *       word, a phrase, {@code service:payments AND level:ERROR} over 15 minutes and everything over 24 hours (the
 *       first page always carries the histogram). Beside each, the equivalent request sent straight to
 *       Elasticsearch (the same {@code query_string}, filters, sort, highlight and {@code date_histogram}, without
 *       the point in time), so the API's overhead shows; and Elasticsearch's own {@code took} of both. Target: API
 *       p99 < 100 ms each.
 * </ol>
 *
 * Every wait is bounded; the Connect worker it starts is stopped at the end of the ingest, or by {@link #close}.
 */
final class SearchBench implements AutoCloseable {
    static final double TARGET_SINK_RATIO = 0.8;
    static final double TARGET_P99_MS = 100;
    static final int SINK_TASKS = 2;
    static final String BASELINE_INDEX = "bench-bulk-baseline";
    static final String LOGS_ALIAS = "logflow-logs";
    /** Each latency set stops after this long: a slow query is measured on the requests it answered. */
    static final Duration SET_TIME_LIMIT = Duration.ofSeconds(60);

    static final int PAGE = 50;
    /** The fields a bare word is looked up in, as {@code LogSearch} has them. */
    static final List<String> DEFAULT_FIELDS = List.of(
            EcsJson.MESSAGE, EcsJson.TRACE_ID, EcsJson.SPAN_ID, EcsJson.EVENT_ID, EcsJson.REQUEST_ID, EcsJson.SERVICE);

    /**
     * @param logs logs produced and indexed ({@code --search-logs})
     * @param services the services they come from ({@code --services})
     * @param spread event times over the last this long ({@code --spread-seconds})
     * @param measureSink time the sink and run its BulkIngester baseline (else the logs are only indexed)
     * @param latency run the search latency sets
     * @param requests measured requests per query, concurrency and target (API or Elasticsearch)
     * @param clients the higher concurrency
     * @param pluginPath the folder of LogFlow's Connect plugins
     * @param workDir where the Connect worker keeps its files
     * @param keepLogs where the Connect worker's log is copied when a phase fails
     */
    record Options(
            long logs,
            int services,
            Duration spread,
            boolean measureSink,
            boolean latency,
            int requests,
            int clients,
            Path pluginPath,
            Path workDir,
            Path keepLogs) {
        Options {
            requireNonNull(pluginPath, "pluginPath");
            requireNonNull(workDir, "workDir");
            if (logs < 1 || requests < 1 || clients < 1)
                throw new IllegalArgumentException(
                        "--search-logs, --search-requests and --search-clients must be >= 1");
        }
    }

    /** One query of the latency phase, as the API gets it and as Elasticsearch gets it. */
    record Query(String name, String q, String elasticsearchQuery, Duration range) {}

    static final List<Query> QUERIES = List.of(
            new Query("word", "timeout", "timeout", Duration.ofHours(1)),
            new Query("phrase", "\"connection refused\"", "\"connection refused\"", Duration.ofHours(1)),
            new Query(
                    "service_level_15m",
                    "service:payments AND level:ERROR",
                    "service.name:payments AND log.level:ERROR",
                    Duration.ofMinutes(15)),
            new Query("histogram_24h", "", "", Duration.ofHours(24)));

    private final Options o;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private volatile LocalConnect connect;
    /** The newest event time of the logs produced: the latency phase's ranges end just after it. */
    private volatile long newestEventMillis;

    SearchBench(Options o) {
        this.o = o;
    }

    Map<String, Object> results() {
        return results;
    }

    // ---- the sink --------------------------------------------------------------------------------------------

    /**
     * Starts a Connect worker with LogFlow's sink on {@code elasticsearch}, produces the logs, waits until all are
     * searchable, then (when measured) runs the BulkIngester baseline; stops the worker.
     */
    void ingest(String bootstrap, LocalElasticsearch elasticsearch, long serverPid, long brokerPid) throws Exception {
        ElasticHttp es = new ElasticHttp(elasticsearch.url());
        Map<String, Object> r = new LinkedHashMap<>();
        results.put("sink", r);
        r.put("logs", o.logs());
        r.put("sink_tasks", SINK_TASKS);
        Map<TopicPartition, Long> logsFrom;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // the sink starts where the topics end now: it indexes the logs of this phase, not the earlier parts'
            logsFrom = endOffsets(admin, Topics.LOGS_NORMALIZED.name());
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            logsFrom.forEach((tp, off) -> start.put(tp, new OffsetAndMetadata(off)));
            endOffsets(admin, Topics.SPANS_NORMALIZED.name())
                    .forEach((tp, off) -> start.put(tp, new OffsetAndMetadata(off)));
            admin.alterConsumerGroupOffsets("connect-" + SearchSink.NAME, start)
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        long t0 = System.nanoTime();
        Path dir = o.workDir().resolve("connect");
        boolean ok = false;
        try {
            connect = LocalConnect.start(dir, bootstrap, 0, List.of(o.pluginPath()), "bench-connect");
            SearchSink.register(
                    connect.url(), SearchSink.config(elasticsearch.url(), SINK_TASKS, 0, 0), Duration.ofSeconds(90));
            SearchSink.awaitRunning(connect.url(), SINK_TASKS, Duration.ofSeconds(90));
            Bench.say(
                    "search: Kafka Connect (pid %d) with LogFlow's Elasticsearch sink, %d tasks, RUNNING after %.1f s",
                    connect.pid(), SINK_TASKS, (System.nanoTime() - t0) / 1e9);
            sinkPhase(bootstrap, es, serverPid, brokerPid, elasticsearch.pid(), r);
            if (o.measureSink()) replay(bootstrap, es, elasticsearch.pid(), logsFrom);
            ok = true;
        } finally {
            if (!ok && Files.exists(dir.resolve("logs").resolve("connect.log")) && o.keepLogs() != null) {
                Files.createDirectories(o.keepLogs().toAbsolutePath().getParent());
                Files.copy(
                        dir.resolve("logs").resolve("connect.log"),
                        o.keepLogs(),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Bench.say("the Connect worker's log is kept in %s", o.keepLogs());
            }
            close(); // nothing more to index: the worker would only take cores from what follows
        }
        if (o.measureSink()) baseline(bootstrap, es, elasticsearch, logsFrom);
    }

    static final String REPLAY = "bench-sink-replay";
    static final String REPLAY_ALIAS = "bench-replay-logs";

    /**
     * The connector alone, like for like with the {@link #baseline}: once the topology has written every log of the
     * sink phase to {@code logflow.logs}, a second instance of the sink (its own consumer group, from the same
     * offsets) indexes the same documents again into indices of its own, timed from its registration until its
     * alias counts them all. The sink's figure above also carries the topology, the broker's transactions and the
     * wait for them; this one is what the connector and Connect cost against the BulkIngester reading the same
     * topic. Its indices are deleted afterwards.
     */
    private void replay(String bootstrap, ElasticHttp es, long esPid, Map<TopicPartition, Long> logsFrom)
            throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        results.put("sink_replay", r);
        long total = warmupLogs() + o.logs();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            logsFrom.forEach((tp, off) -> start.put(tp, new OffsetAndMetadata(off)));
            admin.alterConsumerGroupOffsets("connect-" + REPLAY, start).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, String> config = SearchSink.config(es.url(), SINK_TASKS, 0, 0);
        config.put("topics", Topics.LOGS_NORMALIZED.name());
        config.put("logs.index.prefix", REPLAY_ALIAS);
        config.put("spans.index.prefix", "bench-replay-spans");
        Bench.say(
                "search sink, connector alone: a second sink '%s' indexes the same %,d documents from '%s' into '%s'",
                REPLAY, total, Topics.LOGS_NORMALIZED.name(), REPLAY_ALIAS);
        Map<String, java.time.Duration> cpu0 = cpu(0, 0, connect.pid(), esPid);
        long t0 = System.nanoTime();
        SearchSink.register(connect.url(), REPLAY, config, Duration.ofSeconds(90));
        Searchable done = awaitSearchable(es, REPLAY_ALIAS, REPLAY, total, 0, t0, 120 + total / 500, null);
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, java.time.Duration> cpu1 = cpu(0, 0, connect.pid(), esPid);
        for (String index : indices(es, REPLAY_ALIAS).keySet()) es.send("DELETE", "/" + index, null);
        r.put("logs", total);
        r.put("complete", done.incomplete() == null);
        if (done.incomplete() != null) {
            r.put("counted", done.counted());
            Bench.say("search sink, connector alone: incomplete (%s)", done.incomplete());
            return;
        }
        r.put("seconds", Bench.round(secs, 2));
        r.put("first_searchable_seconds", Bench.round((done.firstNanos() - t0) / 1e9, 2));
        r.put("logs_per_s", Bench.round(total / secs, 0));
        Map<String, Object> perLog = new LinkedHashMap<>();
        for (String k : List.of("connect", "elasticsearch", "bench"))
            perLog.put(k, Bench.round((cpu1.get(k).toNanos() - cpu0.get(k).toNanos()) / 1e3 / total, 1));
        r.put("cpu_us_per_log", perLog);
        Bench.say(
                "search sink, connector alone: %,d documents searchable in %.1f s from its registration (the first "
                        + "after %.1f s): %,.0f logs/s; CPU per log: Connect %s µs, Elasticsearch %s µs",
                total,
                secs,
                (done.firstNanos() - t0) / 1e9,
                total / secs,
                perLog.get("connect"),
                perLog.get("elasticsearch"));
    }

    /** Warm-up logs through the sink before the measured ones: a pipeline that runs, as it does in production. */
    long warmupLogs() {
        return Math.max(1_000, o.logs() / 20);
    }

    /** What a wait for {@code _count} came to: the count, when the first document showed, why it stopped short. */
    private record Searchable(long counted, long firstNanos, String incomplete) {}

    /**
     * Polls {@code _count} on the alias every 100 ms until it equals {@code expected}; bounded by {@code timeoutS},
     * 60 s without progress, a count beyond {@code expected} and the worker's exit.
     */
    private Searchable awaitSearchable(
            ElasticHttp es,
            String alias,
            String connector,
            long expected,
            long before,
            long t0,
            long timeoutS,
            java.util.concurrent.Future<?> producing)
            throws IOException, InterruptedException {
        long end = t0 + TimeUnit.SECONDS.toNanos(timeoutS);
        long counted = -1;
        long lastProgress = t0;
        long first = 0;
        long nextSay = t0 + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            long c = es.count(alias);
            long now = System.nanoTime();
            if (c > before && first == 0) first = now;
            if (c > counted) {
                counted = c;
                lastProgress = now;
            }
            if (counted == expected) return new Searchable(counted, first, null);
            if (counted > expected)
                return new Searchable(counted, first, "Elasticsearch counts " + counted + ", more than " + expected);
            if (now > end) return new Searchable(counted, first, "timed out after " + timeoutS + " s");
            if (now - lastProgress > TimeUnit.SECONDS.toNanos(60))
                return new Searchable(counted, first, "no progress for 60 s");
            if (!connect.isRunning()) return new Searchable(counted, first, "the Connect worker exited");
            if (producing != null && producing.isDone()) {
                try {
                    producing.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    return new Searchable(counted, first, "producing the logs failed: " + e.getCause());
                }
            }
            if (now > nextSay) {
                Bench.say(
                        "  ... %,d of %,d searchable after %.0f s (sink %s)",
                        Math.max(0, counted), expected, (now - t0) / 1e9, SearchSink.status(connect.url(), connector));
                nextSay = now + TimeUnit.SECONDS.toNanos(5);
            }
            Thread.sleep(100);
        }
    }

    private IllegalStateException sinkFailed(Searchable s, long expected) throws IOException, InterruptedException {
        return new IllegalStateException("the sink did not make every log searchable: " + s.incomplete() + "; "
                + Math.max(0, s.counted()) + " of " + expected + " searchable; sink " + SearchSink.status(connect.url())
                + "; the worker's log:\n"
                + io.logflow.infra.ChildProcesses.tail(
                        connect.dir().resolve("logs").resolve("connect.log"), 30));
    }

    private void sinkPhase(
            String bootstrap, ElasticHttp es, long serverPid, long brokerPid, long esPid, Map<String, Object> r)
            throws Exception {
        long n = o.logs();
        long w = warmupLogs();
        r.put("warmup_logs", w);
        Bench.say("search sink: warm-up, %,d other logs until all are searchable", w);
        long tw = System.nanoTime();
        java.util.concurrent.FutureTask<Double> warmProducing = producing(bootstrap, w, 7);
        Searchable warm = awaitSearchable(es, LOGS_ALIAS, SearchSink.NAME, w, 0, tw, 120 + w / 500, warmProducing);
        if (warm.incomplete() != null) throw sinkFailed(warm, w);
        warmProducing.get(60, TimeUnit.SECONDS);
        r.put("warmup_seconds", Bench.round((System.nanoTime() - tw) / 1e9, 2));
        r.put("warmup_first_searchable_seconds", Bench.round((warm.firstNanos() - tw) / 1e9, 2));
        Bench.say(
                "  warm-up searchable after %.1f s (the first after %.1f s)",
                (System.nanoTime() - tw) / 1e9, (warm.firstNanos() - tw) / 1e9);

        Map<String, java.time.Duration> cpu0 = cpu(serverPid, brokerPid, connect.pid(), esPid);
        long machine0 = CpuTimes.now(0, 0).machineBusy().toNanos();
        r.put("load_average_before", Bench.loadAverage());
        Bench.say(
                "search sink: producing %,d logs from %d services to '%s'; timing until '%s/_count' is %,d (with the "
                        + "warm-up)",
                n, o.services(), Topics.LOGS.name(), LOGS_ALIAS, w + n);
        long t0 = System.nanoTime();
        // produced on a thread of its own while this one polls: the first searchable log is timed as it shows
        java.util.concurrent.FutureTask<Double> producing = producing(bootstrap, n, 15);
        Searchable done = awaitSearchable(es, LOGS_ALIAS, SearchSink.NAME, w + n, w, t0, 120 + n / 500, producing);
        double produceSecs = done.incomplete() == null ? producing.get(60, TimeUnit.SECONDS) : -1;
        long counted = done.counted();
        long firstSearchable = done.firstNanos();
        String incomplete = done.incomplete();
        long t1 = System.nanoTime();
        double secs = (t1 - t0) / 1e9;
        r.put("produce_seconds", Bench.round(produceSecs, 2));
        if (incomplete != null) {
            r.put("complete", false);
            r.put("counted", counted);
            r.put("logs_per_s", 0.0);
            throw sinkFailed(done, w + n);
        }
        r.put("complete", true);
        r.put("first_searchable_seconds", Bench.round((firstSearchable - t0) / 1e9, 2));
        r.put("seconds", Bench.round(secs, 2));
        r.put("logs_per_s", Bench.round(n / secs, 0));
        r.put("indices", indices(es, LOGS_ALIAS));
        Map<String, java.time.Duration> cpu1 = cpu(serverPid, brokerPid, connect.pid(), esPid);
        Map<String, Object> perLog = new LinkedHashMap<>();
        cpu1.forEach((k, v) ->
                perLog.put(k, Bench.round((v.toNanos() - cpu0.get(k).toNanos()) / 1e3 / n, 1)));
        r.put("cpu_us_per_log", perLog);
        double busy = (CpuTimes.now(0, 0).machineBusy().toNanos() - machine0)
                / 1e9
                / (secs * Runtime.getRuntime().availableProcessors());
        r.put("machine_busy", Bench.round(busy, 3));
        Bench.say(
                "search sink: %,d logs produced → all searchable in %.1f s (the first after %.1f s): %,.0f logs/s",
                n, secs, (firstSearchable - t0) / 1e9, n / secs);
        Bench.say(
                "    CPU per log: server %s µs, broker %s µs, Connect %s µs, Elasticsearch %s µs, bench %s µs; the "
                        + "machine %.0f%% busy",
                perLog.get("server"),
                perLog.get("broker"),
                perLog.get("connect"),
                perLog.get("elasticsearch"),
                perLog.get("bench"),
                busy * 100);
    }

    /** {@link #produce} on a thread of its own, started. */
    private java.util.concurrent.FutureTask<Double> producing(String bootstrap, long n, long seed) {
        java.util.concurrent.FutureTask<Double> task =
                new java.util.concurrent.FutureTask<>(() -> produce(bootstrap, n, seed));
        Thread t = new Thread(task, "search-bench-producer");
        t.setDaemon(true);
        t.start();
        return task;
    }

    /** Produces n logs as {@code Bench} produces its own (JSON, no key), event times over the last spread. */
    private double produce(String bootstrap, long n, long seed) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        TrafficGenerator gen = new TrafficGenerator(o.services(), 0.05, seed);
        long span = Math.max(1, o.spread().toMillis());
        long start = System.currentTimeMillis() - span;
        AtomicLong failures = new AtomicLong();
        AtomicReference<Exception> first = new AtomicReference<>();
        long t0 = System.nanoTime();
        long newest = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long sent = 0;
            while (sent < n) {
                TrafficGenerator.Request req = gen.next(start + span * sent / n);
                for (TrafficGenerator.Log l : req.logs()) {
                    if (sent == n) break;
                    newest = Math.max(newest, l.timestamp());
                    producer.send(
                            new ProducerRecord<>(Topics.LOGS.name(), null, l.timestamp(), null, l.json()), (md, e) -> {
                                if (e != null && failures.getAndIncrement() == 0) first.set(e);
                            });
                    sent++;
                }
            }
            producer.flush();
        }
        if (failures.get() > 0)
            throw new IllegalStateException(failures.get() + " logs could not be produced, first: " + first.get());
        synchronized (this) {
            newestEventMillis = Math.max(newestEventMillis, newest);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * The BulkIngester baseline: the N ECS documents the topology wrote to {@code logflow.logs} (from where the sink
     * started), read back and bulk-indexed by id into {@value #BASELINE_INDEX}, made with the sink's template's
     * settings and mappings; timed from the first document added until {@code _count} is N. The index is deleted
     * afterwards.
     */
    private void baseline(
            String bootstrap, ElasticHttp es, LocalElasticsearch elasticsearch, Map<TopicPartition, Long> from)
            throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        results.put("bulk_baseline", r);
        long n = o.logs();
        JsonNode template = es.must("GET", "/_index_template/" + LOGS_ALIAS, null)
                .get("index_templates")
                .get(0)
                .get("index_template")
                .get("template");
        ObjectNode body = Api.JSON.createObjectNode();
        body.set("settings", template.get("settings"));
        body.set("mappings", template.get("mappings"));
        es.send("DELETE", "/" + BASELINE_INDEX, null);
        es.must("PUT", "/" + BASELINE_INDEX, body.toString());
        r.put("index", BASELINE_INDEX);
        r.put("max_operations", 1000);
        r.put("max_bytes", 5 * 1024 * 1024);
        r.put("max_concurrent_requests", 2 * SINK_TASKS);
        r.put("flush_interval_ms", 200);
        Bench.say(
                "search baseline: the same %,d ECS documents from '%s' (%,d of them a warm-up, as for the sink), "
                        + "bulk-indexed by id into a fresh index '%s' (the sink's template's settings and mappings) by "
                        + "elasticsearch-java's BulkIngester: 1,000 documents or 5 MiB per request, %d in flight",
                warmupLogs() + n, Topics.LOGS_NORMALIZED.name(), warmupLogs(), BASELINE_INDEX, 2 * SINK_TASKS);

        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        Rest5Client rest = Rest5Client.builder(
                        new HttpHost("http", "127.0.0.1", URI.create(es.url()).getPort()))
                .build();
        ElasticsearchClient client = new ElasticsearchClient(new Rest5ClientTransport(rest, new JacksonJsonpMapper()));
        AtomicLong failedItems = new AtomicLong();
        AtomicLong failedRequests = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        BulkListener<Void> listener = new BulkListener<>() {
            @Override
            public void beforeBulk(long id, BulkRequest request, List<Void> contexts) {}

            @Override
            public void afterBulk(long id, BulkRequest request, List<Void> contexts, BulkResponse response) {
                if (!response.errors()) return;
                response.items().forEach(i -> {
                    if (i.error() != null && failedItems.getAndIncrement() == 0)
                        firstFailure.compareAndSet(
                                null, i.error().type() + ": " + i.error().reason());
                });
            }

            @Override
            public void afterBulk(long id, BulkRequest request, List<Void> contexts, Throwable failure) {
                failedRequests.incrementAndGet();
                firstFailure.compareAndSet(null, failure.toString());
            }
        };
        long w = warmupLogs();
        long t0;
        Map<String, java.time.Duration> cpu0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            java.util.ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new java.util.ArrayDeque<>();
            BulkIngester<Void> ingester = BulkIngester.of(b -> b.client(client)
                    .maxOperations(1000)
                    .maxSize(5L * 1024 * 1024)
                    .maxConcurrentRequests(2 * SINK_TASKS)
                    .flushInterval(200, TimeUnit.MILLISECONDS)
                    .listener(listener));
            try {
                // the warm-up: as many of the documents as the sink's warm-up had, until counted
                long tw = System.nanoTime();
                add(consumer, pending, ingester, w, tw + TimeUnit.SECONDS.toNanos(120 + w / 500));
                ingester.flush();
                awaitCount(es, w, failedItems, failedRequests, firstFailure);
                r.put("warmup_seconds", Bench.round((System.nanoTime() - tw) / 1e9, 2));
                cpu0 = cpu(0, 0, 0, elasticsearch.pid());
                t0 = System.nanoTime();
                add(consumer, pending, ingester, n, t0 + TimeUnit.SECONDS.toNanos(120 + n / 500));
            } finally {
                ingester.close(); // flushes, waits for the requests in flight
            }
        } finally {
            rest.close();
        }
        long answered = System.nanoTime();
        awaitCount(es, w + n, failedItems, failedRequests, firstFailure);
        long t1 = System.nanoTime();
        double secs = (t1 - t0) / 1e9;
        Map<String, java.time.Duration> cpu1 = cpu(0, 0, 0, elasticsearch.pid());
        double esUs =
                (cpu1.get("elasticsearch").toNanos() - cpu0.get("elasticsearch").toNanos()) / 1e3 / n;
        double benchUs = (cpu1.get("bench").toNanos() - cpu0.get("bench").toNanos()) / 1e3 / n;
        r.put("seconds", Bench.round(secs, 2));
        r.put("bulk_answered_seconds", Bench.round((answered - t0) / 1e9, 2));
        r.put("logs_per_s", Bench.round(n / secs, 0));
        r.put("cpu_us_per_log", Map.of("elasticsearch", Bench.round(esUs, 1), "bench", Bench.round(benchUs, 1)));
        es.send("DELETE", "/" + BASELINE_INDEX, null);
        Bench.say(
                "search baseline: %,d documents bulk-indexed and all counted in %.1f s (every bulk answered after "
                        + "%.1f s): %,.0f logs/s; CPU per log: Elasticsearch %.1f µs, bench %.1f µs",
                n, secs, (answered - t0) / 1e9, n / secs, esUs, benchUs);
    }

    /** Adds the next {@code count} documents of {@code logflow.logs} to the ingester, by id; bounded by a deadline. */
    private static void add(
            KafkaConsumer<byte[], byte[]> consumer,
            java.util.ArrayDeque<ConsumerRecord<byte[], byte[]>> pending,
            BulkIngester<Void> ingester,
            long count,
            long deadline) {
        long added = 0;
        while (added < count) {
            if (pending.isEmpty()) {
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException("read only " + added + " of " + count + " documents back from "
                            + Topics.LOGS_NORMALIZED.name());
                consumer.poll(Duration.ofMillis(200)).forEach(pending::add);
                continue;
            }
            byte[] doc = pending.poll().value();
            String id = EcsJson.read(doc).eventId();
            BinaryData source = BinaryData.of(doc, ContentType.APPLICATION_JSON);
            ingester.add(op -> op.index(i -> i.index(BASELINE_INDEX).id(id).document(source)));
            added++;
        }
    }

    /** Until the baseline index counts {@code expected}: 60 s at most; a failed bulk fails it at once. */
    private static void awaitCount(
            ElasticHttp es,
            long expected,
            AtomicLong failedItems,
            AtomicLong failedRequests,
            AtomicReference<String> firstFailure)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long counted;
        while ((counted = es.count(BASELINE_INDEX)) != expected) {
            if (failedItems.get() > 0 || failedRequests.get() > 0)
                throw new IllegalStateException("the BulkIngester baseline failed: " + failedItems.get()
                        + " documents, " + failedRequests.get() + " requests, first: " + firstFailure.get());
            if (System.nanoTime() > deadline)
                throw new IllegalStateException(
                        "the baseline index counts " + counted + " of " + expected + " documents after 60 s");
            Thread.sleep(100);
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .size();
        Map<TopicPartition, OffsetSpec> q = new HashMap<>();
        for (int p = 0; p < partitions; p++) q.put(new TopicPartition(topic, p), OffsetSpec.latest());
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(q).all().get(30, TimeUnit.SECONDS).forEach((tp, i) -> out.put(tp, i.offset()));
        return out;
    }

    /** CPU so far of the processes of the search path (0: not measured), and of the bench's own JVM. */
    private static Map<String, java.time.Duration> cpu(long server, long broker, long connect, long elasticsearch) {
        Map<String, java.time.Duration> m = new LinkedHashMap<>();
        m.put("server", CpuTimes.process(server));
        m.put("broker", CpuTimes.process(broker));
        m.put("connect", CpuTimes.process(connect));
        m.put("elasticsearch", CpuTimes.process(elasticsearch));
        m.put("bench", CpuTimes.process(ProcessHandle.current().pid()));
        return m;
    }

    /** The indices behind an alias, with their document counts. */
    private static Map<String, Long> indices(ElasticHttp es, String alias) {
        Map<String, Long> out = new TreeMap<>();
        ElasticHttp.Answer a = es.send("GET", "/_cat/indices/" + alias + "?format=json&h=index,docs.count", null);
        if (!a.ok()) return out;
        for (JsonNode i : a.json())
            out.put(i.get("index").asString(), i.get("docs.count").asLong());
        return out;
    }

    // ---- search latency ----------------------------------------------------------------------------------------

    /**
     * Every query of {@link #QUERIES} through LogFlow's API at {@code api} and straight to Elasticsearch, at
     * concurrency 1 and C: a warm-up of a tenth of the requests (at least 20), then the measured ones.
     */
    void latency(URI api, String elasticsearchUrl) throws InterruptedException {
        if (newestEventMillis == 0) throw new IllegalStateException("ingest() first: the queries search its logs");
        Map<String, Object> r = new LinkedHashMap<>();
        results.put("latency", r);
        // the ranges end just after the newest log: every range holds all of them, however long the phases took
        Instant to = Instant.ofEpochMilli(newestEventMillis).plusSeconds(30);
        r.put("to", to.toString());
        r.put("requests_per_set", o.requests());
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
        int warm = Math.max(20, o.requests() / 10);
        List<Integer> levels = o.clients() == 1 ? List.of(1) : List.of(1, o.clients());
        List<HttpRequest[]> requests = new ArrayList<>();
        List<JsonNode> firstPages = new ArrayList<>();
        for (Query q : QUERIES) {
            Map<String, Object> qr = new LinkedHashMap<>();
            r.put(q.name(), qr);
            Instant from = to.minus(q.range());
            URI apiUri = api.resolve("/api/v1/logs/search?q=" + enc(q.q()) + "&from=" + enc(from.toString()) + "&to="
                    + enc(to.toString()) + "&limit=" + PAGE);
            Api.Answer first =
                    new Api(api).get(apiUri.toString().substring(api.toString().length()));
            if (!first.ok())
                throw new IllegalStateException("the search API answered " + first.status() + " to " + q.name() + ": "
                        + Api.abbreviate(first.body()));
            JsonNode page = first.json();
            String interval = page.get("histogram").get("interval").asString();
            qr.put("q", q.q());
            qr.put("elasticsearch_query", q.elasticsearchQuery());
            qr.put("from", from.toString());
            qr.put("range", q.range().toString());
            qr.put("total", page.get("total").asLong());
            qr.put("total_relation", page.get("totalRelation").asString());
            qr.put("histogram_interval", interval);
            qr.put("histogram_buckets", page.get("histogram").get("buckets").size());
            String esBody = elasticsearchRequest(q, from, to, interval);
            HttpRequest esRequest = HttpRequest.newBuilder(URI.create(elasticsearchUrl + "/" + LOGS_ALIAS + "/_search"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(esBody))
                    .build();
            HttpRequest apiRequest = HttpRequest.newBuilder(apiUri)
                    .timeout(Duration.ofSeconds(30))
                    .headers(BenchAccess.readHeaders())
                    .header("Accept", "application/json")
                    .GET()
                    .build();
            requests.add(new HttpRequest[] {apiRequest, esRequest});
            firstPages.add(page);
        }
        // the server's search path has not run before: every query through both, at the higher concurrency, first
        int warmAll = Math.max(50, o.requests() / 5);
        Bench.say(
                "search latency: warm-up, %d requests of each query to the API and to Elasticsearch at concurrency %d",
                warmAll, o.clients());
        for (HttpRequest[] rq : requests) {
            set(http, rq[0], warmAll, o.clients());
            set(http, rq[1], warmAll, o.clients());
        }
        for (int qi = 0; qi < QUERIES.size(); qi++) {
            Query q = QUERIES.get(qi);
            @SuppressWarnings("unchecked")
            Map<String, Object> qr = (Map<String, Object>) r.get(q.name());
            HttpRequest apiRequest = requests.get(qi)[0];
            HttpRequest esRequest = requests.get(qi)[1];
            JsonNode page = firstPages.get(qi);
            for (int c : levels) {
                set(http, apiRequest, warm, c);
                Map<String, Object> a = set(http, apiRequest, o.requests(), c);
                set(http, esRequest, warm, c);
                Map<String, Object> e = set(http, esRequest, o.requests(), c);
                Map<String, Object> level = new LinkedHashMap<>();
                level.put("api", a);
                level.put("elasticsearch", e);
                qr.put("concurrency_" + c, level);
                Bench.say(
                        "search %s (%s, %s, %,d hits%s) at concurrency %d: API p50 %.1f ms, p99 %.1f ms (took %s/%s "
                                + "ms, %d errors %s); Elasticsearch alone p50 %.1f ms, p99 %.1f ms (took %s/%s ms)",
                        q.name(),
                        q.q().isEmpty() ? "everything" : q.q(),
                        q.range(),
                        page.get("total").asLong(),
                        page.get("totalRelation").asString().equals("gte") ? "+" : "",
                        c,
                        (double) a.get("p50_ms"),
                        (double) a.get("p99_ms"),
                        a.get("took_p50_ms"),
                        a.get("took_p99_ms"),
                        a.get("errors"),
                        a.get("error_kinds"),
                        (double) e.get("p50_ms"),
                        (double) e.get("p99_ms"),
                        e.get("took_p50_ms"),
                        e.get("took_p99_ms"));
            }
        }
        // a first page with more hits than it shows keeps its point in time open for the keep-alive (2 min)
        ElasticHttp.Answer stats = new ElasticHttp(elasticsearchUrl)
                .send("GET", "/_nodes/stats/indices/search?filter_path=nodes.*.indices.search.open_contexts", null);
        if (stats.ok()) {
            long open = 0;
            for (JsonNode node : stats.json().path("nodes"))
                open += node.path("indices")
                        .path("search")
                        .path("open_contexts")
                        .asLong();
            r.put("open_search_contexts_after", open);
            Bench.say("search latency: Elasticsearch holds %,d open search contexts (points in time) at the end", open);
        }
    }

    /**
     * The request {@code LogSearch} sends for a first page, written out for Elasticsearch's REST API: the same {@code
     * query_string} (field names already as the documents have them), range filter, sort, total, highlight and
     * histogram, but on the alias instead of a point in time.
     */
    static String elasticsearchRequest(Query q, Instant from, Instant to, String interval) {
        ObjectNode s = Api.JSON.createObjectNode();
        s.put("size", PAGE + 1);
        ObjectNode bool = s.putObject("query").putObject("bool");
        if (!q.elasticsearchQuery().isEmpty()) {
            ObjectNode qs = bool.putArray("must").addObject().putObject("query_string");
            qs.put("query", q.elasticsearchQuery());
            DEFAULT_FIELDS.forEach(qs.putArray("fields")::add);
            qs.put("default_operator", "and");
            qs.put("lenient", true);
            qs.put("allow_leading_wildcard", false);
            qs.put("analyze_wildcard", true);
        }
        ObjectNode range =
                bool.putArray("filter").addObject().putObject("range").putObject(EcsJson.TIMESTAMP);
        range.put("gte", Long.toString(from.toEpochMilli()));
        range.put("lte", Long.toString(to.toEpochMilli()));
        range.put("format", "epoch_millis");
        var sort = s.putArray("sort");
        sort.addObject().putObject(EcsJson.TIMESTAMP).put("order", "desc").put("format", "epoch_millis");
        sort.addObject().putObject(EcsJson.EVENT_ID).put("order", "desc");
        s.put("track_total_hits", 10_000);
        ObjectNode h = s.putObject("highlight");
        h.put("encoder", "html");
        h.putArray("pre_tags").add("<mark>");
        h.putArray("post_tags").add("</mark>");
        h.put("require_field_match", false);
        h.putObject("fields").putObject(EcsJson.MESSAGE).put("number_of_fragments", 0);
        ObjectNode dh = s.putObject("aggs").putObject("histogram").putObject("date_histogram");
        dh.put("field", EcsJson.TIMESTAMP);
        dh.put("fixed_interval", interval);
        dh.put("min_doc_count", 0);
        dh.putObject("extended_bounds").put("min", from.toEpochMilli()).put("max", to.toEpochMilli());
        return s.toString();
    }

    /**
     * {@code n} requests from {@code concurrency} threads, each taking the next; p50/p99 of the answered ones, and of
     * the {@code tookMs} (API) or {@code took} (Elasticsearch) in their answers. Stops after {@link #SET_TIME_LIMIT}.
     */
    private static Map<String, Object> set(HttpClient http, HttpRequest request, int n, int concurrency)
            throws InterruptedException {
        double[] ms = new double[n];
        double[] took = new double[n];
        boolean[] done = new boolean[n];
        Map<String, AtomicLong> kinds = new ConcurrentHashMap<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> crashed = new ConcurrentLinkedQueue<>();
        long t0 = System.nanoTime();
        long stopAt = t0 + SET_TIME_LIMIT.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            Thread th = new Thread(
                    () -> {
                        try {
                            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                                if (System.nanoTime() > stopAt) return;
                                String failure = null;
                                String body = null;
                                long s = System.nanoTime();
                                try {
                                    HttpResponse<String> a = http.send(request, HttpResponse.BodyHandlers.ofString());
                                    if (a.statusCode() != 200) failure = "HTTP " + a.statusCode();
                                    else body = a.body();
                                } catch (IOException e) {
                                    failure = e.getClass().getSimpleName();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                    failure = "interrupted";
                                }
                                ms[i] = (System.nanoTime() - s) / 1e6;
                                done[i] = true;
                                took[i] = body == null ? -1 : tookOf(body);
                                if (failure != null) {
                                    errors.incrementAndGet();
                                    kinds.computeIfAbsent(failure, k -> new AtomicLong())
                                            .incrementAndGet();
                                }
                            }
                        } catch (Throwable e) {
                            crashed.add(e);
                        }
                    },
                    "search-bench-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join(SET_TIME_LIMIT.toMillis() + 60_000);
        if (!crashed.isEmpty()) throw new IllegalStateException("a search client failed: " + crashed.peek());
        double secs = (System.nanoTime() - t0) / 1e9;
        double[] sorted = new double[n];
        double[] tooks = new double[n];
        int count = 0, tookCount = 0;
        for (int i = 0; i < n; i++) {
            if (!done[i]) continue;
            sorted[count++] = ms[i];
            if (took[i] >= 0) tooks[tookCount++] = took[i];
        }
        if (count == 0) throw new IllegalStateException("no search request was answered within " + SET_TIME_LIMIT);
        sorted = Arrays.copyOf(sorted, count);
        tooks = Arrays.copyOf(tooks, tookCount);
        Arrays.sort(sorted);
        Arrays.sort(tooks);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", count);
        m.put("requests_planned", n);
        m.put("errors", errors.get());
        Map<String, Long> k = new TreeMap<>();
        kinds.forEach((key, v) -> k.put(key, v.get()));
        m.put("error_kinds", k);
        m.put("p50_ms", Bench.round(Bench.percentile(sorted, 50), 2));
        m.put("p90_ms", Bench.round(Bench.percentile(sorted, 90), 2));
        m.put("p99_ms", Bench.round(Bench.percentile(sorted, 99), 2));
        m.put("max_ms", Bench.round(sorted[sorted.length - 1], 2));
        m.put("per_s", Bench.round(count / secs, 0));
        if (tooks.length > 0) {
            m.put("took_p50_ms", Bench.round(Bench.percentile(tooks, 50), 1));
            m.put("took_p99_ms", Bench.round(Bench.percentile(tooks, 99), 1));
        }
        return m;
    }

    /** Elasticsearch's {@code took} in an answer: {@code tookMs} in LogFlow's, {@code took} in its own; -1 if none. */
    static double tookOf(String body) {
        int at = body.indexOf("\"tookMs\":");
        int len = "\"tookMs\":".length();
        if (at < 0) {
            at = body.indexOf("\"took\":");
            len = "\"took\":".length();
        }
        if (at < 0) return -1;
        int i = at + len, j = i;
        while (j < body.length() && (Character.isDigit(body.charAt(j)) || body.charAt(j) == '.')) j++;
        return j > i ? Double.parseDouble(body.substring(i, j)) : -1;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- summary ----------------------------------------------------------------------------------------------

    /** {@code bench search: …}: the sink against its baseline, and every query's p50/p99 against the target. */
    @SuppressWarnings("unchecked")
    String summary() {
        StringBuilder s = new StringBuilder(
                String.format(Locale.ROOT, "bench search: %,d logs from %d services", o.logs(), o.services()));
        Map<String, Object> targets = new LinkedHashMap<>();
        if (results.get("sink") instanceof Map<?, ?> sinkRaw && o.measureSink()) {
            Map<String, Object> sink = (Map<String, Object>) sinkRaw;
            Map<String, Object> base = (Map<String, Object>) results.get("bulk_baseline");
            double a = sink.get("logs_per_s") instanceof Double d ? d : 0;
            double b = base != null && base.get("logs_per_s") instanceof Double d ? d : 0;
            double ratio = b == 0 ? 0 : a / b;
            boolean met = Boolean.TRUE.equals(sink.get("complete")) && b > 0 && ratio >= TARGET_SINK_RATIO;
            results.put("sink_to_baseline", Bench.round(ratio, 3));
            results.put("sink_target_met", met);
            targets.put("sink_to_baseline_min", TARGET_SINK_RATIO);
            s.append(String.format(
                    Locale.ROOT,
                    " | sink: produced → all searchable %,.0f logs/s vs BulkIngester straight into Elasticsearch "
                            + "%,.0f logs/s = %.2f× [target >= 0.8×: %s]",
                    a,
                    b,
                    ratio,
                    met ? "met" : "MISSED"));
            if (results.get("sink_replay") instanceof Map<?, ?> replay
                    && replay.get("logs_per_s") instanceof Double c) {
                results.put("connector_to_baseline", Bench.round(b == 0 ? 0 : c / b, 3));
                s.append(String.format(
                        Locale.ROOT,
                        "; the connector alone (the same documents from '%s') %,.0f logs/s = %.2f×",
                        Topics.LOGS_NORMALIZED.name(),
                        c,
                        b == 0 ? 0 : c / b));
            }
        }
        if (results.get("latency") instanceof Map<?, ?> latRaw) {
            Map<String, Object> lat = (Map<String, Object>) latRaw;
            boolean allMet = true;
            StringBuilder q = new StringBuilder();
            for (Query query : QUERIES) {
                if (!(lat.get(query.name()) instanceof Map<?, ?> qrRaw)) continue;
                Map<String, Object> qr = (Map<String, Object>) qrRaw;
                StringBuilder levels = new StringBuilder();
                for (var e : qr.entrySet()) {
                    if (!e.getKey().startsWith("concurrency_")) continue;
                    Map<String, Object> level = (Map<String, Object>) e.getValue();
                    Map<String, Object> a = (Map<String, Object>) level.get("api");
                    Map<String, Object> es = (Map<String, Object>) level.get("elasticsearch");
                    boolean met = (double) a.get("p99_ms") < TARGET_P99_MS && (int) a.get("errors") == 0;
                    allMet &= met;
                    if (levels.length() > 0) levels.append(", ");
                    levels.append(String.format(
                            Locale.ROOT,
                            "c=%s %.1f/%.1f ms (Elasticsearch alone %.1f/%.1f)%s",
                            e.getKey().substring("concurrency_".length()),
                            (double) a.get("p50_ms"),
                            (double) a.get("p99_ms"),
                            (double) es.get("p50_ms"),
                            (double) es.get("p99_ms"),
                            met ? "" : "!"));
                }
                if (q.length() > 0) q.append("; ");
                q.append(query.name()).append(' ').append(levels);
            }
            results.put("latency_target_met", allMet);
            targets.put("search_p99_ms_max", TARGET_P99_MS);
            s.append(" | search p50/p99: ")
                    .append(q)
                    .append(String.format(
                            Locale.ROOT, " [target p99 < 100 ms (! = not): %s]", allMet ? "met" : "MISSED"));
        }
        results.put("targets", targets);
        return s.toString();
    }

    /** Stops the Connect worker, if it runs. Idempotent. */
    @Override
    public synchronized void close() {
        LocalConnect c = connect;
        connect = null;
        if (c != null) c.close();
    }
}
