package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.infra.LocalKafka;
import io.logflow.infra.OtelAgent;
import io.logflow.infra.ScratchDatabase;
import io.logflow.infra.StateApiProcess;
import io.logflow.model.SpanRecord;
import io.logflow.model.codec.SpanJson;
import io.logflow.model.schema.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
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

/**
 * LogFlow traces itself (ADR 011) with its own sampler (ADR 019): the server as {@code ./logflow up} runs it, with
 * {@link OtelAgent#selfTracing} (the real agent, LogFlow's sampler extension, the loop-breaking settings) and {@code
 * LOGFLOW_OTEL_SAMPLE_RATIO=1}, so the ratio drops nothing and only the routes can. Health checks, metric scrapes, its
 * own OTLP receiver and instance-to-instance reads without a traced caller leave no span of service {@code logflow},
 * neither in its trace store nor on {@code logflow.spans}; API requests (with a sampled {@code traceparent} or none)
 * and an {@code /internal} read under a sampled {@code traceparent} are traced. With the sampler before ADR 019
 * ({@code parentbased_traceidratio}) every one of these requests is traced.
 */
class SelfTracingIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Server spans of these paths must never reach the store (/internal only as part of a traced query). */
    private static final Pattern NEVER = Pattern.compile("/health|/actuator(/.*)?|/v1/(traces|logs|metrics)");

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @TempDir
    static Path dir;

    private static LocalKafka kafka;
    private static ScratchDatabase database;
    private static StateApiProcess server;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        Path jar = TestServers.copyJar(dir);
        // a copy, as of the server jar: a rebuild while the test runs must not rewrite it
        Path sampler = Files.copy(OtelAgent.samplerJar(), dir.resolve("logflow-otel-sampler.jar"));
        kafka = LocalKafka.start(dir.resolve("kafka"), 0);
        database = ScratchDatabase.create("logflow_self_tracing", dir); // not ./logflow up's database
        int port = StateApiProcess.freePort();
        // every OTEL_* the server needs is set here, over anything inherited
        OtelAgent.SelfTracing tracing =
                OtelAgent.selfTracing(OtelAgent.jar(), sampler, Map.of("LOGFLOW_OTEL_SAMPLE_RATIO", "1"), port);
        assertThat(tracing.environment()).containsEntry("OTEL_TRACES_SAMPLER", "logflow");
        List<String> jvmOptions = new ArrayList<>(tracing.jvmOptions());
        jvmOptions.add("-Xmx512m");
        Map<String, String> env = new LinkedHashMap<>(tracing.environment());
        env.put("OTEL_BSP_SCHEDULE_DELAY", "200"); // export within a fraction of a second
        env.put("DATABASE_URL", database.url());
        env.put("LOGFLOW_ADMIN_PASSWORD", TestServers.ADMIN_PASSWORD); // TestServers.signIn logs in with it
        server = StateApiProcess.start(new StateApiProcess.Options(
                jar,
                kafka.bootstrapServers(),
                port,
                dir.resolve("state"),
                "logflow-self-tracing-" + UUID.randomUUID(),
                Path.of("target", "e2e-self-tracing-state-api.log"),
                jvmOptions,
                env));
        server.awaitHealthy(Duration.ofMinutes(3)); // GET /health, again and again: none of them traced
        TestServers.signIn(server.baseUri());
        api = new Api(server.baseUri());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (database != null) database.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void healthMetricsOwnOtlpReceiverAndUntracedInternalReads_leaveNoSpan_apiAndTracedInternalReadsDo()
            throws Exception {
        assertThat(server.tail(400))
                .as("the agent loaded the extension")
                .contains("opentelemetry-javaagent - version")
                .doesNotContain("Unrecognized value for otel.traces.sampler");

        // never traced: each answer's X-Trace-ID is the trace id the request's (dropped) server span would have had
        String sampledButHealth = randomTraceId();
        List<String> untraced = List.of(
                get("/health", null),
                get("/health", traceparent(sampledButHealth, true)),
                get("/actuator/prometheus", null),
                get("/actuator/health", null),
                get("/internal/v1/recent?limit=1", null),
                get("/api/v1/services", traceparent(randomTraceId(), false)),
                post("/v1/metrics", "{}"));
        assertThat(untraced.get(1)).isEqualTo(sampledButHealth);

        // traced: a query with a sampled caller, one without a caller (ratio 1), a forwarded read under a traced query
        String apiWithParent = randomTraceId();
        assertThat(get("/api/v1/services", traceparent(apiWithParent, true))).isEqualTo(apiWithParent);
        String apiRoot = get("/api/v1/services", null);
        String internalWithParent = randomTraceId();
        assertThat(get("/internal/v1/recent?limit=1", traceparent(internalWithParent, true)))
                .isEqualTo(internalWithParent);

        // the trace store has them, with LogFlow's server span
        assertThat(serverPath(awaitTrace(apiWithParent))).isEqualTo("/api/v1/services");
        assertThat(serverPath(awaitTrace(apiRoot))).isEqualTo("/api/v1/services");
        assertThat(serverPath(awaitTrace(internalWithParent))).isEqualTo("/internal/v1/recent");

        // every logflow span ever produced, read once the traced ones are there and every batch before them landed
        List<SpanRecord> spans = logflowSpans(Set.of(apiWithParent, apiRoot, internalWithParent));
        assertThat(spans)
                .filteredOn(s -> s.kind() == SpanRecord.Kind.SERVER)
                .extracting(SelfTracingIT::path)
                .as("paths of logflow's server spans")
                .noneMatch(p -> p != null && NEVER.matcher(p).matches());
        assertThat(spans)
                .filteredOn(s -> path(s) != null && path(s).startsWith("/internal"))
                .extracting(SpanRecord::traceId)
                .containsOnly(internalWithParent);
        assertThat(spans).extracting(SpanRecord::traceId).doesNotContainAnyElementsOf(untraced);
        for (String traceId : untraced) {
            assertThat(api.get("/api/v1/traces/" + traceId).status())
                    .as("trace " + traceId)
                    .isEqualTo(404);
        }
    }

    /** GET; the X-Trace-ID of the answer. */
    private static String get(String path, String traceparent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .headers(TestServers.auth(path))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (traceparent != null) b.header("traceparent", traceparent);
        return traceIdOf(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()), path);
    }

    private static String post(String path, String json) throws Exception {
        return traceIdOf(
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                                .headers(TestServers.auth(path))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()),
                path);
    }

    /** The answer's X-Trace-ID, whatever its status: sampling happens before any handler runs. */
    private static String traceIdOf(HttpResponse<String> r, String path) {
        String traceId = r.headers().firstValue("X-Trace-ID").orElse(null);
        assertThat(traceId)
                .as(path + " X-Trace-ID (HTTP " + r.statusCode() + " " + Api.abbreviate(r.body()) + ")")
                .matches("[0-9a-f]{32}");
        return traceId;
    }

    private static String randomTraceId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("%016x%016x", r.nextLong(), r.nextLong() | 1);
    }

    private static String traceparent(String traceId, boolean sampled) {
        return "00-" + traceId + "-"
                + String.format("%016x", ThreadLocalRandom.current().nextLong() | 1) + (sampled ? "-01" : "-00");
    }

    /** GET /api/v1/traces/{id} until it holds a span of service logflow; that span. */
    private static JsonNode awaitTrace(String traceId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Api.Answer last = null;
        while (System.nanoTime() < deadline) {
            last = api.get("/api/v1/traces/" + traceId);
            if (last.ok()) {
                for (JsonNode s : last.json().path("spans")) {
                    if (s.path("service").asString().equals("logflow")) return s;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no span of logflow in trace " + traceId + " within " + WAIT + "; last answer: "
                + (last == null ? null : last.status() + " " + Api.abbreviate(last.body())));
    }

    private static String serverPath(JsonNode span) {
        assertThat(span.path("kind").asString()).as(span.toString()).isEqualTo("SERVER");
        return span.path("attributes").path("url.path").asString();
    }

    private static String path(SpanRecord s) {
        String p = s.attributes().get("url.path");
        return p != null ? p : s.attributes().get("http.target");
    }

    /**
     * The spans of service logflow on logflow.spans, from the beginning: read until those of {@code traceIds} are
     * there, then 5 s more (spans exported before them may sit in a batch on another partition).
     */
    private static List<SpanRecord> logflowSpans(Set<String> traceIds) {
        List<SpanRecord> spans = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SPANS_NORMALIZED.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            long settled = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settled)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    SpanRecord s = SpanJson.read(r.value());
                    if (s.service().equals("logflow")) spans.add(s);
                }
                if (settled == Long.MAX_VALUE
                        && spans.stream().map(SpanRecord::traceId).toList().containsAll(traceIds)) {
                    settled = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
            }
            assertThat(settled).as("spans of " + traceIds + " on logflow.spans").isNotEqualTo(Long.MAX_VALUE);
        }
        return spans;
    }
}
