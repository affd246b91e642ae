package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.logflow.infra.LocalKafka;
import io.logflow.infra.LocalPostgres;
import io.logflow.infra.StateApiProcess;
import io.logflow.model.schema.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fault suite: the PostgreSQL that holds alert rules and alert history (one this test starts, on a
 * port and in a data directory of its own) is stopped for 30 s while services breach their rules.
 * Meanwhile the rules API answers 503 with Retry-After (never a 500, never a hang) and the topology
 * still fires to {@code logflow.alerts}; once PostgreSQL is back, every FIRING alert is stored once
 * and notified at its webhook once: nothing lost, nothing sent twice.
 */
class PostgresOutageIT {
    static final int SERVICES = 3;
    static final Duration OUTAGE = Duration.ofSeconds(30);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path dir;

    static LocalPostgres postgres;
    static int postgresPort;
    static LocalKafka kafka;
    static StateApiProcess server;
    static HttpServer receiver;
    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    /** FIRING notifications received per alert id, and when the first arrived. */
    static final Map<String, AtomicInteger> firingHooks = new ConcurrentHashMap<>();

    static final ConcurrentLinkedQueue<Long> firingHookNanos = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path jar = TestServers.copyJar(dir);
        postgresPort = StateApiProcess.freePort();
        postgres = startPostgres();
        kafka = LocalKafka.start(dir.resolve("kafka"), 0);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/", PostgresOutageIT::hook);
        receiver.start();
        server = TestServers.start(
                jar,
                kafka.bootstrapServers(),
                dir.resolve("state"),
                "logflow-pg-" + SUFFIX,
                Path.of("target", "pg-outage-state-api.log"),
                Map.of(
                        "DATABASE_URL",
                        postgres.databaseUrl("logflow_outage"),
                        "LOGFLOW_ALERT_NOTIFY_SWEEP",
                        "2s",
                        // the webhook receiver of this test, on loopback (ADR 025)
                        "LOGFLOW_WEBHOOK_ALLOW",
                        "127.0.0.1/32"));
        server.awaitHealthy(Duration.ofSeconds(120));
        TestServers.signIn(server.baseUri());
    }

    static LocalPostgres startPostgres() {
        return LocalPostgres.start(dir.resolve("pg"), postgresPort, Path.of("target", "pg-outage-postgres.log"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (receiver != null) receiver.stop(0);
        if (kafka != null) kafka.close();
        if (postgres != null) postgres.close();
    }

    static void hook(HttpExchange ex) throws IOException {
        JsonNode event = JSON.readTree(ex.getRequestBody().readAllBytes());
        if ("FIRING".equals(event.get("state").asString())) {
            firingHooks
                    .computeIfAbsent(event.get("alert_id").asString(), id -> new AtomicInteger())
                    .incrementAndGet();
            firingHookNanos.add(System.nanoTime());
        }
        ex.sendResponseHeaders(204, -1);
        ex.close();
    }

    @Test
    void postgresDown30s_rulesApi503_alertsStillFire_andAreStoredAndNotifiedOnceAfterItReturns() throws Exception {
        List<String> services = new ArrayList<>();
        Map<String, String> ruleOf = new TreeMap<>();
        String hooks = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook/";
        for (int i = 0; i < SERVICES; i++) {
            String service = "pg-outage-" + SUFFIX + "-" + i;
            services.add(service);
            Answer created = send("POST", "/api/v1/alerts/rules", ruleBody(service, hooks + service));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            ruleOf.put(service, JSON.readTree(created.body()).get("id").asString());
        }
        Thread.sleep(2_000); // the rules reach the topology through logflow.alert-rules
        // the services' agents send with their token all along: this instance has accepted it before the outage
        Answer before = send(
                "POST",
                "/api/v1/logs",
                "{\"service\":\"pg-outage-" + SUFFIX + "-agent\",\"level\":\"INFO\",\"message\":\"up\"}");
        assertThat(before.status()).as(before.body()).isEqualTo(202);
        // a token made just now and never used: during the outage nobody can say whether it is still valid
        String unused = io.logflow.infra.LocalAccess.createIngestToken(
                server.baseUri(), BenchAccess.read().substring("Bearer ".length()), "unused-" + SUFFIX);

        try (KafkaConsumer<byte[], byte[]> alerts = alertsConsumer()) {
            postgres.close();
            long downAt = System.nanoTime();
            System.out.printf("postgres outage: PostgreSQL on port %d stopped%n", postgresPort);

            Map<String, AtomicInteger> byStatus = new ConcurrentHashMap<>();
            AtomicInteger withoutRetryAfter = new AtomicInteger();
            AtomicLong slowestNanos = new AtomicLong();
            AtomicBoolean probing = new AtomicBoolean(true);
            List<Thread> probes = new ArrayList<>();
            // the alerting API, probed without pause for the whole outage
            for (String probe :
                    List.of("GET /api/v1/alerts/rules", "POST /api/v1/alerts/rules", "GET /api/v1/alerts/triggered")) {
                String method = probe.substring(0, probe.indexOf(' '));
                String path = probe.substring(probe.indexOf(' ') + 1);
                Thread t = new Thread(() -> {
                    while (probing.get()) {
                        long t0 = System.nanoTime();
                        Answer a = send(
                                method,
                                path,
                                method.equals("POST") ? ruleBody("never-" + SUFFIX, hooks + "never") : null);
                        slowestNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                        byStatus.computeIfAbsent(probe + " " + a.status(), s -> new AtomicInteger())
                                .incrementAndGet();
                        if (a.status() == 503 && a.retryAfter() == null) withoutRetryAfter.incrementAndGet();
                        sleep(100);
                    }
                });
                t.start();
                probes.add(t);
            }

            // breaching logs while PostgreSQL is down; the FIRING events must reach logflow.alerts
            long logsSentAt = System.nanoTime();
            for (String service : services) {
                String errors = ("{\"service\":\"" + service
                                + "\",\"level\":\"ERROR\",\"message\":\"database gone\"}\n")
                        .repeat(3);
                Answer accepted = send("POST", "/api/v1/logs", errors, "application/x-ndjson");
                assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            }
            var withUnused = http.send(
                    HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/logs"))
                            .header("Authorization", "Bearer " + unused)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"x\",\"message\":\"y\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withUnused.statusCode())
                    .as("a token never accepted before, while PostgreSQL is down: " + withUnused.body())
                    .isEqualTo(503);
            assertThat(withUnused.headers().firstValue("Retry-After")).isPresent();
            Map<String, String> firedAlertOf = new TreeMap<>(); // service -> alert id
            Map<String, Integer> firingEvents = new TreeMap<>();
            double lastFiredAfter = 0;
            long outageEnds = downAt + OUTAGE.toNanos();
            while (System.nanoTime() < outageEnds) {
                for (ConsumerRecord<byte[], byte[]> r : alerts.poll(Duration.ofMillis(200))) {
                    JsonNode e = JSON.readTree(r.value());
                    String service = e.get("service").asString();
                    if (!services.contains(service)
                            || !"FIRING".equals(e.get("state").asString())) continue;
                    String alertId = e.get("alert_id").asString();
                    firedAlertOf.put(service, alertId);
                    lastFiredAfter = (System.nanoTime() - logsSentAt) / 1e9;
                    firingEvents.merge(alertId, 1, Integer::sum);
                }
            }
            // the rest of the server is not degraded
            Answer services200 = send("GET", "/api/v1/services", null);
            probing.set(false);
            for (Thread t : probes) t.join(30_000);

            postgres = startPostgres();
            long upAt = System.nanoTime();
            System.out.printf(
                    "postgres outage: down %.1f s; the alerting API answered %s (slowest %.0f ms, %d 503s"
                            + " without Retry-After), /api/v1/services %d; %d alerts fired to %s meanwhile"
                            + " (%d FIRING events, the last %.1f s after the breaching logs): %s%n",
                    (upAt - downAt) / 1e9,
                    new TreeMap<>(byStatus),
                    slowestNanos.get() / 1e6,
                    withoutRetryAfter.get(),
                    services200.status(),
                    firedAlertOf.size(),
                    Topics.ALERTS.name(),
                    firingEvents.values().stream().mapToInt(Integer::intValue).sum(),
                    lastFiredAfter,
                    firedAlertOf.keySet());

            assertThat(byStatus.keySet())
                    .as("alerting API statuses while PostgreSQL is down")
                    .containsExactlyInAnyOrder(
                            "GET /api/v1/alerts/rules 503",
                            "POST /api/v1/alerts/rules 503",
                            "GET /api/v1/alerts/triggered 503");
            assertThat(withoutRetryAfter.get()).as("503s without Retry-After").isZero();
            assertThat(slowestNanos.get() / 1_000_000).as("slowest answer, ms").isLessThan(12_000);
            assertThat(firedAlertOf.keySet())
                    .as("services whose alert fired while PostgreSQL was down")
                    .containsExactlyInAnyOrderElementsOf(services);
            assertThat(services200.status()).as(services200.body()).isEqualTo(200);

            // back: every alert stored once and notified once
            Set<String> fired = Set.copyOf(firedAlertOf.values());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(firingHooks.keySet().containsAll(fired) && storedAll(ruleOf, fired))
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            double deliveredAfter =
                    firingHookNanos.stream().mapToLong(Long::longValue).max().orElse(upAt) - upAt;
            Thread.sleep(3_000); // a second notification or row would show now

            Map<String, Integer> stored = new TreeMap<>();
            for (String ruleId : ruleOf.values()) {
                Answer a = send("GET", "/api/v1/alerts/triggered?rule_id=" + ruleId, null);
                assertThat(a.status()).as(a.body()).isEqualTo(200);
                for (JsonNode alert : JSON.readTree(a.body()).get("alerts"))
                    stored.merge(alert.get("alert_id").asString(), 1, Integer::sum);
            }
            Map<String, Integer> notified = new TreeMap<>();
            firingHooks.forEach((id, n) -> notified.put(id, n.get()));
            System.out.printf(
                    "postgres outage: after it returned %d of %d alerts stored %s and %d FIRING notifications"
                            + " delivered %s, the last %.1f s after PostgreSQL was back%n",
                    stored.size(),
                    fired.size(),
                    stored.values(),
                    notified.values().stream().mapToInt(Integer::intValue).sum(),
                    notified.values(),
                    deliveredAfter / 1e9);
            for (String alertId : fired) {
                assertThat(stored.get(alertId)).as("rows of alert " + alertId).isEqualTo(1);
                assertThat(notified.get(alertId))
                        .as("FIRING notifications of alert " + alertId)
                        .isEqualTo(1);
            }
            assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(fired);
            assertThat(notified.keySet()).containsExactlyInAnyOrderElementsOf(fired);
            // no rule was created by the POSTs answered 503
            Answer rules = send("GET", "/api/v1/alerts/rules", null);
            assertThat(rules.status()).as(rules.body()).isEqualTo(200);
            assertThat(JSON.readTree(rules.body()).get("count").asInt()).isEqualTo(SERVICES);
        }
    }

    static boolean storedAll(Map<String, String> ruleOf, Set<String> fired) {
        int found = 0;
        for (String ruleId : ruleOf.values()) {
            Answer a = send("GET", "/api/v1/alerts/triggered?rule_id=" + ruleId, null);
            if (a.status() != 200) return false;
            for (JsonNode alert : JSON.readTree(a.body()).get("alerts"))
                if (fired.contains(alert.get("alert_id").asString())) found++;
        }
        return found >= fired.size();
    }

    static String ruleBody(String service, String url) {
        return "{\"name\":\"outage " + service + "\",\"metric\":\"error_count\",\"condition\":\"greater_than\","
                + "\"threshold\":0,\"time_window\":1,\"services\":[\"" + service
                + "\"],\"severity\":\"critical\",\"notification_channel\":\"webhook\","
                + "\"notification_config\":{\"url\":\"" + url + "\"},\"is_active\":true}";
    }

    /** A read_committed consumer of every partition of logflow.alerts, from the end. */
    static KafkaConsumer<byte[], byte[]> alertsConsumer() {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = c.partitionsFor(Topics.ALERTS.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        return c;
    }

    record Answer(int status, String body, String retryAfter) {}

    static Answer send(String method, String path, String body) {
        return send(method, path, body, "application/json");
    }

    /** One request, bounded at 30 s: status 0 when nothing answered in time (a hang). */
    static Answer send(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve(path))
                .headers(TestServers.auth(path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
        else
            b.header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    r.statusCode(),
                    r.body(),
                    r.headers().firstValue("Retry-After").orElse(null));
        } catch (HttpTimeoutException e) {
            return new Answer(0, "no answer in 30 s", null);
        } catch (IOException e) {
            return new Answer(-1, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "interrupted", null);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
