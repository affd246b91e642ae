package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.infra.LocalKafka;
import io.logflow.infra.ScratchDatabase;
import io.logflow.infra.StateApiProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What a user does: a real broker, the real server boot jar as a child process, a few seconds of
 * demo traffic through {@code POST /api/v1/logs}, then every query endpoint and a live-tail client
 * must show exactly that traffic.
 */
class LogFlowEndToEndIT {
    private static final int SERVICES = 6;
    private static final Duration TRAFFIC = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    private static LocalKafka kafka;
    private static ScratchDatabase database;
    private static StateApiProcess server;
    private static Api api;
    private static Demo.Result traffic;
    private static final List<TrafficGenerator.Request> requests = new CopyOnWriteArrayList<>();
    private static final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private static final AtomicBoolean tailConnected = new AtomicBoolean();
    private static Thread tailReader;

    record SseEvent(String id, String event, String data) {}

    @BeforeAll
    static void startLogFlowAndSendTraffic() throws Exception {
        Path jar = TestServers.copyJar(dir);
        kafka = LocalKafka.start(dir.resolve("kafka"), 0);
        database = ScratchDatabase.create("logflow_e2e", dir); // not ./logflow up's database
        server = TestServers.start(
                jar,
                kafka.bootstrapServers(),
                dir.resolve("state"),
                "logflow-e2e-" + UUID.randomUUID(),
                Path.of("target", "e2e-state-api.log"),
                Map.of("DATABASE_URL", database.url())); // kept for a failure's post-mortem
        server.awaitHealthy(Duration.ofSeconds(120));
        TestServers.signIn(server.baseUri());
        api = new Api(server.baseUri());

        startLiveTail();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!tailConnected.get() && System.nanoTime() < until) Thread.sleep(50);

        traffic = Demo.run(
                new Demo.Options(server.baseUri(), SERVICES, 400, TRAFFIC, 0.1, 2026),
                requests::add,
                new AtomicBoolean(),
                null);
        assertThat(traffic.failed())
                .as("logs the server did not take: %s", traffic.lastProblem())
                .isZero();
        assertThat(traffic.rejected())
                .as("demo logs are all valid: %s", traffic.lastProblem())
                .isZero();
        assertThat(traffic.accepted()).isEqualTo(generated().size()).isPositive();

        // the topology is asynchronous: wait (bounded) until the overview has counted everything
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (api.overviewTotal(15) < traffic.accepted() && System.nanoTime() < deadline) Thread.sleep(200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (tailReader != null) tailReader.interrupt();
        if (server != null) server.close();
        if (database != null) database.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void services_listsEveryServiceThatSentLogs_withExactTotals() {
        JsonNode body = ok("/api/v1/services");
        Map<String, Long> totals = new HashMap<>();
        for (JsonNode s : body.get("services"))
            totals.put(s.get("name").asString(), s.get("total").asLong());
        assertThat(totals).isEqualTo(countsByService());
        assertThat(body.get("count").asInt()).isEqualTo(totals.size());
    }

    @Test
    void overview_countsExactlyTheAcceptedLogs_byLevelAndService() {
        JsonNode o = ok("/api/v1/metrics/overview?minutes=15");
        List<TrafficGenerator.Log> logs = generated();
        assertThat(o.get("total").asLong()).isEqualTo(traffic.accepted());
        long errors = logs.stream().filter(l -> l.level().isError()).count();
        assertThat(o.get("errors").asLong()).isEqualTo(errors).isPositive();
        Map<String, Long> byLevel = new HashMap<>();
        o.get("byLevel").properties().forEach(e -> {
            if (e.getValue().asLong() > 0) byLevel.put(e.getKey(), e.getValue().asLong());
        });
        Map<String, Long> expectedByLevel = new HashMap<>();
        for (TrafficGenerator.Log l : logs) expectedByLevel.merge(l.level().name(), 1L, Long::sum);
        assertThat(byLevel).isEqualTo(expectedByLevel);
        Map<String, Long> byService = new HashMap<>();
        for (JsonNode s : o.get("byService"))
            byService.put(s.get("name").asString(), s.get("total").asLong());
        assertThat(byService).isEqualTo(countsByService());
        assertThat(o.get("topErrors")).isNotEmpty();
    }

    @Test
    void serviceMetrics_matchWhatTheServiceSent() {
        String service = "orders";
        long sent = countsByService().get(service);
        JsonNode m = ok("/api/v1/metrics/service/" + service + "?minutes=15");
        assertThat(m.at("/allTime/total").asLong()).isEqualTo(sent);
        assertThat(m.at("/window/total").asLong()).isEqualTo(sent);
        long errors = generated().stream()
                .filter(l -> l.service().equals(service) && l.level().isError())
                .count();
        assertThat(m.at("/window/errors").asLong()).isEqualTo(errors);
        assertThat(api.get("/api/v1/metrics/service/no-such-service").status()).isEqualTo(404);
    }

    @Test
    void trace_returnsOneRequestsLogsFromEveryService_inTimeOrder() {
        TrafficGenerator.Request req = requests.stream()
                .filter(r -> r.services().size() >= 4)
                .findFirst()
                .orElseGet(() -> requests.stream()
                        .filter(r -> r.services().size() >= 3)
                        .findFirst()
                        .orElseThrow());
        JsonNode t = ok("/api/v1/logs/trace/" + req.traceId());
        JsonNode logs = t.get("logs");
        assertThat(logs).hasSize(req.logs().size());
        List<String> messages = new ArrayList<>();
        Set<String> services = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (JsonNode l : logs) {
            assertThat(l.get("trace.id").asString()).isEqualTo(req.traceId());
            long ts = Instant.parse(l.get("@timestamp").asString()).toEpochMilli();
            assertThat(ts).isGreaterThanOrEqualTo(previous);
            previous = ts;
            messages.add(l.get("message").asString());
            services.add(l.get("service.name").asString());
        }
        assertThat(services).hasSizeGreaterThanOrEqualTo(3).containsExactlyInAnyOrderElementsOf(req.services());
        assertThat(messages)
                .containsExactlyElementsOf(
                        req.logs().stream().map(TrafficGenerator.Log::message).toList());
        assertThat(api.get("/api/v1/logs/trace/" + "0123456789abcdef0123456789abcdef")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void recentLogs_areTheNewestOfTheService_filteredByLevel() {
        JsonNode r = ok("/api/v1/logs/recent?service=payments&limit=10");
        assertThat(r.get("logs")).hasSize(10);
        for (JsonNode l : r.get("logs"))
            assertThat(l.get("service.name").asString()).isEqualTo("payments");
        // the newest are the last to arrive; batches travel concurrently, so "last" is up to a few batches
        List<TrafficGenerator.Log> sent =
                generated().stream().filter(l -> l.service().equals("payments")).toList();
        Set<String> lastSent = new HashSet<>();
        for (TrafficGenerator.Log l : sent.subList(Math.max(0, sent.size() - 100), sent.size()))
            lastSent.add(l.message());
        for (JsonNode l : r.get("logs"))
            assertThat(lastSent).contains(l.get("message").asString());

        // level is a minimum: ERROR means ERROR and FATAL
        JsonNode errors = ok("/api/v1/logs/recent?level=ERROR&limit=1000");
        long sentErrors = generated().stream().filter(l -> l.level().isError()).count();
        assertThat(errors.get("logs").size()).isEqualTo((int) Math.min(1000, sentErrors));
        for (JsonNode l : errors.get("logs"))
            assertThat(l.get("log.level").asString()).isIn("ERROR", "FATAL");
    }

    @Test
    void timeseries_pointsAddUpToWhatTheServiceSent() {
        String service = "gateway";
        String from = Instant.now().minus(Duration.ofMinutes(10)).toString();
        JsonNode ts = ok("/api/v1/metrics/timeseries?service=" + service + "&interval=1m&from=" + from);
        long sum = 0;
        for (JsonNode p : ts.get("points")) sum += p.get("total").asLong();
        assertThat(sum).isEqualTo(countsByService().get(service));
        assertThat(ts.get("interval").asString()).isEqualTo("1m");
    }

    @Test
    void liveTail_receivedTheTrafficAsEventsWithIds() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (logEvents().size() < traffic.accepted() && System.nanoTime() < deadline) Thread.sleep(100);
        List<SseEvent> logs = logEvents();
        assertThat(logs).isNotEmpty();
        assertThat(logs).allSatisfy(e -> assertThat(e.id()).isNotBlank());
        Set<String> services = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (SseEvent e : logs) {
            services.add(Api.JSON.readTree(e.data()).get("service.name").asString());
            ids.add(e.id());
        }
        assertThat(services)
                .containsExactlyInAnyOrderElementsOf(countsByService().keySet());
        assertThat(ids).as("every event has its own id").hasSize(logs.size());
        assertThat(logs).as("each accepted log exactly once").hasSize((int) traffic.accepted());
    }

    private static List<SseEvent> logEvents() {
        return events.stream()
                .filter(e -> "log".equals(e.event()) && e.data() != null)
                .toList();
    }

    private static List<TrafficGenerator.Log> generated() {
        return requests.stream().flatMap(r -> r.logs().stream()).toList();
    }

    private static Map<String, Long> countsByService() {
        Map<String, Long> m = new ConcurrentHashMap<>();
        for (TrafficGenerator.Log l : generated()) m.merge(l.service(), 1L, Long::sum);
        return m;
    }

    private static JsonNode ok(String pathAndQuery) {
        Api.Answer a = api.get(pathAndQuery);
        assertThat(a.status())
                .as("GET %s -> %s", pathAndQuery, Api.abbreviate(a.body()))
                .isEqualTo(200);
        return a.json();
    }

    /** An SSE client on /api/v1/stream/logs, collecting every event until the test ends. */
    private static void startLiveTail() {
        URI uri = server.baseUri().resolve("/api/v1/stream/logs");
        tailReader = new Thread(
                () -> {
                    try {
                        HttpResponse<java.io.InputStream> r = api.http()
                                .send(
                                        HttpRequest.newBuilder(uri)
                                                .headers(BenchAccess.readHeaders())
                                                .header("Accept", "text/event-stream")
                                                .GET()
                                                .build(),
                                        HttpResponse.BodyHandlers.ofInputStream());
                        if (r.statusCode() != 200) return;
                        try (BufferedReader in =
                                new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                            String id = null, event = null;
                            StringBuilder data = null;
                            String line;
                            while ((line = in.readLine()) != null
                                    && !Thread.currentThread().isInterrupted()) {
                                if (line.isEmpty()) {
                                    if (id != null || data != null)
                                        events.add(new SseEvent(id, event, data == null ? null : data.toString()));
                                    tailConnected.set(true);
                                    id = null;
                                    event = null;
                                    data = null;
                                } else if (line.startsWith("id:")) {
                                    id = line.substring(3).trim();
                                } else if (line.startsWith("event:")) {
                                    event = line.substring(6).trim();
                                } else if (line.startsWith("data:")) {
                                    String d = line.substring(5);
                                    if (d.startsWith(" ")) d = d.substring(1);
                                    data = data == null
                                            ? new StringBuilder(d)
                                            : data.append('\n').append(d);
                                } else if (line.startsWith(":")) {
                                    tailConnected.set(true); // a comment: "connected", heartbeat
                                }
                            }
                        }
                    } catch (Exception e) {
                        // the stream ends when the server stops
                    }
                },
                "sse-client");
        tailReader.setDaemon(true);
        tailReader.start();
    }
}
