package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.SpanRecord;
import io.logflow.model.SpanRecord.Kind;
import io.logflow.model.SpanRecord.Status;
import io.logflow.model.schema.LogFlowSerdes;
import io.logflow.model.schema.Topics;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Spans on {@code logflow.spans} and logs through the API, through the real topology on a real
 * broker, out of the trace endpoints: one trace with its logs, search, operations (and over time),
 * dependencies, span RED metrics.
 */
class TraceApiIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final String GATEWAY = "gateway-" + SUFFIX;
    static final String ORDERS = "orders-" + SUFFIX;
    static final String PAYMENTS = "payments-" + SUFFIX;
    static final String WORKER = "worker-" + SUFFIX;
    static final String SPANS_ONLY = "spans-only-" + SUFFIX;
    static final long MS = 1_000_000L;
    static final long NOW = System.currentTimeMillis() - 5_000;
    static final String TRACE = randomHex(32);
    static final String FAST_TRACE = randomHex(32);

    static Instance app;

    @BeforeAll
    static void start() throws Exception {
        app = Instance.start("trace-it-" + SUFFIX, Map.of()).awaitHealthy();
        List<SpanRecord> spans = new ArrayList<>(checkout(TRACE, NOW, true));
        spans.addAll(checkout(FAST_TRACE, NOW + 1_000, false).subList(0, 3));
        spans.add(span(randomHex(32), "b000000000000001", null, SPANS_ONLY, "tick", Kind.INTERNAL, NOW, 7, false));
        produce(spans);
        Instance.Response logs = app.post(
                "/api/v1/logs",
                "application/x-ndjson",
                String.join(
                        "\n",
                        log(GATEWAY, "INFO", "checkout started", TRACE, "a000000000000001", NOW + 1),
                        log(PAYMENTS, "ERROR", "card declined", TRACE, "a000000000000005", NOW + 30),
                        log(WORKER, "INFO", "order shipped", TRACE, "a000000000000007", NOW + 100),
                        log(ORDERS, "WARN", "no span of this trace", TRACE, "ffffffffffffffff", NOW + 50)));
        assertThat(logs.status()).isEqualTo(202);
        Awaitility.await("the trace and its logs")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Instance.Response r = app.get("/api/v1/traces/" + TRACE);
                    return r.status() == 200
                            && r.json().get("spanCount").asInt() == 7
                            && r.json().get("logCount").asInt() == 4;
                });
        // spans are stored as they arrive, the aggregates (index, metrics, edges) once per commit, and
        // the traces' spans may be in different partitions (tasks, commits): wait until every span counts
        Awaitility.await("the aggregates of every span")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> app.get("/api/v1/services/" + ORDERS + "/operations")
                                        .json()
                                        .path("total")
                                        .path("count")
                                        .asLong()
                                == 4
                        && app.get("/api/v1/metrics/service/" + GATEWAY)
                                        .json()
                                        .path("spans")
                                        .path("count")
                                        .asLong()
                                == 4
                        && app.get("/api/v1/traces?service=" + GATEWAY)
                                        .json()
                                        .path("count")
                                        .asInt()
                                == 2
                        && app.get("/api/v1/services/" + SPANS_ONLY + "/operations")
                                        .status()
                                == 200);
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    static List<SpanRecord> checkout(String traceId, long t0, boolean fail) {
        return checkout(traceId, t0, fail, SUFFIX);
    }

    /** gateway → orders → payments over HTTP and orders → worker over Kafka; services named {@code <name>-<suffix>}. */
    static List<SpanRecord> checkout(String traceId, long t0, boolean fail, String suffix) {
        String gateway = "gateway-" + suffix;
        String orders = "orders-" + suffix;
        return List.of(
                span(traceId, "a000000000000001", null, gateway, "GET /checkout", Kind.SERVER, t0, 100, fail),
                span(traceId, "a000000000000002", "a000000000000001", gateway, "POST", Kind.CLIENT, t0 + 5, 90, false),
                span(
                        traceId,
                        "a000000000000003",
                        "a000000000000002",
                        orders,
                        "POST /orders",
                        Kind.SERVER,
                        t0 + 10,
                        80,
                        false),
                span(traceId, "a000000000000004", "a000000000000003", orders, "POST", Kind.CLIENT, t0 + 20, 40, fail),
                span(
                        traceId,
                        "a000000000000005",
                        "a000000000000004",
                        "payments-" + suffix,
                        "charge",
                        Kind.SERVER,
                        t0 + 25,
                        30,
                        fail),
                span(
                        traceId,
                        "a000000000000006",
                        "a000000000000003",
                        orders,
                        "demo.orders publish",
                        Kind.PRODUCER,
                        t0 + 65,
                        5,
                        false),
                span(
                        traceId,
                        "a000000000000007",
                        "a000000000000006",
                        "worker-" + suffix,
                        "demo.orders process",
                        Kind.CONSUMER,
                        t0 + 75,
                        45,
                        false));
    }

    /** Produces spans to logflow.spans as the topology's normaliser would: keyed by trace id, at their start time. */
    static void produce(List<SpanRecord> spans) {
        try (KafkaProducer<String, SpanRecord> p = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new StringSerializer(),
                LogFlowSerdes.spanJson().serializer())) {
            for (SpanRecord s : spans)
                p.send(new ProducerRecord<>(Topics.SPANS_NORMALIZED.name(), null, s.startMillis(), s.traceId(), s));
            p.flush();
        }
    }

    static SpanRecord span(
            String traceId,
            String spanId,
            String parent,
            String service,
            String name,
            Kind kind,
            long startMs,
            long durationMs,
            boolean error) {
        return new SpanRecord(
                traceId,
                spanId,
                parent,
                service,
                name,
                kind,
                startMs * MS,
                durationMs * MS,
                error ? Status.ERROR : Status.UNSET,
                error ? "declined" : null,
                "test",
                Map.of("http.response.status_code", error ? "500" : "200"),
                Map.of("host.name", "it"),
                List.of(),
                List.of());
    }

    static String log(String service, String level, String message, String traceId, String spanId, long ts) {
        return "{\"service\":\"" + service + "\",\"level\":\"" + level + "\",\"message\":\"" + message
                + "\",\"trace_id\":\"" + traceId + "\",\"span_id\":\"" + spanId + "\",\"timestamp\":" + ts + "}";
    }

    static String randomHex(int n) {
        StringBuilder b = new StringBuilder();
        while (b.length() < n)
            b.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
        return b.substring(0, n);
    }

    @Test
    void oneTrace_isASpanTree_withItsCriticalPath_andEveryLogLinkedToItsSpan() {
        JsonNode t = app.get("/api/v1/traces/" + TRACE).json();
        JsonNode summary = t.get("summary");
        assertThat(summary.get("rootService").asString()).isEqualTo(GATEWAY);
        assertThat(summary.get("rootOperation").asString()).isEqualTo("GET /checkout");
        assertThat(summary.get("durationMs").asDouble()).isEqualTo(120.0);
        assertThat(summary.get("errorCount").asInt()).isEqualTo(3);
        List<String> tree = new ArrayList<>();
        t.get("spans")
                .forEach(s -> tree.add(s.get("depth").asInt() + ":"
                        + s.get("spanId").asString().substring(15)));
        assertThat(tree).containsExactly("0:1", "1:2", "2:3", "3:4", "4:5", "3:6", "4:7");
        // the critical path tiles the root span (0-100 ms) and starts and ends with it
        JsonNode path = t.get("criticalPath");
        double sum = 0;
        for (JsonNode seg : path) sum += seg.get("durationMs").asDouble();
        assertThat(sum).isEqualTo(100.0);
        assertThat(path.get(0).get("spanId").asString()).isEqualTo("a000000000000001");

        List<String> logs = new ArrayList<>();
        t.get("logs")
                .forEach(l -> logs.add(
                        l.get("message").asString() + "|" + l.get("spanInTrace").asBoolean()));
        assertThat(logs)
                .containsExactly(
                        "checkout started|true",
                        "card declined|true",
                        "no span of this trace|false",
                        "order shipped|true");
        assertThat(t.get("spans").get(4).get("logCount").asInt()).isEqualTo(1);
        // resource attributes once per service, not repeated on every span
        assertThat(t.get("resources").get(GATEWAY).get("host.name").asString()).isEqualTo("it");
        assertThat(t.get("spans").get(0).has("resource")).isFalse();
    }

    @Test
    void traceIds_areAcceptedAsUuid_and16Hex_andUnknownIsA404() {
        String uuid = TRACE.substring(0, 8) + "-" + TRACE.substring(8, 12) + "-" + TRACE.substring(12, 16) + "-"
                + TRACE.substring(16, 20) + "-" + TRACE.substring(20);
        assertThat(app.get("/api/v1/traces/" + uuid.toUpperCase())
                        .json()
                        .get("traceId")
                        .asString())
                .isEqualTo(TRACE);
        assertThat(app.get("/api/v1/traces/" + randomHex(16)).status()).isEqualTo(404);
        Instance.Response bad = app.get("/api/v1/traces/not-a-trace");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asString()).contains("traceId");
    }

    @Test
    void search_filtersByServiceOperationDurationErrorAndTag_newestFirst() {
        assertThat(ids("/api/v1/traces?service=" + GATEWAY)).containsExactly(FAST_TRACE, TRACE);
        assertThat(ids("/api/v1/traces?service=" + PAYMENTS)).containsExactly(TRACE);
        assertThat(ids("/api/v1/traces?service=" + ORDERS + "&operation=POST%20/orders"))
                .containsExactly(FAST_TRACE, TRACE);
        assertThat(ids("/api/v1/traces?service=" + GATEWAY + "&minDurationMs=110"))
                .containsExactly(TRACE);
        assertThat(ids("/api/v1/traces?service=" + GATEWAY + "&maxDurationMs=105"))
                .containsExactly(FAST_TRACE);
        assertThat(ids("/api/v1/traces?service=" + GATEWAY + "&error=true")).containsExactly(TRACE);
        assertThat(ids("/api/v1/traces?service=" + GATEWAY + "&error=false")).containsExactly(FAST_TRACE);
        assertThat(ids("/api/v1/traces?service=" + GATEWAY + "&tag=http.response.status_code:500"))
                .containsExactly(TRACE);
        assertThat(ids("/api/v1/traces?service=" + GATEWAY + "&limit=1")).containsExactly(FAST_TRACE);
        assertThat(ids("/api/v1/traces?operation=charge")).contains(TRACE).doesNotContain(FAST_TRACE);
        assertThat(ids("/api/v1/traces?service=" + GATEWAY + "&to=" + (NOW - 60_000)))
                .isEmpty();
        Instance.Response bad = app.get("/api/v1/traces?minDurationMs=abc");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asString()).contains("minDurationMs");
        assertThat(app.get("/api/v1/traces?tag=nocolon").status()).isEqualTo(400);
    }

    private static List<String> ids(String path) {
        Instance.Response r = app.get(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().get("traces").forEach(t -> out.add(t.get("traceId").asString()));
        return out;
    }

    @Test
    void operations_ofAService_withRedMetrics() {
        JsonNode o = app.get("/api/v1/services/" + ORDERS + "/operations").json();
        assertThat(o.get("total").get("count").asLong()).isEqualTo(4); // 3 + 1 of the fast trace
        List<String> ops = new ArrayList<>();
        o.get("operations")
                .forEach(op -> ops.add(op.get("name").asString() + "="
                        + op.get("count").asLong() + "/" + op.get("errors").asLong()));
        assertThat(ops).containsExactlyInAnyOrder("POST /orders=2/0", "POST=1/1", "demo.orders publish=1/0");
        assertThat(app.get("/api/v1/services/nobody-" + SUFFIX + "/operations").status())
                .isEqualTo(404);
    }

    @Test
    void operationSeries_sumToTheOperations_withSensibleQuantilesPerBucket() {
        JsonNode ops = app.get("/api/v1/services/" + ORDERS + "/operations").json();
        String path = "/api/v1/services/" + ORDERS + "/operations/series";
        for (String interval : List.of("1m", "5m", "1h")) {
            Instance.Response r = app.get(path + "?minutes=60&interval=" + interval);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode total = r.json();
            assertThat(total.get("interval").asString()).isEqualTo(interval);
            assertThat(sum(total, "count")).as(interval).isEqualTo(4);
            assertThat(sum(total, "errors")).as(interval).isEqualTo(1);
            assertThat(sum(total, "count"))
                    .isEqualTo(ops.get("total").get("count").asLong());
            assertQuantilesSensible(total);
        }
        assertThat(app.get(path).json().get("points").size()).isEqualTo(60); // the last hour in minutes
        for (JsonNode op : ops.get("operations")) {
            String name = op.get("name").asString();
            JsonNode series = app.get(path + "?operation=" + URLEncoder.encode(name, StandardCharsets.UTF_8))
                    .json();
            assertThat(series.get("operation").asString()).isEqualTo(name);
            assertThat(sum(series, "count")).as(name).isEqualTo(op.get("count").asLong());
            assertThat(sum(series, "errors"))
                    .as(name)
                    .isEqualTo(op.get("errors").asLong());
            assertQuantilesSensible(series);
        }
        // both calls of POST /orders took 80 ms: every bucket with calls says so (the sketch is within 1%)
        JsonNode orders = app.get(path + "?operation=POST%20%2Forders").json();
        for (JsonNode p : orders.get("points")) {
            if (p.get("count").asLong() == 0) continue;
            assertThat(p.get("p50Ms").asDouble()).isBetween(79.0, 81.0);
            assertThat(p.get("p99Ms").asDouble()).isBetween(79.0, 81.0);
        }
        assertThat(app.get("/api/v1/services/nobody-" + SUFFIX + "/operations/series")
                        .status())
                .isEqualTo(404);
        assertThat(app.get(path + "?operation=nothing").status()).isEqualTo(404);
        Instance.Response bad = app.get(path + "?interval=2m");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("parameter").asString()).isEqualTo("interval");
        assertThat(app.get(path + "?minutes=0").json().get("parameter").asString())
                .isEqualTo("minutes");
    }

    private static long sum(JsonNode series, String field) {
        long sum = 0;
        for (JsonNode p : series.get("points")) sum += p.get(field).asLong();
        return sum;
    }

    /** Buckets with calls have p50 <= p95 <= p99 within the calls' durations (5 to 100 ms); empty ones none. */
    private static void assertQuantilesSensible(JsonNode series) {
        for (JsonNode p : series.get("points")) {
            if (p.get("count").asLong() == 0) {
                assertThat(p.get("p50Ms").isNull()).as(p.toString()).isTrue();
                assertThat(p.get("p99Ms").isNull()).as(p.toString()).isTrue();
                continue;
            }
            double p50 = p.get("p50Ms").asDouble();
            double p95 = p.get("p95Ms").asDouble();
            double p99 = p.get("p99Ms").asDouble();
            assertThat(p50).as(p.toString()).isBetween(4.9, 101.0).isLessThanOrEqualTo(p95);
            assertThat(p95).as(p.toString()).isLessThanOrEqualTo(p99);
            assertThat(p99).as(p.toString()).isBetween(4.9, 101.0);
        }
    }

    @Test
    void dependencies_areTheCrossServiceCalls() {
        JsonNode d = app.get("/api/v1/dependencies").json();
        List<String> edges = new ArrayList<>();
        d.get("edges").forEach(e -> {
            if (e.get("caller").asString().endsWith(SUFFIX))
                edges.add(e.get("caller").asString() + ">" + e.get("callee").asString() + "="
                        + e.get("calls").asLong() + "/" + e.get("errors").asLong());
        });
        assertThat(edges)
                .containsExactlyInAnyOrder(
                        GATEWAY + ">" + ORDERS + "=2/0",
                        ORDERS + ">" + PAYMENTS + "=1/1",
                        ORDERS + ">" + WORKER + "=1/0");
    }

    @Test
    void overview_carriesEachServicesSpanRed_asItsServiceMetricsHaveIt() {
        // the overview reads the log statistics and the span metrics apart: wait until it counts these logs
        Awaitility.await("the overview with this class's services")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    JsonNode o = app.get("/api/v1/metrics/overview?minutes=60").json();
                    return List.of(GATEWAY, ORDERS, PAYMENTS, WORKER).stream().allMatch(s -> byService(o, s) != null);
                });
        JsonNode o = app.get("/api/v1/metrics/overview?minutes=60").json();
        for (String service : List.of(GATEWAY, ORDERS, PAYMENTS, WORKER)) {
            JsonNode spans = byService(o, service).get("spans");
            JsonNode alone = app.get("/api/v1/metrics/service/" + service + "?minutes=60")
                    .json()
                    .get("spans");
            assertThat(spans).as(service).isEqualTo(alone);
            assertThat(spans.get("p95Ms").asDouble()).as(service).isPositive();
        }
        // gateway: 4 spans of two operations, two of 100 ms, two of 90 ms: the p95 of the merged sketches is 100, an
        // average of the operations' p95s would be 95
        JsonNode gateway = byService(o, GATEWAY).get("spans");
        assertThat(gateway.get("count").asLong()).isEqualTo(4);
        assertThat(gateway.get("p95Ms").asDouble()).isBetween(99.0, 101.0);
        // the overview lists the services that logged: one that sent only spans is not among them
        assertThat(byService(o, SPANS_ONLY)).isNull();
    }

    static JsonNode byService(JsonNode overview, String name) {
        for (JsonNode s : overview.get("byService"))
            if (s.get("name").asString().equals(name)) return s;
        return null;
    }

    @Test
    void serviceMetrics_includeSpanRed_evenForAServiceThatSentOnlySpans() {
        JsonNode m = app.get("/api/v1/metrics/service/" + GATEWAY).json();
        assertThat(m.get("spans").get("count").asLong()).isEqualTo(4);
        assertThat(m.get("spans").get("errors").asLong()).isEqualTo(1);
        assertThat(m.get("spans").get("p99Ms").asDouble()).isBetween(99.0, 101.0);
        JsonNode only = app.get("/api/v1/metrics/service/" + SPANS_ONLY).json();
        assertThat(only.get("spans").get("count").asLong()).isEqualTo(1);
        assertThat(only.get("allTime").get("total").asLong()).isZero();
        assertThat(app.get("/api/v1/metrics/service/nobody-" + SUFFIX).status()).isEqualTo(404);
    }
}
