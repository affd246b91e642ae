package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.infra.LocalKafka;
import io.logflow.infra.ScratchDatabase;
import io.logflow.infra.StateApiProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 3's end-to-end test: the real server jar, the four demo services traced only by the
 * OpenTelemetry agent and exporting spans and logs over OTLP/HTTP to LogFlow. One checkout through
 * the gateway must come back as one trace at {@code /api/v1/traces/{id}} with spans from every
 * service including the Kafka hop, as edges in {@code /api/v1/dependencies}, and with every
 * service's logs in {@code /api/v1/logs/trace/{id}}.
 */
class DemoTracesEndToEndIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static LocalKafka kafka;
    private static ScratchDatabase database;
    private static StateApiProcess server;
    private static DemoApps apps;
    private static Api api;
    private static String traceId;

    @BeforeAll
    static void start() throws Exception {
        Path jar = TestServers.copyJar(dir);
        kafka = LocalKafka.start(dir.resolve("kafka"), 0);
        database = ScratchDatabase.create("logflow_traces_e2e", dir); // not ./logflow up's database
        server = TestServers.start(
                jar,
                kafka.bootstrapServers(),
                dir.resolve("state"),
                "logflow-traces-e2e-" + UUID.randomUUID(),
                Path.of("target", "e2e-traces-state-api.log"),
                Map.of("DATABASE_URL", database.url()));
        server.awaitHealthy(Duration.ofSeconds(120));
        TestServers.signIn(server.baseUri());
        api = new Api(server.baseUri());
        apps = TestServers.tracedDemo(
                Path.of("target", "demo-traces-e2e"),
                kafka.bootstrapServers(),
                server.baseUri().toString(),
                0);
        apps.awaitReady(Duration.ofMinutes(3));

        // our own W3C traceparent: the agent continues it, so we know the trace id of the request
        traceId = String.format(
                "%016x%016x",
                ThreadLocalRandom.current().nextLong(),
                ThreadLocalRandom.current().nextLong());
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(apps.gateway().resolve("/checkout?user=u-e2e&item=SKU-777&qty=1"))
                                .header(
                                        "traceparent",
                                        "00-" + traceId + "-"
                                                + String.format(
                                                        "%016x",
                                                        ThreadLocalRandom.current()
                                                                        .nextLong()
                                                                | 1) + "-01")
                                .timeout(Duration.ofSeconds(30))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (apps != null) apps.close();
        if (server != null) server.close();
        if (database != null) database.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void oneCheckout_isOneTraceWithEveryServiceAndTheKafkaHop_itsEdges_andEveryServicesLogs() throws Exception {
        // the trace: 7 spans, every service, parented across HTTP and Kafka
        JsonNode trace =
                poll("/api/v1/traces/" + traceId, t -> t.path("spanCount").asInt() >= 7);
        Map<String, JsonNode> byKind = new HashMap<>();
        Set<String> services = new TreeSet<>();
        for (JsonNode s : trace.get("spans")) {
            services.add(s.get("service").asString());
            byKind.put(s.get("service").asString() + "/" + s.get("kind").asString(), s);
        }
        assertThat(trace.get("spanCount").asInt()).isEqualTo(7);
        assertThat(services).containsExactly("gateway", "orders", "payments", "worker");
        JsonNode producer = byKind.get("orders/PRODUCER");
        JsonNode consumer = byKind.get("worker/CONSUMER");
        assertThat(producer).as("the Kafka hop's producer span").isNotNull();
        assertThat(consumer).as("the Kafka hop's consumer span").isNotNull();
        assertThat(consumer.get("parentSpanId").asString())
                .isEqualTo(producer.get("spanId").asString());
        assertThat(byKind.get("payments/SERVER").get("parentSpanId").asString())
                .isEqualTo(byKind.get("orders/CLIENT").get("spanId").asString());
        assertThat(trace.get("summary").get("rootService").asString()).isEqualTo("gateway");
        assertThat(trace.get("criticalPath").size()).isPositive();
        // the services' OTLP logs are part of the trace, each linked to a span of it
        Set<String> logServices = new TreeSet<>();
        for (JsonNode l : trace.get("logs")) {
            logServices.add(l.get("service").asString());
            assertThat(l.get("spanInTrace").asBoolean()).as(l.toString()).isTrue();
        }
        assertThat(logServices).contains("gateway", "orders", "payments", "worker");

        // the edges of the dependency graph
        JsonNode deps = poll(
                "/api/v1/dependencies",
                d -> edges(d).containsAll(List.of("gateway>orders", "orders>payments", "orders>worker")));
        assertThat(edges(deps)).contains("gateway>orders", "orders>payments", "orders>worker");

        // every service's logs by trace id
        JsonNode logs =
                poll("/api/v1/logs/trace/" + traceId, l -> l.path("services").size() >= 4);
        List<String> logged = new ArrayList<>();
        logs.get("services").forEach(s -> logged.add(s.asString()));
        assertThat(logged).contains("gateway", "orders", "payments", "worker");
    }

    private static List<String> edges(JsonNode deps) {
        List<String> out = new ArrayList<>();
        deps.path("edges")
                .forEach(e -> out.add(
                        e.get("caller").asString() + ">" + e.get("callee").asString()));
        return out;
    }

    private static JsonNode poll(String path, java.util.function.Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Api.Answer last = null;
        while (System.nanoTime() < deadline) {
            last = api.get(path);
            if (last.ok() && done.test(last.json())) return last.json();
            Thread.sleep(250);
        }
        throw new AssertionError(path + " did not show the request within " + WAIT + "; last answer: "
                + (last == null ? null : last.status() + " " + last.body()));
    }
}
