package io.logflow.topology;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.schema.LogFlowSerdes;
import io.logflow.model.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** Fixed fixtures for the topology tests: times, ids, logs, and a driver built with the production settings. */
final class TestObjects {
    private TestObjects() {}

    /** 2026-01-01T00:00:00Z, the start of a 1-minute window. */
    static final long T0 = 1_767_225_600_000L;

    static final String TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACE_B = "0af7651916cd43dd8448eb211c80319c";

    /** The production settings ({@link StreamsSettings}), with a test application id and state dir. */
    static Properties settings(Path stateDir) {
        return StreamsSettings.build("localhost:9092", "logflow-test", null, stateDir, 1, Map.of());
    }

    static TopologyTestDriver driver(Topology topology, Path stateDir) {
        return new TopologyTestDriver(topology, settings(stateDir), Instant.ofEpochMilli(T0));
    }

    /** Options with the defaults, except those the tests shrink to observe wrap-around and bounds. */
    static TopologyOptions options(int recentLogsPerLevel, int maxLogsPerTrace, Duration traceRetention) {
        TopologyOptions d = TopologyOptions.defaults();
        return new TopologyOptions(
                d.grace(),
                d.statsRetention(),
                recentLogsPerLevel,
                maxLogsPerTrace,
                traceRetention,
                d.maxSpansPerTrace(),
                d.deadLetters(),
                d.statsVersions());
    }

    static Topology topology(
            java.util.function.BiConsumer<StreamsBuilder, TopologyOptions> addTo, TopologyOptions options) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo.accept(builder, options);
        return builder.build();
    }

    private static int ids;

    /** A normalised log as found on logflow.logs. */
    static LogRecord log(String service, Level level, String message, long timestamp) {
        return log(service, level, message, timestamp, null);
    }

    static LogRecord log(String service, Level level, String message, long timestamp, String traceId) {
        return new LogRecord(
                String.format("%032x", ++ids), timestamp, service, level, message, traceId, null, null, null, Map.of());
    }

    static TestInputTopic<String, LogRecord> normalizedLogs(TopologyTestDriver driver) {
        return driver.createInputTopic(
                Topics.LOGS_NORMALIZED.name(),
                Serdes.String().serializer(),
                LogFlowSerdes.ecsJson().serializer());
    }

    /** Pipes logs the way NormalizeTopology writes them: key service, record time = event time. */
    static void pipe(TestInputTopic<String, LogRecord> topic, LogRecord... logs) {
        for (LogRecord l : logs) topic.pipeInput(l.service(), l, l.timestamp());
    }

    // ---------------------------------------------------------------- OTLP

    static com.google.protobuf.ByteString otlpId(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        return com.google.protobuf.ByteString.copyFrom(b);
    }

    static io.opentelemetry.proto.common.v1.KeyValue otlpAttr(String key, String value) {
        return io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                .setKey(key)
                .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    static io.opentelemetry.proto.resource.v1.Resource otlpResource(String service) {
        return io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                .addAttributes(otlpAttr("service.name", service))
                .build();
    }

    /** A valid OTLP span of 5 ms starting at epochMillis. */
    static io.opentelemetry.proto.trace.v1.Span otlpSpan(
            String traceId, String spanId, String parentId, String name, long epochMillis) {
        io.opentelemetry.proto.trace.v1.Span.Builder s = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(otlpId(traceId))
                .setSpanId(otlpId(spanId))
                .setName(name)
                .setStartTimeUnixNano(epochMillis * 1_000_000L)
                .setEndTimeUnixNano((epochMillis + 5) * 1_000_000L);
        if (parentId != null) s.setParentSpanId(otlpId(parentId));
        return s.build();
    }

    static io.opentelemetry.proto.trace.v1.ScopeSpans otlpScopeSpans(
            String scope, io.opentelemetry.proto.trace.v1.Span... spans) {
        return io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                        .setName(scope))
                .addAllSpans(List.of(spans))
                .build();
    }

    static io.opentelemetry.proto.trace.v1.ResourceSpans otlpResourceSpans(
            String service, io.opentelemetry.proto.trace.v1.ScopeSpans... scopes) {
        return io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                .setResource(otlpResource(service))
                .addAllScopeSpans(List.of(scopes))
                .build();
    }

    /** An OTLP log record at epochMillis. */
    static io.opentelemetry.proto.logs.v1.LogRecord otlpLog(
            String body, io.opentelemetry.proto.logs.v1.SeverityNumber severity, long epochMillis) {
        io.opentelemetry.proto.logs.v1.LogRecord.Builder b = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                .setTimeUnixNano(epochMillis * 1_000_000L)
                .setSeverityNumber(severity);
        if (body != null)
            b.setBody(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(body));
        return b.build();
    }

    static io.opentelemetry.proto.logs.v1.ResourceLogs otlpResourceLogs(
            String service, String scope, io.opentelemetry.proto.logs.v1.LogRecord... logs) {
        return io.opentelemetry.proto.logs.v1.ResourceLogs.newBuilder()
                .setResource(otlpResource(service))
                .addScopeLogs(io.opentelemetry.proto.logs.v1.ScopeLogs.newBuilder()
                        .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                                .setName(scope))
                        .addAllLogRecords(List.of(logs)))
                .build();
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static <T> List<T> list(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
