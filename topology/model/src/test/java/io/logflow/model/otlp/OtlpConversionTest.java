package io.logflow.model.otlp;

import static io.logflow.model.otlp.OtlpTestObjects.SPAN_1;
import static io.logflow.model.otlp.OtlpTestObjects.SPAN_2;
import static io.logflow.model.otlp.OtlpTestObjects.SPAN_3;
import static io.logflow.model.otlp.OtlpTestObjects.T0;
import static io.logflow.model.otlp.OtlpTestObjects.T0_NS;
import static io.logflow.model.otlp.OtlpTestObjects.TRACE_A;
import static io.logflow.model.otlp.OtlpTestObjects.TRACE_B;
import static io.logflow.model.otlp.OtlpTestObjects.attr;
import static io.logflow.model.otlp.OtlpTestObjects.id;
import static io.logflow.model.otlp.OtlpTestObjects.log;
import static io.logflow.model.otlp.OtlpTestObjects.resource;
import static io.logflow.model.otlp.OtlpTestObjects.resourceLogs;
import static io.logflow.model.otlp.OtlpTestObjects.resourceSpans;
import static io.logflow.model.otlp.OtlpTestObjects.scopeLogs;
import static io.logflow.model.otlp.OtlpTestObjects.scopeSpans;
import static io.logflow.model.otlp.OtlpTestObjects.span;
import static io.logflow.model.otlp.OtlpTestObjects.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.normalize.LogNormalizer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpConversionTest {
    static final String PREFIX = LogNormalizer.eventId("otlp_logs", 2, 40);

    // ------------------------------------------------------------------ spans

    @Test
    void spans_carryServiceResourceScopeIdsTimesAndStatus() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource(
                                "checkout",
                                attr("host.name", "h1"),
                                attr(
                                        "k8s.pod.uid",
                                        AnyValue.newBuilder().setIntValue(7).build())))
                        .addScopeSpans(scopeSpans(
                                "io.opentelemetry.netty",
                                span(TRACE_A, SPAN_1, null, "GET /cart", 0)
                                        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                                        .setStatus(Status.newBuilder()
                                                .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                                                .setMessage("timeout"))
                                        .addAttributes(attr("http.route", "/cart")),
                                span(TRACE_A, SPAN_2, SPAN_1, "SELECT", 1)
                                        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                                        .setKindValue(3))))
                .addResourceSpans(resourceSpans(null, scopeSpans("", span(TRACE_B, SPAN_3, null, "job", 2))))
                .build();

        List<SpanRecord> spans = OtlpSpans.toSpanRecords(request);
        assertThat(spans).hasSize(3);
        assertThat(spans.get(0))
                .isEqualTo(new SpanRecord(
                        TRACE_A,
                        SPAN_1,
                        null,
                        "checkout",
                        "GET /cart",
                        SpanRecord.Kind.SERVER,
                        T0_NS,
                        5_000_000,
                        SpanRecord.Status.ERROR,
                        "timeout",
                        "io.opentelemetry.netty",
                        Map.of("http.route", "/cart"),
                        Map.of("host.name", "h1", "k8s.pod.uid", "7"),
                        List.of(),
                        List.of()));
        assertThat(spans.get(1).parentSpanId()).isEqualTo(SPAN_1);
        assertThat(spans.get(1).kind()).isEqualTo(SpanRecord.Kind.CLIENT);
        assertThat(spans.get(1).status()).isEqualTo(SpanRecord.Status.UNSET);
        assertThat(spans.get(1).statusMessage()).isNull();
        assertThat(spans.get(1).startMillis()).isEqualTo(T0 + 1);
        assertThat(spans.get(2).service()).isEqualTo(OtlpSpans.UNKNOWN_SERVICE);
        assertThat(spans.get(2).scope()).isNull();
        assertThat(spans.get(2).resource()).isEmpty();
    }

    @Test
    void invalidSpans_areSkipped_zeroParentIsARoot_unknownKindIsUnspecified() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans(
                        "a",
                        scopeSpans(
                                "s",
                                span(TRACE_A, SPAN_1, null, "good", 0)
                                        .setParentSpanId(ByteString.copyFrom(new byte[8]))
                                        .setKindValue(42),
                                span(TRACE_A, SPAN_2, null, "bad", 0).clearSpanId())))
                .build();
        assertThat(OtlpSpans.toSpanRecords(request)).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("good");
            assertThat(s.isRoot()).isTrue();
            assertThat(s.kind()).isEqualTo(SpanRecord.Kind.UNSPECIFIED);
        });
    }

    @Test
    void attributeValues_becomeText_arraysAndMapsCompactJson() {
        AnyValue array = AnyValue.newBuilder()
                .setArrayValue(ArrayValue.newBuilder()
                        .addValues(str("a"))
                        .addValues(AnyValue.newBuilder().setIntValue(-1))
                        .addValues(AnyValue.newBuilder().setDoubleValue(1.5))
                        .addValues(AnyValue.newBuilder().setBoolValue(true))
                        .addValues(AnyValue.getDefaultInstance())
                        .addValues(AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {(byte) 0xff}))))
                .build();
        AnyValue map = AnyValue.newBuilder()
                .setKvlistValue(KeyValueList.newBuilder()
                        .addValues(attr("x", str("q\"uote")))
                        .addValues(attr("n", array)))
                .build();
        Span.Builder s = span(TRACE_A, SPAN_1, null, "n", 0)
                .addAttributes(attr("string", "text"))
                .addAttributes(attr(
                        "int", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE).build()))
                .addAttributes(
                        attr("double", AnyValue.newBuilder().setDoubleValue(0.1).build()))
                .addAttributes(
                        attr("whole", AnyValue.newBuilder().setDoubleValue(3).build()))
                .addAttributes(attr(
                        "nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()))
                .addAttributes(
                        attr("bool", AnyValue.newBuilder().setBoolValue(false).build()))
                .addAttributes(attr(
                        "bytes",
                        AnyValue.newBuilder()
                                .setBytesValue(ByteString.copyFrom(new byte[] {1, 2, 3}))
                                .build()))
                .addAttributes(attr("array", array))
                .addAttributes(attr("map", map))
                .addAttributes(attr("empty", AnyValue.getDefaultInstance()))
                .addAttributes(attr("string", "repeated key: first wins"));
        SpanRecord span = OtlpSpans.toSpanRecords(ExportTraceServiceRequest.newBuilder()
                        .addResourceSpans(resourceSpans("a", scopeSpans("s", s)))
                        .build())
                .get(0);
        assertThat(span.attributes())
                .containsExactly(
                        Map.entry("string", "text"),
                        Map.entry("int", "-9223372036854775808"),
                        Map.entry("double", "0.1"),
                        Map.entry("whole", "3.0"),
                        Map.entry("nan", "NaN"),
                        Map.entry("bool", "false"),
                        Map.entry("bytes", "AQID"),
                        Map.entry("array", "[\"a\",-1,1.5,true,null,\"/w==\"]"),
                        Map.entry("map", "{\"x\":\"q\\\"uote\",\"n\":[\"a\",-1,1.5,true,null,\"/w==\"]}"));
    }

    @Test
    void eventsAndLinks_areKept_linksWithInvalidIdsLeftOut() {
        Span.Builder s = span(TRACE_A, SPAN_1, null, "n", 0)
                .addEvents(Span.Event.newBuilder()
                        .setTimeUnixNano(T0_NS + 7)
                        .setName("exception")
                        .addAttributes(attr("exception.type", "IOError")))
                .addLinks(Span.Link.newBuilder()
                        .setTraceId(id(TRACE_B))
                        .setSpanId(id(SPAN_2))
                        .addAttributes(attr("l", "v")))
                .addLinks(Span.Link.newBuilder().setTraceId(id(TRACE_B)));
        SpanRecord span = OtlpSpans.toSpanRecords(ExportTraceServiceRequest.newBuilder()
                        .addResourceSpans(resourceSpans("a", scopeSpans("s", s)))
                        .build())
                .get(0);
        assertThat(span.events())
                .containsExactly(new SpanRecord.Event(T0_NS + 7, "exception", Map.of("exception.type", "IOError")));
        assertThat(span.links()).containsExactly(new SpanRecord.Link(TRACE_B, SPAN_2, Map.of("l", "v")));
    }

    // ------------------------------------------------------------------ logs

    private static List<LogRecord> logs(io.opentelemetry.proto.logs.v1.LogRecord.Builder... records) {
        return OtlpLogs.toLogRecords(
                ExportLogsServiceRequest.newBuilder()
                        .addResourceLogs(resourceLogs("payments", scopeLogs("com.example.Pay", records)))
                        .build(),
                PREFIX,
                T0 + 60_000);
    }

    @Test
    void logRecord_becomesTheLogRecordJsonLogsBecome() {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource("payments", attr("host.name", "h1")))
                        .addScopeLogs(scopeLogs(
                                "com.example.Pay",
                                log("card declined")
                                        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR2)
                                        .setSeverityText("Error")
                                        .setTraceId(id(TRACE_A))
                                        .setSpanId(id(SPAN_1))
                                        .setEventName("payment.declined")
                                        .addAttributes(attr(
                                                "order",
                                                AnyValue.newBuilder()
                                                        .setIntValue(4711)
                                                        .build()))
                                        .addAttributes(attr("request_id", "req-1"))
                                        .addAttributes(attr("correlation_id", "c-9")))))
                .build();
        assertThat(OtlpLogs.toLogRecords(request, PREFIX, T0 + 60_000))
                .containsExactly(new LogRecord(
                        PREFIX + "-0",
                        T0 + 1,
                        "payments",
                        Level.ERROR,
                        "card declined",
                        TRACE_A,
                        SPAN_1,
                        "req-1",
                        "c-9",
                        Map.of(
                                "order",
                                "4711",
                                "event.name",
                                "payment.declined",
                                "otel.scope.name",
                                "com.example.Pay",
                                "resource.host.name",
                                "h1")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "1  | -       | TRACE",
                "4 | - | TRACE",
                "5 | - | DEBUG",
                "8 | - | DEBUG",
                "9 | - | INFO",
                "12 | - | INFO",
                "13 | -       | WARN",
                "16 | - | WARN",
                "17 | - | ERROR",
                "20 | - | ERROR",
                "21 | - | FATAL",
                "24 | - | FATAL",
                "17 | debug   | ERROR",
                "0  | warning | WARN",
                "0 | Error3 | ERROR",
                "0 | CRITICAL | FATAL",
                "0  | -       | INFO",
                "0 | loud | INFO",
                "30 | - | INFO"
            })
    void severity_followsTheOpenTelemetryRanges_thenTheText(int number, String text, Level expected) {
        io.opentelemetry.proto.logs.v1.LogRecord.Builder b = log("m").setSeverityNumberValue(number);
        if (text != null) b.setSeverityText(text);
        assertThat(logs(b).get(0).level()).isEqualTo(expected);
    }

    @Test
    void unreadableSeverity_isKeptAsALabel() {
        assertThat(logs(log("m").setSeverityText("loud")).get(0).labels())
                .containsEntry(LogNormalizer.LABEL_LEVEL_ORIGINAL, "loud");
        assertThat(logs(log("m").setSeverityNumberValue(30)).get(0).labels())
                .containsEntry(LogNormalizer.LABEL_LEVEL_ORIGINAL, "30");
    }

    @Test
    void time_isTheEventTime_elseObserved_elseTheRecordTime_andTheFutureIsClamped() {
        List<LogRecord> out = logs(
                log("event").setTimeUnixNano(T0_NS + 1_999_999).setObservedTimeUnixNano(T0_NS + 9_000_000),
                log("observed").clearTimeUnixNano().setObservedTimeUnixNano(T0_NS + 9_000_000),
                log("none").clearTimeUnixNano(),
                log("future").setTimeUnixNano((T0 + 60_000 + LogNormalizer.MAX_FUTURE_SKEW_MS + 1) * 1_000_000L));
        assertThat(out).extracting(LogRecord::timestamp).containsExactly(T0 + 1, T0 + 9, T0 + 60_000, T0 + 60_000);
        assertThat(out.get(3).labels())
                .containsEntry(
                        LogNormalizer.LABEL_TIMESTAMP_ORIGINAL,
                        Long.toString((T0 + 60_000 + LogNormalizer.MAX_FUTURE_SKEW_MS + 1) * 1_000_000L));
    }

    @Test
    void message_isTheBodyAsText_elseTheEventName_elseEmpty() {
        List<LogRecord> out = logs(
                log(null)
                        .setBody(AnyValue.newBuilder()
                                .setKvlistValue(KeyValueList.newBuilder().addValues(attr("user", "u1")))),
                log(null).setBody(AnyValue.newBuilder().setIntValue(42)),
                log(null).setEventName("session.start"),
                log(null).addAttributes(attr("k", "v")));
        assertThat(out).extracting(LogRecord::message).containsExactly("{\"user\":\"u1\"}", "42", "session.start", "");
    }

    @Test
    void eventIds_countEveryRecordOfTheRequest_soTheyAreStable() {
        List<LogRecord> out = logs(log("a"), log(null), log("c"));
        assertThat(out).extracting(LogRecord::eventId).containsExactly(PREFIX + "-0", PREFIX + "-2");
        assertThat(logs(log("a"), log(null), log("c"))).isEqualTo(out);
    }

    @Test
    void invalidIds_areDropped_aNonZeroBadTraceIdKeptAsALabel() {
        List<LogRecord> out = logs(
                log("zeros").setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8])),
                log("short").setTraceId(ByteString.copyFrom(new byte[] {1, 2})).setSpanId(id(SPAN_1)));
        assertThat(out).extracting(LogRecord::traceId).containsExactly(null, null);
        assertThat(out.get(0).labels()).doesNotContainKey(LogNormalizer.LABEL_TRACE_ID_INVALID);
        assertThat(out.get(1).labels()).containsEntry(LogNormalizer.LABEL_TRACE_ID_INVALID, "0102");
        assertThat(out.get(1).spanId()).isEqualTo(SPAN_1);
    }

    @Test
    void labels_areBounded() {
        io.opentelemetry.proto.logs.v1.LogRecord.Builder b = log("m");
        for (int i = 0; i < LogNormalizer.MAX_LABELS + 10; i++) b.addAttributes(attr("k" + i, "v"));
        Map<String, String> labels = logs(b).get(0).labels();
        assertThat(labels)
                .hasSize(LogNormalizer.MAX_LABELS + 1)
                .containsEntry(LogNormalizer.LABEL_LABELS_TRUNCATED, "true");
    }

    @Test
    void service_isTrimmedAndBounded_blankIsUnknown() {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(resourceLogs("  spaced  ", scopeLogs("", log("a"))))
                .addResourceLogs(resourceLogs(" ", scopeLogs("", log("b"))))
                .addResourceLogs(resourceLogs("x".repeat(300), scopeLogs("", log("c"))))
                .build();
        assertThat(OtlpLogs.toLogRecords(request, PREFIX, T0))
                .extracting(LogRecord::service)
                .containsExactly("spaced", OtlpSpans.UNKNOWN_SERVICE, "x".repeat(LogNormalizer.MAX_SERVICE_LENGTH));
    }
}
