package io.logflow.api;

import static io.logflow.api.LogFlowApiIT.log;
import static io.logflow.api.LogFlowApiIT.metric;
import static io.logflow.api.LogFlowApiIT.metricWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import tools.jackson.databind.JsonNode;

/** The SSE live tail against a real broker and topology: latency, resume, filters, limits. */
class LiveTailIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final int RING = 50;
    static final int MAX_CLIENTS = 500;

    static Instance app;

    @BeforeAll
    static void start() throws Exception {
        app = Instance.start(
                        "tail-it-" + SUFFIX,
                        Map.of(
                                "logflow.tail.replay-buffer",
                                RING,
                                "logflow.tail.max-clients",
                                MAX_CLIENTS,
                                "logflow.tail.client-buffer",
                                256,
                                "logflow.tail.heartbeat",
                                "1s"))
                .awaitHealthy();
        // warm up the pipeline (first transactions, first fetches) so latency is measured on a running system
        String warm = "warmup-" + SUFFIX;
        try (SseClient c = SseClient.connectLive(url("service=" + warm), null)) {
            app.ingest(List.of(log(warm, "INFO", "warm", null, System.currentTimeMillis())));
            assertThat(c.nextLog(Duration.ofSeconds(30))).isNotNull();
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    /** A stream url with a fresh ticket, as the UI opens an EventSource (which cannot send headers). */
    static String url(String query) {
        return app.base + "/api/v1/stream/logs?" + query + "&ticket=" + app.ticket();
    }

    @Test
    void liveEvent_arrivesWithinOneSecondOfIngest() throws Exception {
        String svc = "latency-" + SUFFIX;
        try (SseClient c = SseClient.connectLive(url("service=" + svc), null)) {
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                app.ingest(List.of(log(svc, "INFO", "hello " + i, null, System.currentTimeMillis())));
                ServerSentEvent<String> e = c.nextLog(Duration.ofSeconds(5));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(e).as("event " + i).isNotNull();
                assertThat(e.event()).isEqualTo("log");
                JsonNode doc = Instance.JSON.readTree(e.data());
                assertThat(doc.get("message").asString()).isEqualTo("hello " + i);
                assertThat(doc.get("service.name").asString()).isEqualTo(svc);
                assertThat(ms).as("ms from POST to event").isLessThan(1000);
            }
        }
    }

    @Test
    void resume_fromTheRing_withoutGapsOrDuplicates() throws Exception {
        String svc = "ring-" + SUFFIX;
        double before =
                metricWith(app.get("/actuator/prometheus").body(), "logflow_tail_resumes_total", "source=\"ring\"");
        String resumeId;
        try (SseClient c = SseClient.connectLive(url("service=" + svc), null)) {
            app.ingest(messages(svc, 0, 10));
            List<String> got = new ArrayList<>();
            resumeId = null;
            for (int i = 0; i < 4; i++) {
                ServerSentEvent<String> e = c.nextLog(Duration.ofSeconds(10));
                got.add(message(e));
                resumeId = e.id();
            }
            assertThat(got).containsExactly("m0", "m1", "m2", "m3");
        }
        app.ingest(messages(svc, 10, 15));
        awaitHubRead(svc, "m14");
        try (SseClient resumed = SseClient.connect(url("service=" + svc), resumeId, null)) {
            List<String> got = messages(resumed.logsUntilQuiet(Duration.ofSeconds(2)));
            assertThat(got).containsExactlyElementsOf(range(4, 15));
        }
        assertThat(metricWith(app.get("/actuator/prometheus").body(), "logflow_tail_resumes_total", "source=\"ring\""))
                .isEqualTo(before + 1);
    }

    @Test
    void resume_olderThanTheRing_readsFromKafka_withoutGapsOrDuplicates_thenContinuesLive() throws Exception {
        String svc = "kafka-" + SUFFIX;
        String resumeId;
        try (SseClient c = SseClient.connectLive(url("service=" + svc), null)) {
            app.ingest(messages(svc, 0, 10));
            ServerSentEvent<String> e = null;
            for (int i = 0; i < 3; i++) e = c.nextLog(Duration.ofSeconds(10));
            assertThat(message(e)).isEqualTo("m2");
            resumeId = e.id();
        }
        // push the client's position out of the ring
        List<String> noise = new ArrayList<>();
        for (int i = 0; i < RING + 20; i++)
            noise.add(log("noise-" + SUFFIX + "-" + (i % 7), "INFO", "noise " + i, null, System.currentTimeMillis()));
        app.ingest(noise);
        app.ingest(messages(svc, 10, 13));
        awaitHubRead(svc, "m12");
        double before =
                metricWith(app.get("/actuator/prometheus").body(), "logflow_tail_resumes_total", "source=\"kafka\"");
        try (SseClient resumed = SseClient.connect(url("service=" + svc), resumeId, null)) {
            List<String> got = messages(resumed.logsUntilQuiet(Duration.ofSeconds(2)));
            assertThat(got).containsExactlyElementsOf(range(3, 13));
            // and it is live afterwards
            app.ingest(messages(svc, 13, 14));
            assertThat(message(resumed.nextLog(Duration.ofSeconds(5)))).isEqualTo("m13");
            assertThat(resumed.logsUntilQuiet(Duration.ofSeconds(1))).isEmpty();
        }
        assertThat(metricWith(app.get("/actuator/prometheus").body(), "logflow_tail_resumes_total", "source=\"kafka\""))
                .isEqualTo(before + 1);
    }

    @Test
    void filters_byServiceMinimumLevelAndTraceId() throws Exception {
        String svc = "filters-" + SUFFIX;
        String trace = LogFlowApiIT.randomTrace();
        try (SseClient errors = SseClient.connectLive(url("service=" + svc + "&level=warn"), null);
                SseClient byTrace = SseClient.connectLive(url("trace_id=" + LogFlowApiIT.uuid(trace)), null)) {
            long now = System.currentTimeMillis();
            app.ingest(List.of(
                    log(svc, "DEBUG", "d", null, now),
                    log(svc, "INFO", "i", trace, now),
                    log(svc, "WARN", "w", null, now),
                    log(svc, "ERROR", "e", trace, now),
                    log("other-" + SUFFIX, "FATAL", "f", trace, now)));
            assertThat(messages(errors.logsUntilQuiet(Duration.ofSeconds(2)))).containsExactly("w", "e");
            assertThat(messages(byTrace.logsUntilQuiet(Duration.ofMillis(500))))
                    .containsExactlyInAnyOrder("i", "e", "f");
        }
    }

    @Test
    void heartbeats_keepIdleClientsAlive_andCarryThePositionPastFilteredRecords() throws Exception {
        String svc = "quiet-" + SUFFIX;
        try (SseClient c = SseClient.connectLive(url("service=" + svc), null)) {
            String connectedId = c.lastId;
            app.ingest(
                    List.of(log("chatty-" + SUFFIX, "INFO", "not for this client", null, System.currentTimeMillis())));
            awaitHubRead("chatty-" + SUFFIX, "not for this client");
            ServerSentEvent<String> beat = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                ServerSentEvent<String> e = c.events.poll(1, TimeUnit.SECONDS);
                if (e != null && "heartbeat".equals(e.comment()) && e.id() != null) {
                    beat = e;
                    break;
                }
            }
            assertThat(beat).as("a heartbeat with an id").isNotNull();
            assertThat(beat.data()).isNull();
            assertThat(beat.id()).isNotEqualTo(connectedId);
        }
    }

    @Test
    void malformedLastEventId_is400() {
        Instance.Response r = app.get("/api/v1/stream/logs", "Last-Event-ID", "banana");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("parameter").asString()).isEqualTo("Last-Event-ID");
    }

    @Test
    void fiveHundredConcurrentClients_allReceiveEachEvent_andOneMoreIsRefused() throws Exception {
        String svc = "crowd-" + SUFFIX;
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CLIENTS; i++) clients.add(SseClient.connect(url("service=" + svc), null, null));
            Awaitility.await("all connected")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> metric(app.get("/actuator/prometheus").body(), "logflow_tail_clients") == MAX_CLIENTS);
            Instance.Response refused = app.get("/api/v1/stream/logs?service=" + svc);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isNotNull();
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");

            long t0 = System.nanoTime();
            app.ingest(List.of(log(svc, "INFO", "to everyone", null, System.currentTimeMillis())));
            for (SseClient c : clients) {
                ServerSentEvent<String> e = c.nextLog(Duration.ofSeconds(10));
                assertThat(e).isNotNull();
                assertThat(message(e)).isEqualTo("to everyone");
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
                    .as("ms until all 500 had the event")
                    .isLessThan(5000);
        } finally {
            clients.forEach(SseClient::close);
        }
        Awaitility.await("all disconnected")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> metric(app.get("/actuator/prometheus").body(), "logflow_tail_clients") == 0);
    }

    @Test
    void aClientThatStopsReading_isDropped_andCounted() throws Exception {
        String svc = "slow-" + SUFFIX;
        double before = metric(app.get("/actuator/prometheus").body(), "logflow_tail_clients_dropped_total");
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", app.port));
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/v1/stream/logs?service=" + svc
                            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: "
                            + app.bearer() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String big = "x".repeat(60_000);
            Awaitility.await("slow client dropped")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        List<String> batch = new ArrayList<>();
                        for (int i = 0; i < 60; i++)
                            batch.add(log(svc, "INFO", big + i, null, System.currentTimeMillis()));
                        app.ingest(batch);
                        return metric(app.get("/actuator/prometheus").body(), "logflow_tail_clients_dropped_total")
                                > before;
                    });
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Waits until the hub has read {@code message} of {@code service}, seen by a fresh resume-less client via recent
     * logs.
     */
    private static void awaitHubRead(String service, String message) {
        Awaitility.await("hub read " + message)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Instance.Response r = app.get("/api/v1/logs/recent?limit=1&service=" + service);
                    return r.status() == 200
                            && r.json().get("count").asInt() == 1
                            && r.json()
                                    .get("logs")
                                    .get(0)
                                    .get("message")
                                    .asString()
                                    .equals(message);
                });
        // the aggregates and the hub read the same committed records; give the hub its poll interval
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> messages(String svc, int from, int to) {
        List<String> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = from; i < to; i++) out.add(log(svc, "INFO", "m" + i, null, now));
        return out;
    }

    private static List<String> range(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) out.add("m" + i);
        return out;
    }

    private static String message(ServerSentEvent<String> e) {
        assertThat(e).isNotNull();
        return Instance.JSON.readTree(e.data()).get("message").asString();
    }

    private static List<String> messages(List<ServerSentEvent<String>> events) {
        List<String> out = new ArrayList<>();
        for (ServerSentEvent<String> e : events) out.add(message(e));
        return out;
    }
}
