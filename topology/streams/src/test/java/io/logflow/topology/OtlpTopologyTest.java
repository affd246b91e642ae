package io.logflow.topology;

import static io.logflow.topology.TestObjects.T0;
import static io.logflow.topology.TestObjects.TRACE_A;
import static io.logflow.topology.TestObjects.TRACE_B;
import static io.logflow.topology.TestObjects.otlpAttr;
import static io.logflow.topology.TestObjects.otlpLog;
import static io.logflow.topology.TestObjects.otlpResourceLogs;
import static io.logflow.topology.TestObjects.otlpResourceSpans;
import static io.logflow.topology.TestObjects.otlpScopeSpans;
import static io.logflow.topology.TestObjects.otlpSpan;
import static io.logflow.topology.TestObjects.str;
import static io.logflow.topology.TestObjects.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.normalize.LogNormalizer;
import io.logflow.model.schema.DeadLetters;
import io.logflow.model.schema.LogFlowSerdes;
import io.logflow.model.schema.LogHeaders;
import io.logflow.model.schema.Topics;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpTopologyTest {
    static final String SPAN_1 = "00f067aa0ba902b7";
    static final String SPAN_2 = "53ce929d0e0e4736";
    static final String SPAN_3 = "b7ad6b7169203331";

    @TempDir
    Path stateDir;

    private final List<String> deadLetterCategories = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> otlpSpans;
    private TestInputTopic<byte[], byte[]> otlpLogs;
    private TestOutputTopic<byte[], SpanRecord> spans;
    private TestOutputTopic<String, LogRecord> logs;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void setUp() {
        start(
                TestObjects.topology(
                        OtlpTopology::addTo, TopologyOptions.defaults().withDeadLetters(deadLetterCategories::add)),
                stateDir);
    }

    private void start(org.apache.kafka.streams.Topology topology, Path dir) {
        driver = TestObjects.driver(topology, dir);
        otlpSpans = driver.createInputTopic(
                Topics.OTLP_SPANS.name(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        otlpLogs = driver.createInputTopic(
                Topics.OTLP_LOGS.name(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        spans = driver.createOutputTopic(
                Topics.SPANS_NORMALIZED.name(),
                Serdes.ByteArray().deserializer(),
                LogFlowSerdes.spanJson().deserializer());
        logs = driver.createOutputTopic(
                Topics.LOGS_NORMALIZED.name(),
                Serdes.String().deserializer(),
                LogFlowSerdes.ecsJson().deserializer());
        dlq = driver.createOutputTopic(
                Topics.DLQ.name(),
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    // ---------------------------------------------------------------- spans

    @Test
    void spansOfSeveralResourcesAndScopes_goToLogflowSpans_oneEach_keyedByTraceId_atTheirStart() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(otlpResourceSpans(
                        "gateway",
                        otlpScopeSpans("io.opentelemetry.netty", otlpSpan(TRACE_A, SPAN_1, null, "GET /cart", T0 + 10)),
                        otlpScopeSpans("io.opentelemetry.jdbc", otlpSpan(TRACE_A, SPAN_2, SPAN_1, "SELECT", T0 + 12))))
                .addResourceSpans(otlpResourceSpans(
                        "cart", otlpScopeSpans("manual", otlpSpan(TRACE_B, SPAN_3, null, "job", T0 + 11))))
                .build();
        otlpSpans.pipeInput(null, request.toByteArray(), T0 + 60_000);

        List<TestRecord<byte[], SpanRecord>> out = spans.readRecordsToList();
        assertThat(out).extracting(r -> str(r.key())).containsExactly(TRACE_A, TRACE_A, TRACE_B);
        // the key bytes are StringSerializer's, so the partition of a trace is queryMetadataForKey(…, traceId, String
        // serializer)'s
        assertThat(out.get(0).key()).isEqualTo(Serdes.String().serializer().serialize("t", TRACE_A));
        assertThat(out).extracting(TestRecord::timestamp).containsExactly(T0 + 10, T0 + 12, T0 + 11);
        assertThat(out).extracting(r -> r.value().service()).containsExactly("gateway", "gateway", "cart");
        assertThat(out)
                .extracting(r -> r.value().scope())
                .containsExactly("io.opentelemetry.netty", "io.opentelemetry.jdbc", "manual");
        assertThat(out.get(1).value())
                .isEqualTo(new SpanRecord(
                        TRACE_A,
                        SPAN_2,
                        SPAN_1,
                        "gateway",
                        "SELECT",
                        SpanRecord.Kind.UNSPECIFIED,
                        (T0 + 12) * 1_000_000L,
                        5_000_000L,
                        SpanRecord.Status.UNSET,
                        null,
                        "io.opentelemetry.jdbc",
                        Map.of(),
                        Map.of(),
                        List.of(),
                        List.of()));
        assertThat(spans.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(logs.isEmpty()).isTrue();
        assertThat(deadLetterCategories).isEmpty();
    }

    @Test
    void badSpanAmongGoodOnes_goodOnesPass_theBadOneIsDeadLetteredAsARequestOfItsOwn() {
        Span bad = otlpSpan(TRACE_A, SPAN_3, SPAN_1, "bad", T0 + 3).toBuilder()
                .setSpanId(ByteString.copyFrom(new byte[8]))
                .build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(otlpResourceSpans(
                        "gateway",
                        otlpScopeSpans("s1", otlpSpan(TRACE_A, SPAN_1, null, "ok", T0 + 1)),
                        otlpScopeSpans("s2", otlpSpan(TRACE_A, SPAN_2, SPAN_1, "ok too", T0 + 2), bad)))
                .build();
        otlpSpans.pipeInput(
                new TestRecord<>(utf8("k"), request.toByteArray(), new RecordHeaders().add("h", utf8("v")), T0 + 50));

        assertThat(spans.readValuesToList()).extracting(SpanRecord::name).containsExactly("ok", "ok too");
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(str(dead.key())).isEqualTo("k");
        assertThat(dead.timestamp()).isEqualTo(T0 + 50);
        ExportTraceServiceRequest deadRequest = parseTraces(dead.value());
        assertThat(deadRequest)
                .isEqualTo(ExportTraceServiceRequest.newBuilder()
                        .addResourceSpans(otlpResourceSpans("gateway", otlpScopeSpans("s2", bad)))
                        .build());
        assertThat(header(dead, DeadLetters.REASON))
                .isEqualTo("rejected 1 of 3 spans: resourceSpans[0].scopeSpans[1].spans[1]: spanId is all zeros");
        assertThat(header(dead, DeadLetters.CATEGORY)).isEqualTo(DeadLetters.CATEGORY_INVALID_SPAN);
        assertThat(header(dead, DeadLetters.SOURCE_TOPIC)).isEqualTo("otlp_spans");
        assertThat(header(dead, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(dead, "h")).isEqualTo("v");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(deadLetterCategories).containsExactly("invalid_span");
    }

    @Test
    void garbageBytes_andNullValues_areDeadLettered_andTheStreamGoesOn() {
        byte[] garbage = {(byte) 0xff, 0x00, 0x13, 0x37, 'x'};
        otlpSpans.pipeInput(utf8("k"), garbage, T0);
        otlpSpans.pipeInput(null, null, T0);
        otlpSpans.pipeInput(
                null, utf8("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"nope\"}]}]}]}"), T0);
        otlpSpans.pipeInput(
                null,
                ExportTraceServiceRequest.newBuilder()
                        .addResourceSpans(otlpResourceSpans(
                                "a", otlpScopeSpans("s", otlpSpan(TRACE_A, SPAN_1, null, "after", T0))))
                        .build()
                        .toByteArray(),
                T0);

        assertThat(spans.readValuesToList()).extracting(SpanRecord::name).containsExactly("after");
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(3);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(header(dead.get(0), DeadLetters.REASON))
                .startsWith("not an OTLP ExportTraceServiceRequest in protobuf");
        assertThat(dead.get(1).value()).isNull();
        assertThat(header(dead.get(2), DeadLetters.REASON))
                .isEqualTo("resourceSpans[0].scopeSpans[0].spans[0].traceId: not 32 hex characters ('nope')");
        assertThat(dead).extracting(r -> header(r, DeadLetters.SOURCE_OFFSET)).containsExactly("0", "1", "2");
        assertThat(deadLetterCategories).containsExactly("invalid_otlp", "empty", "invalid_otlp");
    }

    @Test
    void otlpJsonRecords_asTheCollectorsOtlpJsonEncodingWritesThem_areReadToo() {
        String json =
                "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValu"
                        + "e\":\"js-app\"}}]},"
                        + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + TRACE_A + "\",\"spanId\":\"" + SPAN_1
                        + "\",\"name\":\"click\",\"kind\":1,"
                        + "\"startTimeUnixNano\":\"" + T0 * 1_000_000L + "\",\"endTimeUnixNano\":\""
                        + (T0 + 1) * 1_000_000L + "\"}]}]}]}";
        otlpSpans.pipeInput(null, utf8(json), T0);
        SpanRecord span = spans.readValue();
        assertThat(span.service()).isEqualTo("js-app");
        assertThat(span.kind()).isEqualTo(SpanRecord.Kind.INTERNAL);
        assertThat(span.durationNanos()).isEqualTo(1_000_000L);
    }

    @Test
    void emptyRequests_produceNothing() {
        otlpSpans.pipeInput(null, new byte[0], T0);
        otlpSpans.pipeInput(null, ExportTraceServiceRequest.getDefaultInstance().toByteArray(), T0);
        otlpLogs.pipeInput(null, new byte[0], T0);
        assertThat(spans.isEmpty()).isTrue();
        assertThat(logs.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(deadLetterCategories).isEmpty();
    }

    @Test
    void exceptionWhileConverting_isDeadLetteredAsProcessingError_andTheStreamGoesOn() {
        driver.close();
        StreamsBuilder builder = new StreamsBuilder();
        OtlpTopology.addTo(
                builder,
                TopologyOptions.defaults().withDeadLetters(deadLetterCategories::add),
                value -> {
                    if (value.length == 3) throw new IllegalStateException("bug in decoder");
                    return OtlpTopology.decodeTraces(value);
                },
                OtlpTopology::decodeLogs);
        start(builder.build(), stateDir);

        otlpSpans.pipeInput(null, new byte[] {1, 2, 3}, T0);
        otlpSpans.pipeInput(
                null,
                ExportTraceServiceRequest.newBuilder()
                        .addResourceSpans(otlpResourceSpans(
                                "a", otlpScopeSpans("s", otlpSpan(TRACE_A, SPAN_1, null, "fine", T0))))
                        .build()
                        .toByteArray(),
                T0);
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.value()).containsExactly(1, 2, 3);
        assertThat(header(dead, DeadLetters.REASON))
                .isEqualTo("OTLP conversion failed: IllegalStateException: bug in decoder");
        assertThat(spans.readValuesToList()).extracting(SpanRecord::name).containsExactly("fine");
        assertThat(deadLetterCategories).containsExactly("processing_error");
    }

    // ---------------------------------------------------------------- logs

    @Test
    void otlpLogs_goToLogflowLogs_exactlyAsJsonLogsDo() {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(otlpResourceLogs(
                        "payments",
                        "com.example.Pay",
                        otlpLog("card declined", SeverityNumber.SEVERITY_NUMBER_ERROR, T0 + 1_000).toBuilder()
                                .setTraceId(TestObjects.otlpId(TRACE_A))
                                .setSpanId(TestObjects.otlpId(SPAN_1))
                                .addAttributes(otlpAttr("order", "4711"))
                                .build(),
                        otlpLog("retrying", SeverityNumber.SEVERITY_NUMBER_WARN, T0 + 2_000)))
                .addResourceLogs(
                        otlpResourceLogs("cart", "", otlpLog("added", SeverityNumber.SEVERITY_NUMBER_INFO, T0 + 3_000)))
                .build();
        otlpLogs.pipeInput(null, request.toByteArray(), T0 + 5_000);

        String prefix = LogNormalizer.eventId("otlp_logs", 0, 0);
        List<TestRecord<String, LogRecord>> out = logs.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly("payments", "payments", "cart");
        assertThat(out).extracting(TestRecord::timestamp).containsExactly(T0 + 1_000, T0 + 2_000, T0 + 3_000);
        assertThat(out.get(0).value())
                .isEqualTo(new LogRecord(
                        prefix + "-0",
                        T0 + 1_000,
                        "payments",
                        Level.ERROR,
                        "card declined",
                        TRACE_A,
                        SPAN_1,
                        null,
                        null,
                        Map.of("order", "4711", "otel.scope.name", "com.example.Pay")));
        assertThat(out)
                .extracting(r -> r.value().eventId())
                .containsExactly(prefix + "-0", prefix + "-1", prefix + "-2");
        assertThat(out).extracting(r -> r.value().level()).containsExactly(Level.ERROR, Level.WARN, Level.INFO);
        assertThat(out)
                .allSatisfy(
                        r -> assertThat(r.headers().lastHeader(LogHeaders.LATE)).isNull());
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(spans.isEmpty()).isTrue();
    }

    @Test
    void lateness_isDecidedAgainstThisSourcePartitionsStreamTime_andAShippersHeaderIsReplaced() {
        otlpLogs.pipeInput(
                null,
                logsRequest(otlpLog("now", SeverityNumber.SEVERITY_NUMBER_INFO, T0 + 90_000))
                        .toByteArray(),
                T0 + 90_000);
        org.apache.kafka.common.header.Headers spoofed =
                new RecordHeaders().add(LogHeaders.LATE, new byte[] {'1'}).add("traceparent", utf8("00-x-01"));
        otlpLogs.pipeInput(new TestRecord<>(
                null,
                logsRequest(
                                otlpLog("too late", SeverityNumber.SEVERITY_NUMBER_INFO, T0 + 59_999),
                                otlpLog("next window, on time", SeverityNumber.SEVERITY_NUMBER_INFO, T0 + 60_000))
                        .toByteArray(),
                spoofed,
                T0 + 90_000));
        otlpLogs.pipeInput(new TestRecord<>(
                null,
                logsRequest(otlpLog("on time", SeverityNumber.SEVERITY_NUMBER_INFO, T0 + 89_000))
                        .toByteArray(),
                new RecordHeaders().add(LogHeaders.LATE, new byte[] {'1'}),
                T0 + 90_000));

        List<TestRecord<String, LogRecord>> out = logs.readRecordsToList();
        assertThat(out)
                .extracting(r -> r.value().message())
                .containsExactly("now", "too late", "next window, on time", "on time");
        assertThat(out)
                .extracting(r -> r.headers().lastHeader(LogHeaders.LATE) != null)
                .containsExactly(false, true, false, false);
        assertThat(str(out.get(2).headers().lastHeader("traceparent").value())).isEqualTo("00-x-01");
    }

    @Test
    void reprocessingTheSameRecord_givesTheSameEventIds_invalidRecordsCounted() throws Exception {
        byte[] request = logsRequest(
                        otlpLog("first", SeverityNumber.SEVERITY_NUMBER_INFO, T0),
                        otlpLog(null, SeverityNumber.SEVERITY_NUMBER_ERROR, T0), // nothing to show: dead-lettered
                        otlpLog("third", SeverityNumber.SEVERITY_NUMBER_INFO, T0))
                .toByteArray();
        otlpLogs.pipeInput(null, request, T0);
        List<LogRecord> first = logs.readValuesToList();
        String prefix = LogNormalizer.eventId("otlp_logs", 0, 0);
        assertThat(first).extracting(LogRecord::eventId).containsExactly(prefix + "-0", prefix + "-2");
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(header(dead, DeadLetters.CATEGORY)).isEqualTo(DeadLetters.CATEGORY_INVALID_LOG_RECORD);
        assertThat(header(dead, DeadLetters.REASON))
                .isEqualTo("rejected 1 of 3 log records: resourceLogs[0].scopeLogs[0].logRecords[1]: "
                        + "empty log record: no body, eventName or attributes");
        assertThat(ExportLogsServiceRequest.parseFrom(dead.value())
                        .getResourceLogs(0)
                        .getScopeLogs(0)
                        .getLogRecordsList())
                .containsExactly(otlpLog(null, SeverityNumber.SEVERITY_NUMBER_ERROR, T0));
        assertThat(deadLetterCategories).containsExactly("invalid_log_record");

        // the same record at the same offset, processed again from scratch (a restore, a reset of the application)
        driver.close();
        start(
                TestObjects.topology(OtlpTopology::addTo, TopologyOptions.defaults()),
                Files.createTempDirectory(stateDir, "again"));
        otlpLogs.pipeInput(null, request, T0);
        assertThat(logs.readValuesToList()).isEqualTo(first);
    }

    @Test
    void garbageOnOtlpLogs_isDeadLettered() {
        otlpLogs.pipeInput(null, utf8("{\"resourceLogs\":7}"), T0);
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(header(dead, DeadLetters.REASON)).isEqualTo("resourceLogs: expected an array, got 7");
        assertThat(header(dead, DeadLetters.SOURCE_TOPIC)).isEqualTo("otlp_logs");
        assertThat(logs.isEmpty()).isTrue();
        assertThat(deadLetterCategories).containsExactly("invalid_otlp");
    }

    private static ExportLogsServiceRequest logsRequest(io.opentelemetry.proto.logs.v1.LogRecord... records) {
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(otlpResourceLogs("svc", "scope", records))
                .build();
    }

    private static ExportTraceServiceRequest parseTraces(byte[] bytes) {
        try {
            return ExportTraceServiceRequest.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static String header(TestRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : str(h.value());
    }
}
