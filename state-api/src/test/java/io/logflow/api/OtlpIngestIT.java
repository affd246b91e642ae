package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.logflow.model.SpanRecord;
import io.logflow.model.codec.SpanJson;
import io.logflow.model.schema.Topics;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;
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
 * OTLP/HTTP through the real receiver, a real broker and the real topology: protobuf, JSON and gzip
 * bodies, the answers the OTLP specification asks for, spans on {@code logflow.spans} and OTLP logs
 * in every log endpoint.
 */
class OtlpIngestIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final int MAX_BODY = 65536;
    static final long NOW = System.currentTimeMillis();
    static final String PROTOBUF = "application/x-protobuf";

    static Instance app;
    static KafkaConsumer<String, byte[]> spansConsumer;
    /** Every span seen on logflow.spans, by "traceId/spanId", with its record key and timestamp. */
    static final Map<String, ConsumerRecord<String, byte[]>> seen = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        app = Instance.start("otlp-it-" + SUFFIX, Map.of("logflow.otlp.max-body-bytes", MAX_BODY))
                .awaitHealthy();
        spansConsumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestKafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        // no group (the application id names the Streams group): every partition, from the start
        List<TopicPartition> partitions = spansConsumer.partitionsFor(Topics.SPANS_NORMALIZED.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        spansConsumer.assign(partitions);
        spansConsumer.seekToBeginning(partitions);
    }

    @AfterAll
    static void stop() {
        if (spansConsumer != null) spansConsumer.close();
        if (app != null) app.close();
    }

    // ---------------------------------------------------------------- traces

    @Test
    void protobufTraces_areAnsweredWithAnEmptyResponse_andEverySpanArrivesOnLogflowSpans() throws Exception {
        String trace = randomHex(16), trace2 = randomHex(16);
        String root = randomHex(8), child = randomHex(8), other = randomHex(8);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans(
                        "gateway-" + SUFFIX,
                        "io.opentelemetry.netty",
                        span(trace, root, null, "GET /cart", NOW - 3000, Span.SpanKind.SPAN_KIND_SERVER),
                        span(trace, child, root, "SELECT cart", NOW - 2990, Span.SpanKind.SPAN_KIND_CLIENT)))
                .addResourceSpans(resourceSpans(
                        "cart-" + SUFFIX,
                        "manual",
                        span(trace2, other, null, "job", NOW - 2000, Span.SpanKind.SPAN_KIND_INTERNAL)))
                .build();

        Instance.BinaryResponse r = app.postForBytes("/v1/traces", PROTOBUF, request.toByteArray());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo(PROTOBUF);
        assertThat(ExportTraceServiceResponse.parseFrom(r.body()))
                .isEqualTo(ExportTraceServiceResponse.getDefaultInstance());

        List<SpanRecord> spans = awaitSpans(trace + "/" + root, trace + "/" + child, trace2 + "/" + other);
        assertThat(spans.get(0).name()).isEqualTo("GET /cart");
        assertThat(spans.get(0).service()).isEqualTo("gateway-" + SUFFIX);
        assertThat(spans.get(0).kind()).isEqualTo(SpanRecord.Kind.SERVER);
        assertThat(spans.get(0).scope()).isEqualTo("io.opentelemetry.netty");
        assertThat(spans.get(1).parentSpanId()).isEqualTo(root);
        assertThat(spans.get(2).service()).isEqualTo("cart-" + SUFFIX);
        ConsumerRecord<String, byte[]> record = seen.get(trace + "/" + root);
        assertThat(record.key()).isEqualTo(trace);
        assertThat(record.timestamp()).isEqualTo(NOW - 3000);
    }

    @Test
    void jsonTraces_withAnInvalidSpan_areAPartialSuccess_answeredInJson() {
        String trace = randomHex(16), good = randomHex(8), good2 = randomHex(8);
        String json = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-%s"}}]},
          "scopeSpans":[{"scope":{"name":"js"},"spans":[
            {"traceId":"%s","spanId":"%s","name":"ok","kind":2,"startTimeUnixNano":"%d","endTimeUnixNano":"%d",
             "attributes":[{"key":"http.status_code","value":{"intValue":"200"}}]},
            {"traceId":"%s","spanId":"0000000000000000","name":"bad","startTimeUnixNano":"%d","endTimeUnixNano":"%d"},
            {"trace_id":"%s","span_id":"%s","parent_span_id":"%s","name":"ok too","start_time_unix_nano":%d,\
        "end_time_unix_nano":%d}]}]}]}
        """.formatted(
                        SUFFIX,
                        trace,
                        good,
                        nanos(NOW - 1000),
                        nanos(NOW - 990),
                        trace,
                        nanos(NOW - 1000),
                        nanos(NOW - 990),
                        trace.toUpperCase(),
                        good2,
                        good,
                        nanos(NOW - 995),
                        nanos(NOW - 991));

        Instance.BinaryResponse r = app.postForBytes("/v1/traces", "application/json", utf8(json));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode partial = r.json().get("partialSuccess");
        assertThat(partial.get("rejectedSpans").asLong()).isEqualTo(1);
        assertThat(partial.get("errorMessage").asString())
                .isEqualTo("rejected 1 of 3 spans: resourceSpans[0].scopeSpans[0].spans[1]: spanId is all zeros");

        List<SpanRecord> spans = awaitSpans(trace + "/" + good, trace + "/" + good2);
        assertThat(spans.get(0).attributes()).containsEntry("http.status_code", "200");
        assertThat(spans.get(1).parentSpanId()).isEqualTo(good);
    }

    @Test
    void gzipBodies_areAccepted_protobufAndJson() throws Exception {
        String trace = randomHex(16), a = randomHex(8), b = randomHex(8);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans(
                        "gzip-" + SUFFIX, "s", span(trace, a, null, "gz", NOW - 500, Span.SpanKind.SPAN_KIND_SERVER)))
                .build();
        Instance.BinaryResponse r =
                app.postForBytes("/v1/traces", PROTOBUF, gzip(request.toByteArray()), "Content-Encoding", "gzip");
        assertThat(r.status()).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(r.body()).hasPartialSuccess())
                .isFalse();

        String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + trace + "\",\"spanId\":\""
                + b + "\",\"name\":\"gz json\",\"startTimeUnixNano\":" + nanos(NOW - 400) + ",\"endTimeUnixNano\":"
                + nanos(NOW - 399) + "}]}]}]}";
        Instance.BinaryResponse j = app.postForBytes(
                "/v1/traces", "application/json; charset=utf-8", gzip(utf8(json)), "Content-Encoding", "gzip");
        assertThat(j.status()).isEqualTo(200);
        assertThat(new String(j.body(), StandardCharsets.UTF_8)).isEqualTo("{}");

        List<SpanRecord> spans = awaitSpans(trace + "/" + a, trace + "/" + b);
        assertThat(spans.get(1).service()).isEqualTo("unknown_service");
    }

    @Test
    void emptyAndAllInvalidRequests_are200_nothingProduced() throws Exception {
        Instance.BinaryResponse empty = app.postForBytes("/v1/traces", PROTOBUF, new byte[0]);
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();

        ExportTraceServiceRequest invalid = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans(
                        "x",
                        "s",
                        span(randomHex(16), randomHex(8), null, "no end", NOW, Span.SpanKind.SPAN_KIND_SERVER)
                                .toBuilder()
                                .setEndTimeUnixNano(0)
                                .build()))
                .build();
        Instance.BinaryResponse r = app.postForBytes("/v1/traces", PROTOBUF, invalid.toByteArray());
        assertThat(r.status()).isEqualTo(200);
        ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
        assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(response.getPartialSuccess().getErrorMessage()).contains("endTimeUnixNano is missing");
    }

    @Test
    void undecodableBodies_are400Problems_namingTheProblem() {
        Instance.BinaryResponse garbage =
                app.postForBytes("/v1/traces", PROTOBUF, new byte[] {(byte) 0xff, 0x01, 0x02});
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.header("Content-Type")).startsWith("application/problem+json");
        assertThat(garbage.json().get("detail").asString())
                .startsWith("request body is not an OTLP protobuf export request");

        Instance.BinaryResponse badJson = app.postForBytes(
                "/v1/traces",
                "application/json",
                utf8("{\"resourceSpans\":[{\"scopeSpans\":[{},{\"spans\":[{},{},{},{\"traceId\":\"xyz\"}]}]}]}"));
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.json().get("detail").asString())
                .endsWith("resourceSpans[0].scopeSpans[1].spans[3].traceId: not 32 hex characters ('xyz')");

        Instance.BinaryResponse notJson = app.postForBytes("/v1/logs", "application/json", utf8("{\"resourceLogs\":["));
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("detail").asString()).contains("not valid JSON");

        Instance.BinaryResponse notGzip =
                app.postForBytes("/v1/traces", PROTOBUF, new byte[] {1, 2, 3}, "Content-Encoding", "gzip");
        assertThat(notGzip.status()).isEqualTo(400);
        assertThat(notGzip.json().get("detail").asString()).contains("gzip");
    }

    @Test
    void bodiesOverTheLimit_are413_alsoOnceDecompressed() throws Exception {
        Instance.BinaryResponse big = app.postForBytes("/v1/traces", PROTOBUF, new byte[MAX_BODY + 1]);
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.header("Content-Type")).startsWith("application/problem+json");
        assertThat(big.json().get("detail").asString())
                .contains(String.valueOf(MAX_BODY))
                .contains("LOGFLOW_OTLP_MAX_BODY_BYTES");

        // a gzip bomb: 16 MiB of zeros in 16 KiB
        byte[] bomb = gzip(new byte[16 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(MAX_BODY);
        Instance.BinaryResponse expanded = app.postForBytes("/v1/logs", PROTOBUF, bomb, "Content-Encoding", "gzip");
        assertThat(expanded.status()).isEqualTo(413);
        assertThat(expanded.json().get("detail").asString()).contains("once decompressed");

        // the service is fine afterwards
        assertThat(app.postForBytes("/v1/traces", PROTOBUF, new byte[0]).status())
                .isEqualTo(200);
    }

    @Test
    void otherContentTypesAndEncodings_are415() {
        Instance.BinaryResponse text = app.postForBytes("/v1/traces", "text/plain", utf8("hello"));
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.header("Content-Type")).startsWith("application/problem+json");
        assertThat(text.json().get("detail").asString()).contains("text/plain").contains("application/x-protobuf");

        Instance.BinaryResponse brotli =
                app.postForBytes("/v1/logs", PROTOBUF, new byte[] {1}, "Content-Encoding", "br");
        assertThat(brotli.status()).isEqualTo(415);
        assertThat(brotli.json().get("detail").asString()).contains("br");
    }

    @Test
    void metrics_areRefusedAsAPartialSuccess_soAnAgentExportingEverySignalIsToldWhy() throws Exception {
        io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest metrics =
                io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
                        .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
                                .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                                        .addMetrics(
                                                io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                                                        .setName("jvm.threads")
                                                        .setGauge(io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                                                                .addDataPoints(io.opentelemetry.proto.metrics.v1
                                                                        .NumberDataPoint.newBuilder()
                                                                        .setAsInt(12))))))
                        .build();
        Instance.BinaryResponse r = app.postForBytes("/v1/metrics", PROTOBUF, metrics.toByteArray());
        assertThat(r.status()).isEqualTo(200);
        var response = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse.parseFrom(r.body());
        assertThat(response.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
        assertThat(response.getPartialSuccess().getErrorMessage()).contains("OTEL_METRICS_EXPORTER=none");
    }

    // ---------------------------------------------------------------- logs

    @Test
    void otlpLogs_showUpInRecentLogsAndInTheLogsOfTheirTrace() throws Exception {
        String service = "otel-logs-" + SUFFIX;
        String trace = randomHex(16), span = randomHex(8);
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource(service, attr("host.name", "h1")))
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("com.example.Pay"))
                                .addLogRecords(log(
                                                "card declined for order 4711",
                                                SeverityNumber.SEVERITY_NUMBER_ERROR,
                                                NOW - 3000)
                                        .setTraceId(bytes(trace))
                                        .setSpanId(bytes(span))
                                        .addAttributes(attr("order", "4711")))
                                .addLogRecords(log("charge retried", SeverityNumber.SEVERITY_NUMBER_WARN, NOW - 2000)
                                        .setTraceId(bytes(trace)))
                                .addLogRecords(log("cache warmed", SeverityNumber.SEVERITY_NUMBER_DEBUG, NOW - 1000))))
                .build();
        Instance.BinaryResponse r = app.postForBytes("/v1/logs", PROTOBUF, request.toByteArray());
        assertThat(r.status()).isEqualTo(200);
        assertThat(ExportLogsServiceResponse.parseFrom(r.body()))
                .isEqualTo(ExportLogsServiceResponse.getDefaultInstance());

        // JSON too, one record with nothing to show
        String json = """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"%s"}}]},
          "scopeLogs":[{"logRecords":[
            {"timeUnixNano":"%d","severityText":"INFO","body":{"stringValue":"json log"},"traceId":"%s"},
            {"severityNumber":9}]}]}]}
        """.formatted(service, nanos(NOW - 500), trace);
        Instance.BinaryResponse j = app.postForBytes("/v1/logs", "application/json", utf8(json));
        assertThat(j.status()).isEqualTo(200);
        assertThat(j.json().get("partialSuccess").get("rejectedLogRecords").asLong())
                .isEqualTo(1);
        assertThat(j.json().get("partialSuccess").get("errorMessage").asString())
                .contains("logRecords[1]: empty log record");

        Awaitility.await("OTLP logs in recent logs")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> app.get("/api/v1/logs/recent?service=" + service)
                                .json()
                                .get("count")
                                .asInt()
                        == 4);
        JsonNode recent = app.get("/api/v1/logs/recent?service=" + service).json();
        assertThat(LogFlowApiIT.messages(recent.get("logs")))
                .containsExactly("json log", "cache warmed", "charge retried", "card declined for order 4711");
        JsonNode declined = recent.get("logs").get(3);
        assertThat(declined.get("log.level").asString()).isEqualTo("ERROR");
        assertThat(declined.get("trace.id").asString()).isEqualTo(trace);
        assertThat(declined.get("span.id").asString()).isEqualTo(span);
        assertThat(declined.get("labels").get("order").asString()).isEqualTo("4711");
        assertThat(declined.get("labels").get("resource.host.name").asString()).isEqualTo("h1");
        assertThat(declined.get("labels").get("otel.scope.name").asString()).isEqualTo("com.example.Pay");
        assertThat(declined.get("event.id").asString()).matches("[0-9a-f]{32}-0");

        Awaitility.await("OTLP logs of the trace")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> app.get("/api/v1/logs/trace/" + trace).status() == 200
                        && app.get("/api/v1/logs/trace/" + trace)
                                        .json()
                                        .get("count")
                                        .asInt()
                                == 3);
        JsonNode byTrace = app.get("/api/v1/logs/trace/" + trace).json();
        assertThat(LogFlowApiIT.messages(byTrace.get("logs")))
                .containsExactly("card declined for order 4711", "charge retried", "json log");
    }

    @Test
    void prometheus_countsReceivedAcceptedAndRejectedSpansAndLogRecords() {
        String trace = randomHex(16);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans(
                        "metrics-" + SUFFIX,
                        "s",
                        span(trace, randomHex(8), null, "a", NOW, Span.SpanKind.SPAN_KIND_SERVER),
                        span(trace, randomHex(8), null, "b", NOW, Span.SpanKind.SPAN_KIND_SERVER).toBuilder()
                                .clearTraceId()
                                .build()))
                .build();
        String before = app.get("/actuator/prometheus").body();
        assertThat(app.postForBytes("/v1/traces", PROTOBUF, request.toByteArray())
                        .status())
                .isEqualTo(200);
        String after = app.get("/actuator/prometheus").body();
        assertThat(LogFlowApiIT.metric(after, "logflow_otlp_spans_received_total")
                        - LogFlowApiIT.metric(before, "logflow_otlp_spans_received_total"))
                .isEqualTo(2);
        assertThat(LogFlowApiIT.metric(after, "logflow_otlp_spans_accepted_total")
                        - LogFlowApiIT.metric(before, "logflow_otlp_spans_accepted_total"))
                .isEqualTo(1);
        assertThat(LogFlowApiIT.metric(after, "logflow_otlp_spans_rejected_total")
                        - LogFlowApiIT.metric(before, "logflow_otlp_spans_rejected_total"))
                .isEqualTo(1);
        assertThat(after)
                .contains(
                        "logflow_otlp_log_records_received_total",
                        "logflow_otlp_log_records_accepted_total",
                        "logflow_otlp_log_records_rejected_total");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Polls logflow.spans until every "traceId/spanId" was seen; returns their SpanJson documents in the order asked.
     */
    static synchronized List<SpanRecord> awaitSpans(String... ids) {
        Set<String> wanted = Set.of(ids);
        Awaitility.await("spans " + wanted + " on logflow.spans")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    for (ConsumerRecord<String, byte[]> r : spansConsumer.poll(Duration.ofMillis(200))) {
                        SpanRecord s = SpanJson.read(r.value());
                        seen.put(s.traceId() + "/" + s.spanId(), r);
                    }
                    return seen.keySet().containsAll(wanted);
                });
        List<SpanRecord> out = new ArrayList<>();
        for (String id : ids) out.add(SpanJson.read(seen.get(id).value()));
        return out;
    }

    static ResourceSpans resourceSpans(String service, String scope, Span... spans) {
        return ResourceSpans.newBuilder()
                .setResource(resource(service))
                .addScopeSpans(ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName(scope))
                        .addAllSpans(List.of(spans)))
                .build();
    }

    static Span span(String trace, String span, String parent, String name, long startMillis, Span.SpanKind kind) {
        Span.Builder b = Span.newBuilder()
                .setTraceId(bytes(trace))
                .setSpanId(bytes(span))
                .setName(name)
                .setKind(kind)
                .setStartTimeUnixNano(nanos(startMillis))
                .setEndTimeUnixNano(nanos(startMillis + 7));
        if (parent != null) b.setParentSpanId(bytes(parent));
        return b.build();
    }

    static LogRecord.Builder log(String body, SeverityNumber severity, long millis) {
        return LogRecord.newBuilder()
                .setTimeUnixNano(nanos(millis))
                .setSeverityNumber(severity)
                .setBody(AnyValue.newBuilder().setStringValue(body));
    }

    static Resource resource(String service, KeyValue... more) {
        return Resource.newBuilder()
                .addAttributes(attr("service.name", service))
                .addAllAttributes(List.of(more))
                .build();
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros
        return HexFormat.of().formatHex(b);
    }

    static long nanos(long millis) {
        return millis * 1_000_000L;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
