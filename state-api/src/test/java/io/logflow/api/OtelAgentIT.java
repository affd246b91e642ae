package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.SpanRecord;
import io.logflow.model.codec.SpanJson;
import io.logflow.model.schema.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real OpenTelemetry Java agent, configured only with {@code OTEL_EXPORTER_OTLP_ENDPOINT} and
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf}, exports an instrumented JVM's spans and logs
 * (and metrics, which LogFlow refuses politely) to LogFlow without a single export failure.
 */
class OtelAgentIT {
    static final String SERVICE =
            "agent-it-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final int CALLS = 3;

    static Instance app;

    @BeforeAll
    static void start() {
        app = Instance.start("agent-it-" + SERVICE, Map.of()).awaitHealthy();
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    @Test
    void agentExportsSpansAndLogs_gzipOrNot_withoutAFailure() throws Exception {
        String output = runInstrumentedApp(SERVICE, "none");
        String gzipped = runInstrumentedApp(SERVICE + "-gz", "gzip");

        for (String out : List.of(output, gzipped)) {
            assertThat(out).contains("opentelemetry-javaagent - version");
            assertThat(out)
                    .doesNotContain("Failed to export")
                    .doesNotContain("Exporter failed")
                    .doesNotContain("ERROR");
        }

        for (String service : List.of(SERVICE, SERVICE + "-gz")) {
            Awaitility.await("agent logs of " + service)
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> app.get("/api/v1/logs/recent?service=" + service)
                                    .json()
                                    .get("count")
                                    .asInt()
                            == CALLS);
            JsonNode logs =
                    app.get("/api/v1/logs/recent?service=" + service).json().get("logs");
            assertThat(LogFlowApiIT.messages(logs))
                    .containsExactly(
                            "instrumented call 2 answered 200",
                            "instrumented call 1 answered 200",
                            "instrumented call 0 answered 200");
            assertThat(logs.get(0).get("log.level").asString()).isEqualTo("WARN");
            assertThat(logs.get(0).get("labels").get("otel.scope.name").asString())
                    .isEqualTo("io.logflow.it.InstrumentedApp");
            assertThat(logs.get(0)
                            .get("labels")
                            .get("resource.telemetry.sdk.language")
                            .asString())
                    .isEqualTo("java");
        }

        List<SpanRecord> spans = awaitSpans(2 * CALLS);
        assertThat(spans).extracting(SpanRecord::service).containsOnly(SERVICE, SERVICE + "-gz");
        assertThat(spans).allSatisfy(s -> {
            assertThat(s.kind()).isEqualTo(SpanRecord.Kind.CLIENT);
            assertThat(s.scope()).isEqualTo("io.opentelemetry.java-http-client");
            assertThat(s.attributes())
                    .containsEntry("http.response.status_code", "200")
                    .containsEntry("url.full", app.base + "/health");
            assertThat(s.resource()).containsKey("service.instance.id").doesNotContainKey("service.name");
        });
        String metrics = app.get("/actuator/prometheus").body();
        assertThat(metrics).contains("uri=\"/v1/metrics\"");
    }

    /** Runs {@link InstrumentedApp} under the agent; returns its output once it exited. */
    private static String runInstrumentedApp(String service, String compression)
            throws IOException, InterruptedException {
        String agent = System.getProperty("logflow.it.otelAgent");
        assertThat(agent)
                .as("system property logflow.it.otelAgent (set by the build)")
                .isNotNull();
        assertThat(Path.of(agent)).exists();
        String classes = Path.of(InstrumentedApp.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .getPath())
                .toString();
        Path log = Files.createTempFile("instrumented-app-", ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-javaagent:" + agent,
                        "-Xmx128m",
                        "-cp",
                        classes,
                        InstrumentedApp.class.getName(),
                        app.base + "/health",
                        Integer.toString(CALLS))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("OTEL_"));
        env.put("OTEL_SERVICE_NAME", service);
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", app.base);
        // the two lines the README gives a user for their own agent: where, and the ingest token
        env.put("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20" + app.ingestToken());
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("OTEL_EXPORTER_OTLP_COMPRESSION", compression);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS))
                    .as("instrumented app finished")
                    .isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** Reads logflow.spans from the start until n spans of this test's services were seen. */
    private static List<SpanRecord> awaitSpans(int n) {
        List<SpanRecord> spans = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestKafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SPANS_NORMALIZED.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await(n + " agent spans on logflow.spans")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            SpanRecord s = SpanJson.read(r.value());
                            if (s.service().startsWith(SERVICE)) spans.add(s);
                        }
                        return spans.size() >= n;
                    });
        }
        assertThat(spans).hasSize(n);
        return spans;
    }
}
