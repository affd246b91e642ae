package io.logflow.api;

import static io.logflow.api.LogFlowApiIT.find;
import static io.logflow.api.LogFlowApiIT.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.cluster.StoreMetadata;
import io.logflow.api.web.ApiException;
import io.logflow.model.Level;
import io.logflow.model.schema.Stores;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.streams.state.HostInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Two instances sharing one application.id over 6 partitions: every answer, through either
 * instance, must be the exact total — keys owned by the other instance are forwarded, fan-out
 * queries (the logs of a trace among them) merge both parts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final int SERVICES = 12;
    static final int TRACES = 6;
    static final Level[] LEVELS = Level.values();

    static Instance a;
    static Instance b;
    static final Map<String, long[]> expected = new HashMap<>(); // service -> count per level
    static final Map<String, List<String>> traces = new HashMap<>(); // trace -> messages in time order
    static final int SPAN_TRACES = 8;
    static final List<String> spanTraces = new ArrayList<>();
    static final List<io.logflow.model.SpanRecord> spans = new ArrayList<>();
    /**
     * A trace whose logs come from a service of each instance's partitions (trace-logs is partitioned by service: ADR
     * 012).
     */
    static final String CROSS_TRACE = LogFlowApiIT.randomTrace();

    static final List<String> crossServices = new ArrayList<>();
    /** Small enough that a trace logged on two partitions holds more than the API answers with. */
    static final int MAX_LOGS_PER_TRACE = 4;
    /**
     * Three logs from each of crossServices: each partition keeps its 3 (under the bound), the answer is the first 4 by
     * time.
     */
    static final String CAPPED_TRACE = LogFlowApiIT.randomTrace();

    @BeforeAll
    static void startBothAndIngest() {
        String appId = "two-it-" + SUFFIX;
        a = Instance.start(
                appId, Map.of("logflow.streams.threads", 2, "logflow.streams.max-logs-per-trace", MAX_LOGS_PER_TRACE));
        b = Instance.start(
                appId, Map.of("logflow.streams.threads", 2, "logflow.streams.max-logs-per-trace", MAX_LOGS_PER_TRACE));
        a.awaitHealthy();
        b.awaitHealthy();
        // both must own part of the work before we start
        Awaitility.await("partitions split over both instances")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> a.get("/health").status() == 200
                        && b.get("/health").status() == 200
                        && !a.bean(StoreMetadata.class).hostsOf(Stores.SERVICES).isEmpty()
                        && a.bean(StoreMetadata.class).hostsOf(Stores.SERVICES).size() == 2);

        long now = System.currentTimeMillis();
        List<String> lines = new ArrayList<>();
        for (int s = 0; s < SERVICES; s++) {
            String svc = service(s);
            long[] counts = new long[LEVELS.length];
            int n = 5 + 3 * s;
            for (int i = 0; i < n; i++) {
                Level level = LEVELS[(s + i) % LEVELS.length];
                counts[level.ordinal()]++;
                // event times just before now: never older than stream time minus grace, whatever ran before
                lines.add(log(
                        svc,
                        level.name(),
                        level.isError() ? "failed call " + i + " to db" : "event " + i,
                        null,
                        now - 2_000 + i));
            }
            expected.put(svc, counts);
        }
        for (int t = 0; t < TRACES; t++) {
            String trace = LogFlowApiIT.randomTrace();
            List<String> msgs = new ArrayList<>();
            for (int hop = 0; hop < 3; hop++) {
                String svc = service((t + hop * 5) % SERVICES);
                String msg = "trace " + t + " hop " + hop;
                lines.add(log(svc, "INFO", msg, trace, now - 1_000 + t * 10 + hop));
                expected.get(svc)[Level.INFO.ordinal()]++;
                msgs.add(msg);
            }
            traces.put(trace, msgs);
        }
        // one service on a partition of a and one on a partition of b; the last two logs share a timestamp (ordered by
        // event id)
        StoreMetadata metadata = a.bean(StoreMetadata.class);
        for (HostInfo owner : List.of(new HostInfo("127.0.0.1", a.port), new HostInfo("127.0.0.1", b.port))) {
            for (int s = 0; s < SERVICES; s++) {
                if (metadata.ownerOf(Stores.SERVICES, service(s)).activeHost().equals(owner)) {
                    crossServices.add(service(s));
                    break;
                }
            }
        }
        assertThat(crossServices).as("a service on each instance").hasSize(2);
        for (int i = 0; i < 4; i++) {
            String svc = crossServices.get(i % 2);
            lines.add(log(svc, "INFO", "cross " + i, CROSS_TRACE, now - 500 + Math.min(i, 2)));
            expected.get(svc)[Level.INFO.ordinal()]++;
        }
        for (int i = 0; i < 6; i++) {
            String svc = crossServices.get(i < 3 ? 0 : 1);
            // times interleave the two services: 0, 3, 1, 4, 2, 5 ms
            lines.add(log(svc, "INFO", "capped " + i, CAPPED_TRACE, now - 400 + (i < 3 ? 2 * i : 2 * (i - 3) + 1)));
            expected.get(svc)[Level.INFO.ordinal()]++;
        }
        for (int t = 0; t < SPAN_TRACES; t++) {
            String trace = LogFlowApiIT.randomTrace();
            spanTraces.add(trace);
            spans.addAll(TraceApiIT.checkout(trace, now - 3_000 + t, t % 2 == 0, SUFFIX));
        }
        TraceApiIT.produce(spans);
        // half through each instance
        a.ingest(lines.subList(0, lines.size() / 2));
        b.ingest(lines.subList(lines.size() / 2, lines.size()));

        Awaitility.await("every log aggregated")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    Instance.Response r = a.get("/api/v1/services");
                    if (r.status() != 200) return false;
                    for (var e : expected.entrySet()) {
                        JsonNode s = find(r.json().get("services"), "name", e.getKey());
                        if (s == null || s.get("total").asLong() != sum(e.getValue())) return false;
                    }
                    return true;
                });
    }

    @AfterAll
    static void stop() {
        if (b != null) b.close();
        if (a != null) a.close();
    }

    static String service(int s) {
        return "svc" + s + "-" + SUFFIX;
    }

    static long sum(long[] counts) {
        long t = 0;
        for (long c : counts) t += c;
        return t;
    }

    @Test
    void aTokenFromOneInstance_worksOnTheOther_andTheirInternalCallsCarryTheirOwn() {
        String fromA = "Bearer " + a.login("admin", Instance.ADMIN_PASSWORD);
        // b verifies a's signature with the key both read from PostgreSQL
        Instance.Response onB = b.get("/api/v1/auth/me", "Authorization", fromA);
        assertThat(onB.status()).as(onB.body()).isEqualTo(200);
        assertThat(onB.json().get("username").asString()).isEqualTo("admin");
        // a fan-out from b asks a's partitions over /internal with b's cluster token, never the user's
        assertThat(b.get("/api/v1/metrics/overview?minutes=5", "Authorization", fromA)
                        .status())
                .isEqualTo(200);
        assertThat(a.get("/internal/v1/services", "Authorization", fromA).status())
                .isEqualTo(401);
    }

    @Test
    void theServicesAreSplitBetweenTheInstances() {
        StoreMetadata metadata = a.bean(StoreMetadata.class);
        Set<HostInfo> owners = new HashSet<>();
        for (int s = 0; s < SERVICES; s++)
            owners.add(metadata.ownerOf(Stores.SERVICES, service(s)).activeHost());
        assertThat(owners)
                .containsExactlyInAnyOrder(new HostInfo("127.0.0.1", a.port), new HostInfo("127.0.0.1", b.port));
        Set<HostInfo> crossOwners = new HashSet<>();
        for (String svc : crossServices)
            crossOwners.add(metadata.ownerOf(Stores.SERVICES, svc).activeHost());
        assertThat(crossOwners).as("the services of " + CROSS_TRACE).hasSize(2);
    }

    @Test
    void aTraceLoggedOnBothInstancesPartitions_isComplete_inTimeThenEventIdOrder_throughBoth() {
        List<JsonNode> answers = new ArrayList<>();
        for (Instance via : List.of(a, b)) {
            Instance.Response r = via.get("/api/v1/logs/trace/" + CROSS_TRACE);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode logs = r.json().get("logs");
            assertThat(r.json().get("count").asInt()).as(r.body()).isEqualTo(4);
            assertThat(r.json().get("services").toString())
                    .isEqualTo(Instance.JSON
                            .valueToTree(crossServices.stream().sorted().toList())
                            .toString());
            assertThat(LogFlowApiIT.messages(logs).subList(0, 2)).containsExactly("cross 0", "cross 1");
            assertThat(LogFlowApiIT.messages(logs).subList(2, 4)).containsExactlyInAnyOrder("cross 2", "cross 3");
            assertThat(logs.get(2).get("event.id").asString())
                    .as("same time: by event id")
                    .isLessThan(logs.get(3).get("event.id").asString());
            answers.add(logs);

            Instance.Response trace = via.get("/api/v1/traces/" + CROSS_TRACE);
            assertThat(trace.status()).as(trace.body()).isEqualTo(200);
            assertThat(trace.json().get("spanCount").asInt()).isZero();
            assertThat(trace.json().get("logCount").asInt()).as(trace.body()).isEqualTo(4);
            List<String> eventIds = new ArrayList<>();
            trace.json().get("logs").forEach(l -> eventIds.add(l.get("eventId").asString()));
            List<String> expectedIds = new ArrayList<>();
            logs.forEach(l -> expectedIds.add(l.get("event.id").asString()));
            assertThat(eventIds).isEqualTo(expectedIds);
        }
        assertThat(answers.get(0)).isEqualTo(answers.get(1));
    }

    @Test
    void aTraceOverTheBoundInTotal_butNotPerPartition_isAnsweredWithTheFirstLogsByTime() {
        for (Instance via : List.of(a, b)) {
            Instance.Response r = via.get("/api/v1/logs/trace/" + CAPPED_TRACE);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("count").asInt()).isEqualTo(MAX_LOGS_PER_TRACE);
            assertThat(LogFlowApiIT.messages(r.json().get("logs")))
                    .containsExactly("capped 0", "capped 3", "capped 1", "capped 4");
            Instance.Response trace = via.get("/api/v1/traces/" + CAPPED_TRACE);
            assertThat(trace.json().get("logCount").asInt()).as(trace.body()).isEqualTo(MAX_LOGS_PER_TRACE);
        }
    }

    @Test
    void systemVitals_listBothInstances_throughEither_withTheStorePartitionsSplitBetweenThem() {
        for (Instance via : List.of(a, b)) {
            JsonNode v = via.getAvailable("/api/v1/metrics/system").json();
            assertThat(v.get("instances").asInt()).as(v.toString()).isEqualTo(2);
            assertThat(v.get("answered").asInt()).as(v.toString()).isEqualTo(2);
            List<String> listed = new ArrayList<>();
            List<Integer> active = new ArrayList<>();
            for (JsonNode i : v.get("instanceList")) {
                listed.add(i.get("instance").asString());
                assertThat(i.get("vitals").get("streamThreads").asInt()).isEqualTo(2);
                i.get("vitals")
                        .get("stores")
                        .get(Stores.SERVICES.name())
                        .get("active")
                        .forEach(p -> active.add(p.asInt()));
            }
            assertThat(listed).containsExactlyInAnyOrder("127.0.0.1:" + a.port, "127.0.0.1:" + b.port);
            assertThat(active)
                    .as("each partition of a store active on one instance")
                    .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
            assertThat(v.get("ingest").get("api").get("total").asDouble()).isPositive();
        }
    }

    @Test
    void services_areExact_throughBothInstances() {
        for (Instance via : List.of(a, b)) {
            JsonNode services = via.get("/api/v1/services").json().get("services");
            for (var e : expected.entrySet()) {
                JsonNode s = find(services, "name", e.getKey());
                assertThat(s).as(e.getKey() + " via " + via.port).isNotNull();
                assertCounts(s, e.getValue(), e.getKey() + " via " + via.port);
            }
        }
    }

    @Test
    void overview_isExact_throughBothInstances() {
        for (Instance via : List.of(a, b)) {
            JsonNode o = via.get("/api/v1/metrics/overview?minutes=15").json();
            long total = 0;
            for (JsonNode s : o.get("byService")) total += s.get("total").asLong();
            assertThat(o.get("total").asLong()).isEqualTo(total);
            for (var e : expected.entrySet()) {
                JsonNode s = find(o.get("byService"), "name", e.getKey());
                assertThat(s).as(e.getKey() + " via " + via.port).isNotNull();
                assertCounts(s, e.getValue(), e.getKey() + " via " + via.port);
            }
        }
    }

    @Test
    void serviceMetrics_areExact_throughBothInstances_ownerOrNot() {
        for (Instance via : List.of(a, b)) {
            for (var e : expected.entrySet()) {
                Instance.Response r = via.get("/api/v1/metrics/service/" + e.getKey());
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                JsonNode m = r.json();
                assertCounts(
                        m.get("allTime"), e.getValue(), e.getKey() + " all time via " + via.port + ": " + r.body());
                assertThat(m.get("window").get("total").asLong()).as(r.body()).isEqualTo(sum(e.getValue()));
            }
            assertThat(via.get("/api/v1/metrics/service/nobody-" + SUFFIX).status())
                    .isEqualTo(404);
        }
    }

    @Test
    void traces_areComplete_throughBothInstances() {
        for (Instance via : List.of(a, b)) {
            for (var t : traces.entrySet()) {
                Instance.Response r = via.get("/api/v1/logs/trace/" + t.getKey());
                assertThat(r.status())
                        .as("trace " + t.getKey() + " via " + via.port + ": " + r.body())
                        .isEqualTo(200);
                List<String> msgs = new ArrayList<>();
                for (JsonNode l : r.json().get("logs"))
                    msgs.add(l.get("message").asString());
                assertThat(msgs).as("trace via " + via.port).containsExactlyElementsOf(t.getValue());
            }
            assertThat(via.get("/api/v1/logs/trace/" + LogFlowApiIT.randomTrace())
                            .status())
                    .isEqualTo(404);
        }
    }

    @Test
    void spanTraces_searchOperationsAndDependencies_areExact_throughBothInstances() {
        Awaitility.await("every span assembled")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    Instance.Response r = a.get("/api/v1/services/orders-" + SUFFIX + "/operations");
                    return r.status() == 200
                            && r.json().get("total").get("count").asLong() == 3L * SPAN_TRACES;
                });
        for (Instance via : List.of(a, b)) {
            for (String t : spanTraces) {
                Instance.Response r = via.get("/api/v1/traces/" + t);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(r.json().get("spanCount").asInt()).isEqualTo(7);
                assertThat(r.json().get("criticalPath").size()).isPositive();
            }
            Instance.Response search = via.get("/api/v1/traces?limit=1000&service=gateway-" + SUFFIX);
            assertThat(search.status()).as(search.body()).isEqualTo(200);
            List<String> found = new ArrayList<>();
            search.json().get("traces").forEach(t -> found.add(t.get("traceId").asString()));
            assertThat(found).containsExactlyInAnyOrderElementsOf(spanTraces);
            assertThat(via.get("/api/v1/traces?error=true&service=payments-" + SUFFIX)
                            .json()
                            .get("count")
                            .asInt())
                    .isEqualTo(SPAN_TRACES / 2);

            JsonNode ops =
                    via.get("/api/v1/services/orders-" + SUFFIX + "/operations").json();
            assertThat(ops.get("total").get("count").asLong()).isEqualTo(3L * SPAN_TRACES);
            assertThat(ops.get("total").get("errors").asLong()).isEqualTo(SPAN_TRACES / 2);
            // over time: every instance's buckets merged, for the service and for each operation
            String series = "/api/v1/services/orders-" + SUFFIX + "/operations/series?interval=5m";
            assertThat(seriesSum(via, series, "count")).isEqualTo(3L * SPAN_TRACES);
            assertThat(seriesSum(via, series, "errors")).isEqualTo(SPAN_TRACES / 2);
            for (JsonNode op : ops.get("operations")) {
                String name = op.get("name").asString();
                String one = series + "&operation=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
                assertThat(seriesSum(via, one, "count"))
                        .as(name)
                        .isEqualTo(op.get("count").asLong());
                assertThat(seriesSum(via, one, "errors"))
                        .as(name)
                        .isEqualTo(op.get("errors").asLong());
            }

            Map<String, Long> calls = new HashMap<>();
            via.get("/api/v1/dependencies").json().get("edges").forEach(e -> {
                if (e.get("caller").asString().endsWith(SUFFIX))
                    calls.put(
                            e.get("caller").asString() + ">" + e.get("callee").asString(),
                            e.get("calls").asLong());
            });
            assertThat(calls)
                    .containsOnly(
                            Map.entry("gateway-" + SUFFIX + ">orders-" + SUFFIX, (long) SPAN_TRACES),
                            Map.entry("orders-" + SUFFIX + ">payments-" + SUFFIX, (long) SPAN_TRACES),
                            Map.entry("orders-" + SUFFIX + ">worker-" + SUFFIX, (long) SPAN_TRACES));
        }
        // the overview lists services that logged: one log of orders, then its spans' RED, merged over both
        // instances' partitions, is the one its service metrics have
        String orders = "orders-" + SUFFIX;
        a.ingest(List.of(log(orders, "INFO", "order placed", null, System.currentTimeMillis() - 1_000)));
        Awaitility.await("orders in the overview")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> find(a.get("/api/v1/metrics/overview").json().get("byService"), "name", orders) != null);
        for (Instance via : List.of(a, b)) {
            JsonNode spans = find(via.get("/api/v1/metrics/overview").json().get("byService"), "name", orders)
                    .get("spans");
            assertThat(spans.get("count").asLong()).as("via " + via.port).isEqualTo(3L * SPAN_TRACES);
            assertThat(spans)
                    .as("via " + via.port)
                    .isEqualTo(
                            via.get("/api/v1/metrics/service/" + orders).json().get("spans"));
        }
    }

    /** The sum of one field over the points of an operations series. */
    private static long seriesSum(Instance via, String path, String field) {
        Instance.Response r = via.get(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        long sum = 0;
        for (JsonNode p : r.json().get("points")) sum += p.get(field).asLong();
        return sum;
    }

    @Test
    void recentAndTimeseries_areExact_throughBothInstances() {
        for (Instance via : List.of(a, b)) {
            for (var e : expected.entrySet()) {
                Instance.Response recent = via.get("/api/v1/logs/recent?limit=1000&service=" + e.getKey());
                assertThat(recent.status()).as(recent.body()).isEqualTo(200);
                assertThat(recent.json().get("count").asLong())
                        .as(recent.body())
                        .isEqualTo(sum(e.getValue()));
                Instance.Response ts = via.get("/api/v1/metrics/timeseries?interval=5m&service=" + e.getKey());
                assertThat(ts.status()).as(ts.body()).isEqualTo(200);
                long total = 0;
                for (JsonNode p : ts.json().get("points"))
                    total += p.get("total").asLong();
                assertThat(total).as(ts.body()).isEqualTo(sum(e.getValue()));
            }
            // every service's series in one answer, each the one it has alone (a fixed range: the same buckets)
            long now = System.currentTimeMillis();
            String range = "&interval=5m&from=" + (now - 3_600_000) + "&to=" + now;
            Instance.Response byService = via.get("/api/v1/metrics/timeseries?by=service&limit=100" + range);
            assertThat(byService.status()).as(byService.body()).isEqualTo(200);
            for (String svc : expected.keySet()) {
                JsonNode entry = find(byService.json().get("services"), "service", svc);
                assertThat(entry).as(svc + " via " + via.port).isNotNull();
                assertThat(entry.get("total").asLong()).as(svc).isEqualTo(sum(expected.get(svc)));
                assertThat(entry.get("points"))
                        .as(svc + " via " + via.port)
                        .isEqualTo(via.get("/api/v1/metrics/timeseries?service=" + svc + range)
                                .json()
                                .get("points"));
            }
            // all services merged over both instances (FATAL only: other test classes' logs share the topic)
            Instance.Response all = via.get("/api/v1/logs/recent?limit=1000&level=FATAL");
            assertThat(all.status()).as(all.body()).isEqualTo(200);
            Map<String, Long> perService = new HashMap<>();
            for (JsonNode l : all.json().get("logs"))
                perService.merge(l.get("service.name").asString(), 1L, Long::sum);
            for (var e : expected.entrySet()) {
                assertThat(perService.getOrDefault(e.getKey(), 0L))
                        .as(e.getKey())
                        .isEqualTo(e.getValue()[Level.FATAL.ordinal()]);
            }
        }
    }

    /**
     * Runs last: one instance goes away; the other answers 503 until it serves every partition, then exact totals —
     * never a partial answer.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void whenAnInstanceLeaves_theOtherAnswers503UntilItServesEverything_neverPartialTotals() {
        Thread closing = new Thread(b::close, "close-b");
        closing.start(); // poll a while b leaves, not only afterwards
        int unavailable = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Instance.Response r = a.get("/api/v1/services");
            if (r.status() == 503) {
                unavailable++;
                assertThat(r.header("Retry-After")).isNotNull();
                assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            } else {
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                JsonNode services = r.json().get("services");
                for (var e : expected.entrySet()) {
                    JsonNode s = find(services, "name", e.getKey());
                    // a partial answer would miss or undercount the services of b's partitions
                    assertThat(s).as(e.getKey() + " in a 200 answer").isNotNull();
                    assertThat(s.get("total").asLong())
                            .as(e.getKey() + " in a 200 answer")
                            .isEqualTo(sum(e.getValue()));
                }
                if (!closing.isAlive() && servesAlone(a)) break;
            }
            assertThat(System.nanoTime()).as("a serves everything within 120 s").isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        // how many 503s depends on timing (b's close may already have been absorbed); what matters is that no 200 was
        // partial
        System.out.println("503 answers while b's partitions moved to a: " + unavailable);
        for (String t : traces.keySet())
            assertThat(a.get("/api/v1/logs/trace/" + t).status()).isEqualTo(200);
        assertThat(a.get("/api/v1/logs/trace/" + CROSS_TRACE)
                        .json()
                        .get("count")
                        .asInt())
                .isEqualTo(4);
    }

    private static boolean servesAlone(Instance instance) {
        try {
            return instance.bean(StoreMetadata.class).hostsOf(Stores.SERVICES).size() == 1;
        } catch (ApiException rebalancing) {
            return false;
        }
    }

    private static void assertCounts(JsonNode node, long[] counts, String what) {
        assertThat(node.get("total").asLong()).as(what).isEqualTo(sum(counts));
        for (Level l : LEVELS)
            assertThat(node.get("byLevel").get(l.name()).asLong())
                    .as(what + " " + l)
                    .isEqualTo(counts[l.ordinal()]);
    }
}
