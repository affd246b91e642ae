package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.infra.LocalKafka;
import io.logflow.infra.ScratchDatabase;
import io.logflow.infra.StateApiProcess;
import io.logflow.model.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fault suite: the server is killed with SIGKILL in the middle of ingesting a backlog of logs and
 * OTLP spans, and started again on the same state directory. Every service's log total and error
 * count, its span count, and the spans of sample traces must then be exact: nothing lost, nothing
 * counted twice (exactly-once processing, changelogged stores).
 */
class ServerCrashIT {
    static final int SERVICES = 6;
    static final int LOGS = 120_000;
    static final int TRACES = 2_500;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    static LocalKafka kafka;
    static ScratchDatabase database;
    static StateApiProcess server;
    static Path jar;
    static final String APP = "logflow-crash-" + UUID.randomUUID();
    static final Map<String, long[]> logsByService = new TreeMap<>(); // service -> {total, errors}
    static final Map<String, Long> spansByService = new TreeMap<>();
    static final Map<String, Integer> spansByTrace = new HashMap<>();

    @BeforeAll
    static void produceBacklog() throws Exception {
        jar = TestServers.copyJar(dir);
        kafka = LocalKafka.start(dir.resolve("kafka"), 0);
        database = ScratchDatabase.create("logflow_e2e", dir);
        server = start("1"); // creates the topics, then stop it before the backlog is produced
        server.close();

        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                262_144);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < LOGS; i++) {
                String service = "crash-svc-" + (i % SERVICES);
                boolean error = i % 7 == 0;
                String log = "{\"@timestamp\":" + (now - 60_000 + i % 60_000) + ",\"service\":\"" + service
                        + "\",\"level\":\"" + (error ? "ERROR" : "INFO") + "\",\"message\":\"request " + i + "\"}";
                long[] counts = logsByService.computeIfAbsent(service, s -> new long[2]);
                counts[0]++;
                if (error) counts[1]++;
                producer.send(new ProducerRecord<>(
                        Topics.LOGS.name(),
                        service.getBytes(StandardCharsets.UTF_8),
                        log.getBytes(StandardCharsets.UTF_8)));
            }
            TraceGenerator generator = new TraceGenerator(2026);
            long startNanos = (now - 120_000) * 1_000_000L;
            List<TraceGenerator.Span> batch = new ArrayList<>();
            for (int t = 0; t < TRACES; t++) {
                TraceGenerator.Trace trace = generator.next(startNanos + t * 40_000_000L);
                spansByTrace.put(trace.traceId(), trace.spans().size());
                for (TraceGenerator.Span s : trace.spans()) {
                    spansByService.merge(s.service(), 1L, Long::sum);
                    batch.add(s);
                    if (batch.size() == 100) {
                        producer.send(new ProducerRecord<>(Topics.OTLP_SPANS.name(), TraceEncoding.otlp(batch)));
                        batch = new ArrayList<>();
                    }
                }
            }
            if (!batch.isEmpty()) {
                producer.send(new ProducerRecord<>(Topics.OTLP_SPANS.name(), TraceEncoding.otlp(batch)));
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (database != null) database.close();
        if (kafka != null) kafka.close();
    }

    static StateApiProcess start(String run) {
        StateApiProcess p = TestServers.start(
                jar,
                kafka.bootstrapServers(),
                dir.resolve("state"),
                APP,
                Path.of("target", "crash-state-api-" + run + ".log"),
                Map.of("DATABASE_URL", database.url()));
        p.awaitHealthy(Duration.ofSeconds(120));
        TestServers.signIn(p.baseUri());
        return p;
    }

    @Test
    void killedMidIngest_andRestarted_countsEveryLogAndSpanExactlyOnce() throws Exception {
        server = start("2");
        Api api = new Api(server.baseUri());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long counted = 0;
        while ((counted = loggedTotal(api)) < LOGS / 3 && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(counted).as("logs counted before the kill").isBetween(1L, (long) LOGS - 1);
        long pid = server.pid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL, mid-ingest
        server.waitFor();
        System.out.printf("server crash: killed -9 with %,d of %,d logs counted%n", counted, LOGS);

        long restartedAt = System.nanoTime();
        server = start("3");
        api = new Api(server.baseUri());
        deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!(loggedTotal(api) >= LOGS
                        && spansTotal(api)
                                >= spansByService.values().stream()
                                        .mapToLong(Long::longValue)
                                        .sum())
                && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        Thread.sleep(1_000); // one more commit interval: a late duplicate would show now

        for (var e : logsByService.entrySet()) {
            JsonNode s = service(api, e.getKey());
            assertThat(s.get("total").asLong()).as("logs of " + e.getKey()).isEqualTo(e.getValue()[0]);
            assertThat(s.get("errors").asLong()).as("errors of " + e.getKey()).isEqualTo(e.getValue()[1]);
        }
        for (var e : spansByService.entrySet()) {
            assertThat(spans(api, e.getKey())).as("spans of " + e.getKey()).isEqualTo(e.getValue());
        }
        // A trace is read from the trace store, whose task may still be catching up when the aggregates above are
        // complete (the answer says "stale" then): each trace must become complete within the bound and never
        // show a span twice.
        int checked = 0;
        long traceDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long waitedForTraces = System.nanoTime();
        for (var e : spansByTrace.entrySet()) {
            if (checked++ == 100) break;
            int shown;
            while (true) {
                JsonNode trace =
                        JSON.readTree(api.get("/api/v1/traces/" + e.getKey()).body());
                shown = trace.get("spans").size();
                assertThat(shown)
                        .as("spans of trace " + e.getKey() + " (never more)")
                        .isLessThanOrEqualTo(e.getValue());
                if (shown == e.getValue() || System.nanoTime() > traceDeadline) break;
                System.out.printf(
                        "server crash: trace %s read with %d of %d spans (stale: %s), read again%n",
                        e.getKey(), shown, e.getValue(), trace.path("stale").asBoolean(false));
                Thread.sleep(100);
            }
            assertThat(shown).as("spans of trace " + e.getKey()).isEqualTo(e.getValue());
        }
        System.out.printf(
                "server crash: 100 traces read complete %.1f s after the aggregates were%n",
                (System.nanoTime() - waitedForTraces) / 1e9);
        System.out.printf(
                "server crash: after the restart every log (%,d), error and span (%,d) counted exactly once,"
                        + " %d traces complete; caught up %.1f s after the restart%n",
                LOGS,
                spansByService.values().stream().mapToLong(Long::longValue).sum(),
                Math.min(100, spansByTrace.size()),
                (System.nanoTime() - restartedAt) / 1e9);
    }

    static long loggedTotal(Api api) {
        Api.Answer a = api.get("/api/v1/services");
        if (a.status() != 200) return 0;
        long total = 0;
        for (JsonNode s : JSON.readTree(a.body()).get("services")) {
            if (s.get("name").asString().startsWith("crash-svc-"))
                total += s.get("total").asLong();
        }
        return total;
    }

    static long spansTotal(Api api) {
        long total = 0;
        for (String s : spansByService.keySet()) total += spans(api, s);
        return total;
    }

    static long spans(Api api, String service) {
        Api.Answer a = api.get("/api/v1/services/" + service + "/operations?minutes=1440");
        if (a.status() != 200) return 0;
        return JSON.readTree(a.body()).get("total").get("count").asLong();
    }

    static JsonNode service(Api api, String name) {
        for (JsonNode s : JSON.readTree(api.get("/api/v1/services").body()).get("services")) {
            if (s.get("name").asString().equals(name)) return s;
        }
        throw new AssertionError("service " + name + " missing at " + Instant.now());
    }
}
