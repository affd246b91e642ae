package io.logflow.e2e;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntConsumer;
import tools.jackson.databind.JsonNode;

/**
 * The trace benchmark, LogFlow against Zipkin server (in-memory storage) on the same machine, one
 * after the other, fed the same spans:
 *
 * <ol>
 *   <li><b>Ingest</b>: N realistic traces ({@link TraceGenerator}, about ten spans each) are made up
 *       front and encoded once — batches of {@value #BATCH_SPANS} spans as OTLP protobuf for
 *       LogFlow's {@code POST /v1/traces} and as Zipkin v2 JSON for Zipkin's {@code POST
 *       /api/v2/spans}; encoding is not timed. The same number of concurrent clients POST every
 *       batch; non-2xx answers are failures (reported, their spans not expected). LogFlow's rate is
 *       spans / (first POST until every span is queryable): until {@code
 *       /api/v1/services/{name}/operations} counts exactly the spans sent per service, then a sample
 * (the last trace of every batch, at most {@value #MAX_CHECKED} batches evenly spread) must show all its spans in
 * {@code GET /api/v1/traces/{id}}.
 *       Zipkin's in-memory storage stores a span before its POST is answered, so its rate is spans /
 *       (first POST until the last POST is answered); the same sample is read back through {@code GET
 *       /api/v2/trace/{id}} to verify it.
 *   <li><b>Trace by id</b>: the same random sample of trace ids (after a warm-up of other ids)
 *       against {@code GET /api/v1/traces/{id}} and {@code GET /api/v2/trace/{id}} at concurrency 1
 *       and at the ingest concurrency; p50/p99. Each set stops after {@link #LOOKUP_TIME_LIMIT}
 *       (the number done is reported).
 * </ol>
 *
 * Before each server's measured ingest, a warm-up set of other traces (by default as many as
 * measured, like the log benchmark's warm-up) goes through the same path, so both are measured
 * warm, as a server runs in production, not while their JIT compilers still work. Every phase is bounded. A
 * benchmark, not a test: nothing here passes or fails a build.
 */
final class TraceBench {
    static final int BATCH_SPANS = 100;
    /**
     * Sample traces read back after the ingest: the exact check is the per-service count, this one confirms it trace by
     * trace.
     */
    static final int MAX_CHECKED = 500;
    /**
     * Each set of lookups stops after this long, whichever server: a slow one is measured on the lookups it answered.
     */
    static final Duration LOOKUP_TIME_LIMIT = Duration.ofSeconds(60);

    static final String LOGFLOW_TRACES = "/v1/traces";
    static final String ZIPKIN_SPANS = "/api/v2/spans";

    /**
     * @param traces measured traces
     * @param warmupTraces other traces sent first, through the same path, to each server
     * @param clients concurrent ingest clients, and the higher lookup concurrency
     * @param lookups trace-by-id lookups per server and concurrency
     * @param lookupWarmup lookups of other ids before each measured set
     * @param zipkinJar Zipkin server's exec jar
     * @param zipkinJvmOptions e.g. the heap
     * @param zipkinLogKeep where Zipkin's log is copied when a phase fails
     */
    record Options(
            int traces,
            int warmupTraces,
            int clients,
            int lookups,
            int lookupWarmup,
            Path zipkinJar,
            List<String> zipkinJvmOptions,
            Path workDir,
            Path zipkinLogKeep) {
        Options {
            requireNonNull(zipkinJar, "zipkinJar");
            requireNonNull(workDir, "workDir");
            requireNonNull(zipkinLogKeep, "zipkinLogKeep");
            zipkinJvmOptions = List.copyOf(zipkinJvmOptions);
            if (traces < 1 || warmupTraces < 1 || clients < 1 || lookups < 1 || lookupWarmup < 0) {
                throw new IllegalArgumentException(
                        "--traces, --trace-warmup, --trace-clients and --lookups must be >= 1");
            }
        }
    }

    /** One batch, encoded both ways, with what it holds. */
    record Batch(
            byte[] otlp,
            byte[] zipkin,
            int spans,
            Map<String, Integer> spansByService,
            Map<String, Integer> spansByTrace,
            String lastTraceId) {}

    /** What the ingest of a set of batches did. */
    record Ingest(
            int posts,
            int failedPosts,
            Map<String, Long> failureKinds,
            long rejectedSpans,
            boolean[] failed,
            long startNanos,
            long endNanos) {
        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    private final Options o;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private long serverPid;
    private long brokerPid;
    /** What {@link #run} made and sent, kept for {@link #zipkinOnElasticsearch}: the same spans, the same ids. */
    private List<Batch> warmBatches;

    private List<Batch> batches;
    private List<String> checkIds;
    private String[] lookupIds;
    private String[] warmIds;

    TraceBench(Options o) {
        this.o = o;
    }

    /** Results so far, in the order measured; complete once {@link #run} returned. */
    Map<String, Object> results() {
        return results;
    }

    /**
     * Every phase against the LogFlow server at {@code logflow} (running, healthy), then Zipkin. The
     * CPU time of the processes (LogFlow's server and broker, Zipkin) is measured over each ingest.
     */
    void run(URI logflow, long serverPid, long brokerPid) throws Exception {
        this.serverPid = serverPid;
        this.brokerPid = brokerPid;
        results.put(
                "comparison",
                "LogFlow (its server and Kafka broker) and Zipkin server (in-memory storage) run on this same "
                        + "machine, one after the other, never loaded at once");
        long genStart = System.nanoTime();
        // start times in the recent past: inside LogFlow's trace retention and its 60-minute operation metrics
        long now = System.currentTimeMillis() * 1_000_000L;
        long spreadNanos = TimeUnit.MINUTES.toNanos(8);
        List<TraceGenerator.Trace> warmTraces =
                generate(o.warmupTraces(), 7, now - TimeUnit.MINUTES.toNanos(11), TimeUnit.MINUTES.toNanos(1));
        List<TraceGenerator.Trace> traces =
                generate(o.traces(), 20_26, now - TimeUnit.MINUTES.toNanos(10), spreadNanos);
        List<Batch> warmBatches = batches(warmTraces);
        List<Batch> batches = batches(traces);
        describe(traces, batches, warmTraces, (System.nanoTime() - genStart) / 1e9);

        // the same ids for both servers: to read back after ingest, and to look up
        List<String> checkIds = checkIds(batches);
        SplittableRandom pick = new SplittableRandom(42);
        List<String> all = new ArrayList<>(
                traces.stream().map(TraceGenerator.Trace::traceId).toList());
        Collections.shuffle(all, new java.util.Random(pick.nextLong()));
        String[] lookupIds = sample(all, 0, o.lookups());
        String[] warmIds = sample(all, o.lookups(), o.lookupWarmup());
        this.warmBatches = warmBatches;
        this.batches = batches;
        this.checkIds = checkIds;
        this.lookupIds = lookupIds;
        this.warmIds = warmIds;

        Map<String, Object> lf = new LinkedHashMap<>();
        results.put("logflow", lf);
        logflowPhase(logflow, warmBatches, batches, checkIds, lookupIds, warmIds, lf);

        Map<String, Object> zk = new LinkedHashMap<>();
        results.put("zipkin", zk);
        zipkinPhase(warmBatches, batches, checkIds, lookupIds, warmIds, zk);
    }

    // ---- data ----------------------------------------------------------------------------------------

    private static List<TraceGenerator.Trace> generate(int n, long seed, long fromNanos, long spreadNanos) {
        TraceGenerator gen = new TraceGenerator(seed);
        List<TraceGenerator.Trace> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(gen.next(fromNanos + spreadNanos / n * i));
        return out;
    }

    /**
     * Consecutive spans of consecutive traces, {@value #BATCH_SPANS} a batch (a trace may straddle two), encoded both
     * ways.
     */
    static List<Batch> batches(List<TraceGenerator.Trace> traces) {
        List<Batch> out = new ArrayList<>();
        List<TraceGenerator.Span> current = new ArrayList<>(BATCH_SPANS);
        for (TraceGenerator.Trace t : traces) {
            for (TraceGenerator.Span s : t.spans()) {
                current.add(s);
                if (current.size() == BATCH_SPANS) {
                    out.add(batch(current));
                    current = new ArrayList<>(BATCH_SPANS);
                }
            }
        }
        if (!current.isEmpty()) out.add(batch(current));
        return out;
    }

    private static Batch batch(List<TraceGenerator.Span> spans) {
        Map<String, Integer> byService = new TreeMap<>();
        Map<String, Integer> byTrace = new LinkedHashMap<>();
        for (TraceGenerator.Span s : spans) {
            byService.merge(s.service(), 1, Integer::sum);
            byTrace.merge(s.traceIdHex(), 1, Integer::sum);
        }
        return new Batch(
                TraceEncoding.otlp(spans),
                TraceEncoding.zipkin(spans),
                spans.size(),
                byService,
                byTrace,
                spans.get(spans.size() - 1).traceIdHex());
    }

    private void describe(
            List<TraceGenerator.Trace> traces, List<Batch> batches, List<TraceGenerator.Trace> warm, double secs) {
        long spans = 0;
        long errorTraces = 0;
        Map<String, Long> kinds = new TreeMap<>();
        for (TraceGenerator.Trace t : traces) {
            spans += t.spans().size();
            if (t.spans().stream().anyMatch(TraceGenerator.Span::error)) errorTraces++;
            for (TraceGenerator.Span s : t.spans()) kinds.merge(s.kind().name(), 1L, Long::sum);
        }
        long otlpBytes = batches.stream().mapToLong(b -> b.otlp().length).sum();
        long zipkinBytes = batches.stream().mapToLong(b -> b.zipkin().length).sum();
        long warmSpans = warm.stream().mapToLong(t -> t.spans().size()).sum();
        results.put("traces", traces.size());
        results.put("spans", spans);
        results.put("spans_per_trace", Bench.round((double) spans / traces.size(), 2));
        results.put("error_trace_ratio", Bench.round((double) errorTraces / traces.size(), 3));
        results.put("span_kinds", kinds);
        results.put("services", TraceGenerator.SERVICES);
        results.put("batch_spans", BATCH_SPANS);
        results.put("batches", batches.size());
        results.put("otlp_protobuf_bytes_per_batch", otlpBytes / batches.size());
        results.put("zipkin_json_bytes_per_batch", zipkinBytes / batches.size());
        results.put("ingest_clients", o.clients());
        results.put("warmup_traces", warm.size());
        results.put("warmup_spans", warmSpans);
        Bench.say(
                "traces: %,d traces, %,d spans (%.1f per trace, %.1f%% of traces with an error), %d batches of %d "
                        + "spans: OTLP protobuf %,d B, Zipkin JSON %,d B per batch (made in %.1f s); warm-up: %,d "
                        + "other traces",
                traces.size(),
                spans,
                (double) spans / traces.size(),
                100.0 * errorTraces / traces.size(),
                batches.size(),
                BATCH_SPANS,
                otlpBytes / batches.size(),
                zipkinBytes / batches.size(),
                secs,
                warm.size());
    }

    /** The last trace of every batch, or of evenly spread batches when there are more than {@value #MAX_CHECKED}. */
    static List<String> checkIds(List<Batch> batches) {
        int step = (batches.size() + MAX_CHECKED - 1) / MAX_CHECKED;
        List<String> out = new ArrayList<>();
        for (int i = batches.size() - 1; i >= 0; i -= step)
            out.add(batches.get(i).lastTraceId());
        Collections.reverse(out);
        return out.stream().distinct().toList();
    }

    private static String[] sample(List<String> shuffled, int from, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = shuffled.get((from + i) % shuffled.size());
        return out;
    }

    // ---- LogFlow ------------------------------------------------------------------------------------

    private void logflowPhase(
            URI base,
            List<Batch> warm,
            List<Batch> batches,
            List<String> checkIds,
            String[] lookupIds,
            String[] warmIds,
            Map<String, Object> r)
            throws InterruptedException {
        HttpClient http = newClient();
        Api api = new Api(base);
        URI ingestUri = base.resolve(LOGFLOW_TRACES);
        Function<Batch, HttpRequest> post = b -> HttpRequest.newBuilder(ingestUri)
                .timeout(Duration.ofSeconds(60))
                .headers(BenchAccess.ingestHeaders())
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.otlp()))
                .build();
        Map<String, Long> expected = new TreeMap<>();

        Bench.say("LogFlow: warm-up, %,d batches through POST %s", warm.size(), LOGFLOW_TRACES);
        Ingest w = ingest(http, warm, post, true);
        addExpected(expected, warm, w);
        Counted wc = awaitCounts(api, expected, System.nanoTime(), "warm-up");
        if (!wc.complete())
            throw new IllegalStateException(
                    "LogFlow did not count the warm-up spans: " + wc.counts() + " of " + expected);

        r.put("load_average_before", Bench.loadAverage());
        Bench.say("LogFlow: ingest, %,d batches of %d spans from %d clients", batches.size(), BATCH_SPANS, o.clients());
        CpuTimes cpu0 = CpuTimes.now(serverPid, brokerPid);
        Ingest in = ingest(http, batches, post, true);
        long sent = addExpected(expected, batches, in);
        putIngest(r, in, sent);
        Bench.say(
                "LogFlow: all %,d POSTs answered after %.2f s (%,d failed %s, %,d spans rejected); waiting until "
                        + "every span is queryable",
                in.posts(), in.seconds(), in.failedPosts(), in.failureKinds(), in.rejectedSpans());
        Counted c = awaitCounts(api, expected, in.startNanos(), "ingest");
        CpuTimes countedCpu = CpuTimes.now(serverPid, brokerPid);
        r.put("operations_counts", c.counts());
        r.put("operations_counts_expected", expected);
        if (!c.complete()) {
            r.put("complete", false);
            double secs = (c.atNanos() - in.startNanos()) / 1e9;
            r.put("queryable_seconds", Bench.round(secs, 2));
            r.put("spans_per_s", 0.0);
            Bench.say("LogFlow: INCOMPLETE: the operations count %s, expected %s", c.counts(), expected);
        } else {
            Check check = checkSample(
                    checkIds, id -> logflowSpanCount(api, id), expectedByTrace(batches, in), c.atNanos(), true);
            long end = check.retriedUntilNanos() > 0 ? check.retriedUntilNanos() : c.atNanos();
            double secs = (end - in.startNanos()) / 1e9;
            r.put("complete", check.mismatched() == 0);
            r.put("counts_exact_seconds", Bench.round((c.atNanos() - in.startNanos()) / 1e9, 2));
            r.put("queryable_seconds", Bench.round(secs, 2));
            r.put("spans_per_s", Bench.round(sent / secs, 0));
            r.put("sample_traces_checked", check.checked());
            r.put("sample_traces_mismatched", check.mismatched());
            r.put("sample_check_seconds", Bench.round(check.seconds(), 2));
            // until the counts were exact: the sample check's lookups after it are not ingest
            CpuTimes cpu = countedCpu.minus(cpu0);
            Bench.say(
                    "LogFlow: every span queryable after %.2f s: %,.0f spans/s (operations exact after %.2f s; %,d "
                            + "sample traces complete in /api/v1/traces/{id}, %d not%s)",
                    secs,
                    sent / secs,
                    (c.atNanos() - in.startNanos()) / 1e9,
                    check.checked() - check.mismatched(),
                    check.mismatched(),
                    check.mismatched() > 0 ? ": " + check.firstMismatch() : "");
            cpu.report(sent, "span", (c.atNanos() - in.startNanos()) / 1e9, r, "ingest");
        }

        r.put("lookups", lookups(http, id -> base.resolve("/api/v1/traces/" + id), lookupIds, warmIds, "LogFlow"));
    }

    /** Adds the spans of the batches that were accepted; returns how many. */
    private static long addExpected(Map<String, Long> expected, List<Batch> batches, Ingest in) {
        long sent = 0;
        for (int i = 0; i < batches.size(); i++) {
            if (in.failed()[i]) continue;
            batches.get(i).spansByService().forEach((s, n) -> expected.merge(s, (long) n, Long::sum));
            sent += batches.get(i).spans();
        }
        return sent;
    }

    private static Map<String, Integer> expectedByTrace(List<Batch> batches, Ingest in) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < batches.size(); i++) {
            if (!in.failed()[i]) batches.get(i).spansByTrace().forEach((t, n) -> out.merge(t, n, Integer::sum));
        }
        return out;
    }

    private static void putIngest(Map<String, Object> r, Ingest in, long sent) {
        r.put("posts", in.posts());
        r.put("failed_posts", in.failedPosts());
        r.put("failure_kinds", in.failureKinds());
        r.put("rejected_spans", in.rejectedSpans());
        r.put("spans_accepted", sent);
        r.put("posts_seconds", Bench.round(in.seconds(), 2));
        r.put("posts_spans_per_s", Bench.round(sent / in.seconds(), 0));
    }

    record Counted(boolean complete, Map<String, Long> counts, long atNanos) {}

    /**
     * Polls {@code /api/v1/services/{name}/operations?minutes=60} (one call per service) until every
     * total equals the expected count. Bounded: gives up after 60 s without progress or 60 s + 1 ms
     * per expected span.
     */
    private static Counted awaitCounts(Api api, Map<String, Long> expected, long t0, String what)
            throws InterruptedException {
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60) + TimeUnit.MILLISECONDS.toNanos(total);
        long lastSum = -1;
        long lastProgress = System.nanoTime();
        long nextSay = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Map<String, Long> counts = new TreeMap<>();
            boolean exact = true;
            long sum = 0;
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                long n = operationsTotal(api, e.getKey());
                counts.put(e.getKey(), n);
                sum += Math.max(0, n);
                if (n != e.getValue()) exact = false;
            }
            long now = System.nanoTime();
            if (exact) return new Counted(true, counts, now);
            if (sum > lastSum) {
                lastSum = sum;
                lastProgress = now;
            }
            if (now > deadline || now - lastProgress > TimeUnit.SECONDS.toNanos(60))
                return new Counted(false, counts, lastProgress);
            if (now > nextSay) {
                Bench.say("  ... %s: %,d of %,d spans counted after %.0f s", what, sum, total, (now - t0) / 1e9);
                nextSay = now + TimeUnit.SECONDS.toNanos(5);
            }
            Thread.sleep(50);
        }
    }

    /** The service's span count over the last hour; 0 when it has none (404), -1 when the API did not answer. */
    private static long operationsTotal(Api api, String service) {
        Api.Answer a = api.get("/api/v1/services/" + service + "/operations?minutes=60");
        if (a.status() == 404) return 0;
        if (!a.ok()) return -1;
        return a.json().get("total").get("count").asLong();
    }

    /** Spans of a trace in GET /api/v1/traces/{id}; 0 when unknown. */
    private static int logflowSpanCount(Api api, String traceId) {
        Api.Answer a = api.get("/api/v1/traces/" + traceId);
        if (a.status() == 404) return 0;
        if (!a.ok()) return -1;
        JsonNode spans = a.json().get("spans");
        return spans == null ? -1 : spans.size();
    }

    // ---- Zipkin -------------------------------------------------------------------------------------

    private void zipkinPhase(
            List<Batch> warm,
            List<Batch> batches,
            List<String> checkIds,
            String[] lookupIds,
            String[] warmIds,
            Map<String, Object> r)
            throws Exception {
        long spans = batches.stream().mapToLong(Batch::spans).sum()
                + warm.stream().mapToLong(Batch::spans).sum();
        long maxSpans =
                Math.max(500_000, 2 * spans); // its in-memory store drops the oldest traces beyond MEM_MAX_SPANS
        Path log = o.workDir().resolve("zipkin.log");
        Bench.say(
                "Zipkin: starting %s (STORAGE_TYPE=mem, MEM_MAX_SPANS=%d, %s, Java %s)",
                o.zipkinJar().getFileName(),
                maxSpans,
                String.join(" ", o.zipkinJvmOptions()),
                System.getProperty("java.version"));
        boolean ok = false;
        long t0 = System.nanoTime();
        ZipkinProcess zipkin = ZipkinProcess.start(o.zipkinJar(), log, maxSpans, o.zipkinJvmOptions());
        try {
            zipkin.awaitHealthy(Duration.ofSeconds(120));
            r.put("jar", o.zipkinJar().getFileName().toString());
            r.put("storage", "mem");
            r.put("jvm_options", o.zipkinJvmOptions());
            r.put("java", System.getProperty("java.version"));
            r.put("start_seconds", Bench.round((System.nanoTime() - t0) / 1e9, 2));
            Bench.say(
                    "Zipkin: healthy after %.1f s on %s (pid %d)",
                    (System.nanoTime() - t0) / 1e9, zipkin.baseUri(), zipkin.pid());
            HttpClient http = newClient();
            URI base = zipkin.baseUri();
            URI ingestUri = base.resolve(ZIPKIN_SPANS);
            Function<Batch, HttpRequest> post = b -> HttpRequest.newBuilder(ingestUri)
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(b.zipkin()))
                    .build();

            Bench.say("Zipkin: warm-up, %,d batches through POST %s", warm.size(), ZIPKIN_SPANS);
            ingest(http, warm, post, false);

            r.put("load_average_before", Bench.loadAverage());
            Bench.say(
                    "Zipkin: ingest, %,d batches of %d spans from %d clients",
                    batches.size(), BATCH_SPANS, o.clients());
            CpuTimes cpu0 = CpuTimes.now(zipkin.pid(), brokerPid); // LogFlow's broker idles: its share shows the noise
            Ingest in = ingest(http, batches, post, false);
            CpuTimes cpu = CpuTimes.now(zipkin.pid(), brokerPid).minus(cpu0);
            long sent = addExpected(new TreeMap<>(), batches, in);
            putIngest(r, in, sent);
            // in-memory storage is written before the POST is answered: queryable when the last POST is answered
            r.put("queryable_seconds", Bench.round(in.seconds(), 2));
            r.put("spans_per_s", Bench.round(sent / in.seconds(), 0));
            Api api = new Api(base);
            Check check = checkSample(
                    checkIds, id -> zipkinSpanCount(api, id), expectedByTrace(batches, in), System.nanoTime(), false);
            r.put("complete", check.mismatched() == 0);
            r.put("sample_traces_checked", check.checked());
            r.put("sample_traces_mismatched", check.mismatched());
            r.put("sample_check_seconds", Bench.round(check.seconds(), 2));
            Bench.say(
                    "Zipkin: all %,d POSTs answered after %.2f s (%,d failed %s): %,.0f spans/s; read back: %,d "
                            + "sample traces complete in /api/v2/trace/{id}, %d not%s",
                    in.posts(),
                    in.seconds(),
                    in.failedPosts(),
                    in.failureKinds(),
                    sent / in.seconds(),
                    check.checked() - check.mismatched(),
                    check.mismatched(),
                    check.mismatched() > 0 ? ": " + check.firstMismatch() : "");
            cpu.report(sent, "span", in.seconds(), r, "ingest");

            r.put("lookups", lookups(http, id -> base.resolve("/api/v2/trace/" + id), lookupIds, warmIds, "Zipkin"));
            ok = true;
        } finally {
            if (!ok && Files.exists(log)) {
                Files.createDirectories(o.zipkinLogKeep().toAbsolutePath().getParent());
                Files.copy(log, o.zipkinLogKeep());
                Bench.say("Zipkin's log is kept in %s", o.zipkinLogKeep());
            }
            zipkin.close();
        }
    }

    // ---- Zipkin on Elasticsearch: the durable peer ------------------------------------------------------

    /** Zipkin's span documents in Elasticsearch: {@code zipkin-span-yyyy-MM-dd}, one per span. */
    static final String ZIPKIN_SPAN_INDICES = "zipkin*span-*";

    /**
     * After {@link #run}: Zipkin server a second time, with {@code STORAGE_TYPE=elasticsearch} on the Elasticsearch at
     * {@code elasticsearchUrl} (run by the JDK at {@code javaHome}: it needs Java 21+), fed the same warm-up and
     * measured batches from the same clients and asked for the same ids. Its storage is durable and, like LogFlow's,
     * queryable only after a refresh, so its rate is measured as LogFlow's is: from the first POST until
     * Elasticsearch counts exactly the spans sent ({@value #ZIPKIN_SPAN_INDICES}) and the sample traces read back
     * complete through {@code GET /api/v2/trace/{id}}. CPU per span: Zipkin's and Elasticsearch's.
     */
    void zipkinOnElasticsearch(String elasticsearchUrl, long elasticsearchPid, Path javaHome) throws Exception {
        if (batches == null) throw new IllegalStateException("run() first: the spans are the ones it sent");
        Map<String, Object> r = new LinkedHashMap<>();
        results.put("zipkin_elasticsearch", r);
        ElasticHttp es = new ElasticHttp(elasticsearchUrl);
        Path log = o.workDir().resolve("zipkin-elasticsearch.log");
        String javaRelease = javaVersion(javaHome);
        Bench.say(
                "Zipkin on Elasticsearch: starting %s (STORAGE_TYPE=elasticsearch, ES_HOSTS=%s, 1 shard, 0 replicas, "
                        + "%s, Java %s)",
                o.zipkinJar().getFileName(), elasticsearchUrl, String.join(" ", o.zipkinJvmOptions()), javaRelease);
        boolean ok = false;
        long t0 = System.nanoTime();
        ZipkinProcess zipkin = ZipkinProcess.startOnElasticsearch(
                o.zipkinJar(), log, javaHome, elasticsearchUrl, o.zipkinJvmOptions());
        try {
            zipkin.awaitHealthy(Duration.ofSeconds(120));
            r.put("jar", o.zipkinJar().getFileName().toString());
            r.put("storage", "elasticsearch");
            r.put("jvm_options", o.zipkinJvmOptions());
            r.put("java", javaRelease);
            r.put("start_seconds", Bench.round((System.nanoTime() - t0) / 1e9, 2));
            Bench.say(
                    "Zipkin on Elasticsearch: healthy after %.1f s on %s (pid %d)",
                    (System.nanoTime() - t0) / 1e9, zipkin.baseUri(), zipkin.pid());
            HttpClient http = newClient();
            URI base = zipkin.baseUri();
            URI ingestUri = base.resolve(ZIPKIN_SPANS);
            Function<Batch, HttpRequest> post = b -> HttpRequest.newBuilder(ingestUri)
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(b.zipkin()))
                    .build();

            long before = Math.max(0, es.count(ZIPKIN_SPAN_INDICES));
            Bench.say(
                    "Zipkin on Elasticsearch: warm-up, %,d batches through POST %s", warmBatches.size(), ZIPKIN_SPANS);
            Ingest w = ingest(http, warmBatches, post, false);
            long warmSent = addExpected(new TreeMap<>(), warmBatches, w);
            Counted wc = awaitIndexed(es, before + warmSent, System.nanoTime(), "warm-up");
            if (!wc.complete())
                throw new IllegalStateException("Zipkin did not index the warm-up spans: Elasticsearch counts "
                        + wc.counts() + " of " + (before + warmSent));

            r.put("load_average_before", Bench.loadAverage());
            Bench.say(
                    "Zipkin on Elasticsearch: ingest, %,d batches of %d spans from %d clients",
                    batches.size(), BATCH_SPANS, o.clients());
            CpuTimes cpu0 = CpuTimes.now(zipkin.pid(), elasticsearchPid);
            Ingest in = ingest(http, batches, post, false);
            long sent = addExpected(new TreeMap<>(), batches, in);
            putIngest(r, in, sent);
            Bench.say(
                    "Zipkin on Elasticsearch: all %,d POSTs answered after %.2f s (%,d failed %s); waiting until "
                            + "Elasticsearch counts every span",
                    in.posts(), in.seconds(), in.failedPosts(), in.failureKinds());
            Counted c = awaitIndexed(es, before + warmSent + sent, in.startNanos(), "ingest");
            CpuTimes cpu = CpuTimes.now(zipkin.pid(), elasticsearchPid).minus(cpu0);
            r.put("indexed_spans", c.counts().get("indexed") - before - warmSent);
            if (!c.complete()) {
                r.put("complete", false);
                r.put("queryable_seconds", Bench.round((c.atNanos() - in.startNanos()) / 1e9, 2));
                r.put("spans_per_s", 0.0);
                Bench.say(
                        "Zipkin on Elasticsearch: INCOMPLETE: Elasticsearch counts %,d of %,d spans",
                        c.counts().get("indexed"), before + warmSent + sent);
            } else {
                Api api = new Api(base);
                Check check = checkSample(
                        checkIds, id -> zipkinSpanCount(api, id), expectedByTrace(batches, in), c.atNanos(), true);
                long end = check.retriedUntilNanos() > 0 ? check.retriedUntilNanos() : c.atNanos();
                double secs = (end - in.startNanos()) / 1e9;
                r.put("complete", check.mismatched() == 0);
                r.put("counts_exact_seconds", Bench.round((c.atNanos() - in.startNanos()) / 1e9, 2));
                r.put("queryable_seconds", Bench.round(secs, 2));
                r.put("spans_per_s", Bench.round(sent / secs, 0));
                r.put("sample_traces_checked", check.checked());
                r.put("sample_traces_mismatched", check.mismatched());
                r.put("sample_check_seconds", Bench.round(check.seconds(), 2));
                Bench.say(
                        "Zipkin on Elasticsearch: every span queryable after %.2f s: %,.0f spans/s (counted exactly "
                                + "after %.2f s; %,d sample traces complete in /api/v2/trace/{id}, %d not%s)",
                        secs,
                        sent / secs,
                        (c.atNanos() - in.startNanos()) / 1e9,
                        check.checked() - check.mismatched(),
                        check.mismatched(),
                        check.mismatched() > 0 ? ": " + check.firstMismatch() : "");
            }
            // server = Zipkin, broker = its Elasticsearch
            double seconds = (c.atNanos() - in.startNanos()) / 1e9;
            double zipkinUs = cpu.server().toNanos() / 1e3 / Math.max(1, sent);
            double esUs = cpu.broker().toNanos() / 1e3 / Math.max(1, sent);
            r.put(
                    "ingest_cpu_us_per_span",
                    Map.of("server", Bench.round(zipkinUs, 1), "elasticsearch", Bench.round(esUs, 1)));
            r.put(
                    "ingest_machine_busy",
                    Bench.round(
                            cpu.machineBusy().toNanos()
                                    / 1e9
                                    / (seconds * Runtime.getRuntime().availableProcessors()),
                            3));
            Bench.say("    CPU per span: Zipkin %.1f µs, Elasticsearch %.1f µs", zipkinUs, esUs);

            r.put(
                    "lookups",
                    lookups(http, id -> base.resolve("/api/v2/trace/" + id), lookupIds, warmIds, "Zipkin on ES"));
            ok = true;
        } finally {
            if (!ok && Files.exists(log)) {
                Path keep = o.zipkinLogKeep()
                        .resolveSibling(
                                o.zipkinLogKeep().getFileName().toString().replace("-zipkin", "-zipkin-elasticsearch"));
                Files.createDirectories(keep.toAbsolutePath().getParent());
                Files.copy(log, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Bench.say("Zipkin's log is kept in %s", keep);
            }
            zipkin.close();
        }
    }

    /**
     * Polls {@code _count} of Zipkin's span indices until it equals {@code expected}. Bounded like {@link
     * #awaitCounts}: 60 s without progress, or 60 s + 1 ms per span.
     */
    private static Counted awaitIndexed(ElasticHttp es, long expected, long t0, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60) + TimeUnit.MILLISECONDS.toNanos(expected);
        long last = -1;
        long lastProgress = System.nanoTime();
        long nextSay = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            long n = es.count(ZIPKIN_SPAN_INDICES);
            long now = System.nanoTime();
            if (n == expected) return new Counted(true, Map.of("indexed", n), now);
            if (n > last) {
                last = n;
                lastProgress = now;
            }
            if (n > expected || now > deadline || now - lastProgress > TimeUnit.SECONDS.toNanos(60))
                return new Counted(false, Map.of("indexed", Math.max(n, last)), lastProgress);
            if (now > nextSay) {
                Bench.say(
                        "  ... %s: Elasticsearch counts %,d of %,d spans after %.0f s",
                        what, n, expected, (now - t0) / 1e9);
                nextSay = now + TimeUnit.SECONDS.toNanos(5);
            }
            Thread.sleep(50);
        }
    }

    /** {@code JAVA_VERSION} of a JDK's {@code release} file, or "?". */
    static String javaVersion(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release")))
                if (line.startsWith("JAVA_VERSION="))
                    return line.substring("JAVA_VERSION=".length()).replace("\"", "");
        } catch (IOException e) {
            // unknown
        }
        return "?";
    }

    /** Spans of a trace in GET /api/v2/trace/{id}; 0 when unknown. */
    private static int zipkinSpanCount(Api api, String traceId) {
        Api.Answer a = api.get("/api/v2/trace/" + traceId);
        if (a.status() == 404) return 0;
        if (!a.ok()) return -1;
        return a.json().size();
    }

    // ---- shared -------------------------------------------------------------------------------------

    private static HttpClient newClient() {
        // HTTP/1.1 with keep-alive, one connection per client thread, as exporters and API clients use
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    /**
     * POSTs every batch from {@code clients} threads, each taking the next batch; non-2xx answers and
     * errors are failures. With {@code otlpAnswer}, a 200's {@code partial_success} rejected count is
     * added up.
     */
    private Ingest ingest(HttpClient http, List<Batch> batches, Function<Batch, HttpRequest> post, boolean otlpAnswer)
            throws InterruptedException {
        boolean[] failed = new boolean[batches.size()];
        Map<String, AtomicLong> kinds = new ConcurrentHashMap<>();
        AtomicLong rejected = new AtomicLong();
        long t0 = System.nanoTime();
        parallel(o.clients(), batches.size(), i -> {
            String failure = null;
            try {
                HttpResponse<byte[]> a = http.send(post.apply(batches.get(i)), HttpResponse.BodyHandlers.ofByteArray());
                if (a.statusCode() / 100 != 2) failure = "HTTP " + a.statusCode();
                else if (otlpAnswer && a.body().length > 0)
                    rejected.addAndGet(ExportTraceServiceResponse.parseFrom(a.body())
                            .getPartialSuccess()
                            .getRejectedSpans());
            } catch (HttpTimeoutException e) {
                failure = "timeout";
            } catch (IOException e) {
                failure = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted";
            }
            if (failure != null) {
                failed[i] = true;
                kinds.computeIfAbsent(failure, k -> new AtomicLong()).incrementAndGet();
            }
        });
        long t1 = System.nanoTime();
        int failures = 0;
        for (boolean f : failed) if (f) failures++;
        Map<String, Long> k = new TreeMap<>();
        kinds.forEach((key, v) -> k.put(key, v.get()));
        return new Ingest(batches.size(), failures, k, rejected.get(), failed, t0, t1);
    }

    record Check(int checked, int mismatched, String firstMismatch, long retriedUntilNanos, double seconds) {}

    /**
     * Reads every sample trace back and compares its span count with what was sent. With {@code
     * retry}, traces still short are read again (50 ms apart, at most 60 s) and the time the last one
     * became complete is returned; without, one pass.
     */
    private Check checkSample(
            List<String> ids,
            Function<String, Integer> spanCount,
            Map<String, Integer> expected,
            long t0,
            boolean retry)
            throws InterruptedException {
        long start = System.nanoTime();
        List<String> pending = ids.stream().filter(expected::containsKey).toList();
        int checked = pending.size();
        long retriedUntil = 0;
        long deadline = start + TimeUnit.SECONDS.toNanos(60);
        Map<String, Integer> last = new ConcurrentHashMap<>();
        boolean first = true;
        while (true) {
            ConcurrentLinkedQueue<String> stillShort = new ConcurrentLinkedQueue<>();
            List<String> round = pending;
            parallel(o.clients(), round.size(), i -> {
                String id = round.get(i);
                int n = spanCount.apply(id);
                last.put(id, n);
                if (n != expected.get(id)) stillShort.add(id);
            });
            if (!first && stillShort.isEmpty()) retriedUntil = System.nanoTime();
            pending = new ArrayList<>(stillShort);
            first = false;
            if (pending.isEmpty() || !retry || System.nanoTime() > deadline) break;
            Thread.sleep(50);
        }
        String firstMismatch = pending.isEmpty()
                ? null
                : "trace " + pending.get(0) + ": " + last.get(pending.get(0)) + " spans of "
                        + expected.get(pending.get(0));
        return new Check(checked, pending.size(), firstMismatch, retriedUntil, (System.nanoTime() - start) / 1e9);
    }

    /** GET by trace id: a warm-up of other ids, then the sample, at concurrency 1 and at the ingest concurrency. */
    private Map<String, Object> lookups(
            HttpClient http, Function<String, URI> uri, String[] ids, String[] warmIds, String who)
            throws InterruptedException {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Integer> levels = o.clients() == 1 ? List.of(1) : List.of(1, o.clients());
        for (int c : levels) {
            latency(http, uri, warmIds, c);
            Map<String, Object> m = latency(http, uri, ids, c);
            out.put("concurrency_" + c, m);
            Bench.say(
                    "%s: trace by id at concurrency %d: %,d of %,d lookups%s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, "
                            + "%,.0f/s, %d errors %s, %,d bytes per answer",
                    who,
                    c,
                    m.get("lookups"),
                    ids.length,
                    (int) m.get("lookups") < ids.length ? " (time limit " + LOOKUP_TIME_LIMIT.toSeconds() + " s)" : "",
                    m.get("p50_ms"),
                    m.get("p99_ms"),
                    m.get("max_ms"),
                    m.get("per_s"),
                    m.get("errors"),
                    m.get("error_kinds"),
                    m.get("bytes_per_answer"));
        }
        return out;
    }

    private Map<String, Object> latency(HttpClient http, Function<String, URI> uri, String[] ids, int concurrency)
            throws InterruptedException {
        double[] ms = new double[ids.length];
        boolean[] done = new boolean[ids.length];
        AtomicLong bytes = new AtomicLong();
        Map<String, AtomicLong> kinds = new ConcurrentHashMap<>();
        AtomicInteger errors = new AtomicInteger();
        long t0 = System.nanoTime();
        long stopAt = t0 + LOOKUP_TIME_LIMIT.toNanos();
        parallel(concurrency, ids.length, i -> {
            if (System.nanoTime() > stopAt) return;
            HttpRequest req = HttpRequest.newBuilder(uri.apply(ids[i]))
                    .timeout(Duration.ofSeconds(30))
                    .headers(BenchAccess.readHeaders())
                    .header("Accept", "application/json")
                    .GET()
                    .build();
            String failure = null;
            long s = System.nanoTime();
            try {
                HttpResponse<byte[]> a = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                bytes.addAndGet(a.body().length);
                if (a.statusCode() != 200) failure = "HTTP " + a.statusCode();
            } catch (IOException e) {
                failure = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted";
            }
            ms[i] = (System.nanoTime() - s) / 1e6;
            done[i] = true;
            if (failure != null) {
                errors.incrementAndGet();
                kinds.computeIfAbsent(failure, k -> new AtomicLong()).incrementAndGet();
            }
        });
        double secs = (System.nanoTime() - t0) / 1e9;
        int n = 0;
        for (boolean d : done) if (d) n++;
        double[] sorted = new double[n];
        for (int i = 0, j = 0; i < ids.length; i++) if (done[i]) sorted[j++] = ms[i];
        Arrays.sort(sorted);
        if (n == 0)
            throw new IllegalStateException(
                    "no trace lookup was answered within " + LOOKUP_TIME_LIMIT.toSeconds() + " s");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lookups", n);
        m.put("lookups_planned", ids.length);
        m.put("errors", errors.get());
        Map<String, Long> k = new TreeMap<>();
        kinds.forEach((key, v) -> k.put(key, v.get()));
        m.put("error_kinds", k);
        m.put("p50_ms", Bench.round(Bench.percentile(sorted, 50), 2));
        m.put("p90_ms", Bench.round(Bench.percentile(sorted, 90), 2));
        m.put("p99_ms", Bench.round(Bench.percentile(sorted, 99), 2));
        m.put("max_ms", Bench.round(sorted[sorted.length - 1], 2));
        m.put("mean_ms", Bench.round(Arrays.stream(sorted).average().orElse(0), 2));
        m.put("per_s", Bench.round(n / secs, 0));
        m.put("bytes_per_answer", bytes.get() / Math.max(1, n));
        return m;
    }

    /** Runs {@code task(0..n-1)} on {@code threads} threads, each taking the next index; returns when all are done. */
    private static void parallel(int threads, int n, IntConsumer task) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> ts = new ArrayList<>(threads);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(
                    () -> {
                        try {
                            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) task.accept(i);
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    },
                    "trace-bench-" + t);
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) th.join();
        if (!failures.isEmpty())
            throw new IllegalStateException("a client thread failed: " + failures.peek(), failures.peek());
    }

    // ---- summary ------------------------------------------------------------------------------------

    /** {@code bench traces: …}: both rates and both latencies, with whether LogFlow met its target (>= Zipkin). */
    @SuppressWarnings("unchecked")
    String summary() {
        Map<String, Object> lf = (Map<String, Object>) results.get("logflow");
        Map<String, Object> zk = (Map<String, Object>) results.get("zipkin");
        double lfRate = (double) lf.get("spans_per_s");
        double zkRate = (double) zk.get("spans_per_s");
        boolean lfComplete = (boolean) lf.get("complete");
        boolean ingestMet = lfComplete && lfRate >= zkRate;
        StringBuilder lookups = new StringBuilder();
        boolean lookupMet = true;
        Map<String, Object> lfl = (Map<String, Object>) lf.get("lookups");
        Map<String, Object> zkl = (Map<String, Object>) zk.get("lookups");
        for (String level : lfl.keySet()) {
            Map<String, Object> a = (Map<String, Object>) lfl.get(level);
            Map<String, Object> b = (Map<String, Object>) zkl.get(level);
            double a50 = (double) a.get("p50_ms");
            double a99 = (double) a.get("p99_ms");
            double b50 = (double) b.get("p50_ms");
            double b99 = (double) b.get("p99_ms");
            if (a50 > b50 || a99 > b99 || (int) a.get("errors") > 0) lookupMet = false;
            if (lookups.length() > 0) lookups.append(", ");
            lookups.append(String.format(
                    java.util.Locale.ROOT,
                    "c=%s LogFlow %.1f/%.1f ms vs Zipkin %.1f/%.1f ms",
                    level.substring("concurrency_".length()),
                    a50,
                    a99,
                    b50,
                    b99));
        }
        results.put(
                "targets",
                Map.of(
                        "ingest",
                        "LogFlow spans/s >= Zipkin spans/s (each Zipkin)",
                        "trace_by_id",
                        "LogFlow p50 and p99 <= Zipkin's at each concurrency (each Zipkin)"));
        results.put("ingest_target_met", ingestMet);
        results.put("trace_by_id_target_met", lookupMet);
        String line = String.format(
                java.util.Locale.ROOT,
                "bench traces: %,d spans in %,d traces, %d clients | ingest until queryable: LogFlow %s%,.0f spans/s "
                        + "vs Zipkin %,.0f spans/s%s [target >= Zipkin: %s] | CPU per span: LogFlow server %s µs, "
                        + "Zipkin %s µs | trace by id p50/p99: %s [target <= "
                        + "Zipkin: %s] | same machine, one after the other; load average (1 min) before "
                        + "LogFlow %s, before Zipkin %s",
                (long) results.get("spans"),
                (int) results.get("traces"),
                o.clients(),
                lfComplete ? "" : "INCOMPLETE ",
                lfRate,
                zkRate,
                (boolean) zk.get("complete") ? "" : " (read-back INCOMPLETE)",
                ingestMet ? "met" : "MISSED",
                serverCpu(lf),
                serverCpu(zk),
                lookups,
                lookupMet ? "met" : "MISSED",
                oneMinute(lf.get("load_average_before")),
                oneMinute(zk.get("load_average_before")));
        return line + durablePeer(lf, lfRate, lfComplete);
    }

    /**
     * {@code | durable peer, Zipkin on Elasticsearch: …}: LogFlow's figures against Zipkin's with {@code
     * STORAGE_TYPE=elasticsearch}, as ratios; empty when that phase did not run.
     */
    @SuppressWarnings("unchecked")
    private String durablePeer(Map<String, Object> lf, double lfRate, boolean lfComplete) {
        if (!(results.get("zipkin_elasticsearch") instanceof Map<?, ?> raw)) return "";
        Map<String, Object> es = (Map<String, Object>) raw;
        if (es.get("failed") != null) return " | durable peer, Zipkin on Elasticsearch: FAILED: " + es.get("failed");
        if (!(es.get("spans_per_s") instanceof Double esRate) || !(es.get("lookups") instanceof Map<?, ?> esl))
            return " | durable peer, Zipkin on Elasticsearch: incomplete";
        boolean esComplete = Boolean.TRUE.equals(es.get("complete"));
        boolean ingestMet = lfComplete && esComplete && lfRate >= esRate;
        Map<String, Object> lfl = (Map<String, Object>) lf.get("lookups");
        StringBuilder lookups = new StringBuilder();
        boolean lookupMet = true;
        for (String level : lfl.keySet()) {
            Map<String, Object> a = (Map<String, Object>) lfl.get(level);
            Map<String, Object> b = (Map<String, Object>) esl.get(level);
            if (b == null) continue;
            double a50 = (double) a.get("p50_ms"), a99 = (double) a.get("p99_ms");
            double b50 = (double) b.get("p50_ms"), b99 = (double) b.get("p99_ms");
            if (a50 > b50 || a99 > b99 || (int) a.get("errors") > 0) lookupMet = false;
            if (lookups.length() > 0) lookups.append(", ");
            lookups.append(String.format(
                    java.util.Locale.ROOT,
                    "c=%s LogFlow %.1f/%.1f ms vs %.1f/%.1f ms (%.2f×/%.2f×)",
                    level.substring("concurrency_".length()),
                    a50,
                    a99,
                    b50,
                    b99,
                    a50 / b50,
                    a99 / b99));
        }
        es.put("ingest_target_met", ingestMet);
        es.put("trace_by_id_target_met", lookupMet);
        es.put("logflow_to_zipkin_elasticsearch_ingest", Bench.round(esRate == 0 ? 0 : lfRate / esRate, 3));
        return String.format(
                java.util.Locale.ROOT,
                " | durable peer, Zipkin on Elasticsearch: ingest until queryable LogFlow %,.0f vs %s%,.0f spans/s "
                        + "= %.2f× [target >= Zipkin on ES: %s] | CPU per span: Zipkin %s µs + Elasticsearch %s µs | "
                        + "trace by id p50/p99: %s [target <= Zipkin on ES: %s]",
                lfRate,
                esComplete ? "" : "INCOMPLETE ",
                esRate,
                esRate == 0 ? 0 : lfRate / esRate,
                ingestMet ? "met" : "MISSED",
                serverCpu(es),
                es.get("ingest_cpu_us_per_span") instanceof Map<?, ?> m ? String.valueOf(m.get("elasticsearch")) : "?",
                lookups,
                lookupMet ? "met" : "MISSED");
    }

    /** CPU microseconds per span of the server (LogFlow's or Zipkin's) while ingesting, or "?". */
    private static String serverCpu(Map<String, Object> r) {
        return r.get("ingest_cpu_us_per_span") instanceof Map<?, ?> m && m.get("server") instanceof Number n
                ? String.format(java.util.Locale.ROOT, "%.1f", n.doubleValue())
                : "?";
    }

    private static String oneMinute(Object loadAverage) {
        return String.valueOf(loadAverage).split(" ")[0];
    }
}
