package io.logflow.model.otlp;

import static io.logflow.model.otlp.OtlpTestObjects.SPAN_1;
import static io.logflow.model.otlp.OtlpTestObjects.SPAN_2;
import static io.logflow.model.otlp.OtlpTestObjects.SPAN_3;
import static io.logflow.model.otlp.OtlpTestObjects.TRACE_A;
import static io.logflow.model.otlp.OtlpTestObjects.TRACE_B;
import static io.logflow.model.otlp.OtlpTestObjects.attr;
import static io.logflow.model.otlp.OtlpTestObjects.log;
import static io.logflow.model.otlp.OtlpTestObjects.resourceLogs;
import static io.logflow.model.otlp.OtlpTestObjects.resourceSpans;
import static io.logflow.model.otlp.OtlpTestObjects.scopeLogs;
import static io.logflow.model.otlp.OtlpTestObjects.scopeSpans;
import static io.logflow.model.otlp.OtlpTestObjects.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpValidationTest {

    @Test
    void validRequest_isAcceptedAsItIs() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans(
                        "a",
                        scopeSpans(
                                "s1",
                                span(TRACE_A, SPAN_1, null, "root", 0),
                                span(TRACE_A, SPAN_2, SPAN_1, "child", 1))))
                .build();
        OtlpValidation.Result<ExportTraceServiceRequest> r = OtlpValidation.validate(request);
        assertThat(r.valid()).isSameAs(request);
        assertThat(r.invalid()).isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
        assertThat(r.accepted()).isEqualTo(2);
        assertThat(r.rejected()).isZero();
        assertThat(r.allValid()).isTrue();
        assertThat(r.message()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "noTraceId         | traceId is missing",
                "shortTraceId      | traceId is 8 bytes, not 16",
                "zeroTraceId       | traceId is all zeros",
                "noSpanId          | spanId is missing",
                "longSpanId        | spanId is 16 bytes, not 8",
                "zeroSpanId        | spanId is all zeros",
                "badParent         | parentSpanId is 4 bytes, not 8 (or empty for a root span)",
                "noStart           | startTimeUnixNano is missing",
                "noEnd             | endTimeUnixNano is missing",
                "endBeforeStart    | endTimeUnixNano is before startTimeUnixNano",
                "startBeyond2262   | startTimeUnixNano is beyond the year 2262"
            })
    void invalidSpan_isRejected_withItsPathAndReason(String variant, String reason) {
        UnaryOperator<Span.Builder> breakIt = switch (variant) {
            case "noTraceId" -> s -> s.clearTraceId();
            case "shortTraceId" -> s -> s.setTraceId(OtlpTestObjects.id(SPAN_1));
            case "zeroTraceId" -> s -> s.setTraceId(ByteString.copyFrom(new byte[16]));
            case "noSpanId" -> s -> s.clearSpanId();
            case "longSpanId" -> s -> s.setSpanId(OtlpTestObjects.id(TRACE_A));
            case "zeroSpanId" -> s -> s.setSpanId(ByteString.copyFrom(new byte[8]));
            case "badParent" -> s -> s.setParentSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4}));
            case "noStart" -> s -> s.setStartTimeUnixNano(0);
            case "noEnd" -> s -> s.setEndTimeUnixNano(0);
            case "endBeforeStart" -> s -> s.setEndTimeUnixNano(s.getStartTimeUnixNano() - 1);
            case "startBeyond2262" -> s -> s.setStartTimeUnixNano(-5);
            default -> throw new IllegalArgumentException(variant);
        };
        Span bad = breakIt.apply(span(TRACE_A, SPAN_3, SPAN_1, "bad", 2)).build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans(
                        "a",
                        scopeSpans("s1", span(TRACE_A, SPAN_1, null, "ok", 0)),
                        scopeSpans("s2", span(TRACE_A, SPAN_2, SPAN_1, "ok too", 1), bad.toBuilder())))
                .build();

        OtlpValidation.Result<ExportTraceServiceRequest> r = OtlpValidation.validate(request);
        assertThat(r.accepted()).isEqualTo(2);
        assertThat(r.rejected()).isEqualTo(1);
        assertThat(r.reasons()).containsExactly("resourceSpans[0].scopeSpans[1].spans[1]: " + reason);
        assertThat(r.message()).isEqualTo("rejected 1 of 3 spans: resourceSpans[0].scopeSpans[1].spans[1]: " + reason);
        // the valid half keeps resource and both scopes; the invalid half only the scope of the bad span
        assertThat(r.valid().getResourceSpans(0).getResource())
                .isEqualTo(request.getResourceSpans(0).getResource());
        assertThat(r.valid().getResourceSpans(0).getScopeSpansList())
                .extracting(s -> s.getScope().getName())
                .containsExactly("s1", "s2");
        assertThat(r.valid().getResourceSpans(0).getScopeSpans(1).getSpansList())
                .extracting(Span::getName)
                .containsExactly("ok too");
        assertThat(r.invalid().getResourceSpansCount()).isEqualTo(1);
        assertThat(r.invalid().getResourceSpans(0).getResource())
                .isEqualTo(request.getResourceSpans(0).getResource());
        assertThat(r.invalid().getResourceSpans(0).getScopeSpansList())
                .singleElement()
                .satisfies(s -> assertThat(s.getScope().getName()).isEqualTo("s2"))
                .satisfies(s -> assertThat(s.getSpansList()).containsExactly(bad));
    }

    @Test
    void rootSpans_mayHaveAnEmptyOrAllZeroParent_andZeroDurationIsFine() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans(
                        "a",
                        scopeSpans(
                                "s",
                                span(TRACE_A, SPAN_1, null, "empty parent", 0),
                                span(TRACE_B, SPAN_2, null, "zero parent", 0)
                                        .setParentSpanId(ByteString.copyFrom(new byte[8])),
                                span(TRACE_B, SPAN_3, null, "instant", 0).setEndTimeUnixNano(OtlpTestObjects.T0_NS))))
                .build();
        assertThat(OtlpValidation.validate(request).allValid()).isTrue();
    }

    @Test
    void everythingInvalid_leavesAnEmptyValidHalf_andReasonsAreBounded() {
        ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
        for (int i = 0; i < 15; i++)
            b.addResourceSpans(resourceSpans(
                    "svc" + i,
                    scopeSpans("s", span(TRACE_A, SPAN_1, null, "x", 0).clearTraceId())));
        OtlpValidation.Result<ExportTraceServiceRequest> r = OtlpValidation.validate(b.build());
        assertThat(r.valid()).isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
        assertThat(r.invalid()).isEqualTo(b.build());
        assertThat(r.rejected()).isEqualTo(15);
        assertThat(r.reasons()).hasSize(OtlpValidation.MAX_REASONS);
        assertThat(r.message())
                .startsWith("rejected 15 of 15 spans: resourceSpans[0].scopeSpans[0].spans[0]: traceId is missing; ")
                .endsWith("; and 5 more");
    }

    @Test
    void logRecords_areRejectedOnlyWhenThereIsNothingToShow() {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(resourceLogs(
                        "a",
                        scopeLogs(
                                "s",
                                log("a body"),
                                log(null).addAttributes(attr("k", "v")), // attributes, no body: a log
                                log(null).setEventName("session.start"), // an event: a log
                                log(null).setBody(AnyValue.newBuilder().setIntValue(0)), // any non-string body: a log
                                log(null).setSeverityText("ERROR"), // severity alone: nothing to show
                                log("   "), // blank body, nothing else
                                log(null).setTraceId(OtlpTestObjects.id(TRACE_A))))) // trace context alone
                .build();
        OtlpValidation.Result<ExportLogsServiceRequest> r = OtlpValidation.validate(request);
        assertThat(r.accepted()).isEqualTo(4);
        assertThat(r.rejected()).isEqualTo(3);
        assertThat(r.reasons())
                .containsExactly(
                        "resourceLogs[0].scopeLogs[0].logRecords[4]: empty log record: no body, eventName or "
                                + "attributes",
                        "resourceLogs[0].scopeLogs[0].logRecords[5]: empty log record: no body, eventName or "
                                + "attributes",
                        "resourceLogs[0].scopeLogs[0].logRecords[6]: empty log record: no body, eventName or "
                                + "attributes");
        assertThat(r.message()).startsWith("rejected 3 of 7 log records: ");
        assertThat(r.valid().getResourceLogs(0).getScopeLogs(0).getLogRecordsCount())
                .isEqualTo(4);
        assertThat(r.invalid().getResourceLogs(0).getScopeLogs(0).getLogRecordsCount())
                .isEqualTo(3);
    }

    @Test
    void invalidIdsOnALogRecord_doNotRejectIt() {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(resourceLogs(
                        "a",
                        scopeLogs(
                                "s",
                                log("m").setTraceId(ByteString.copyFrom(new byte[] {1}))
                                        .setSpanId(ByteString.copyFrom(new byte[8])))))
                .build();
        assertThat(OtlpValidation.validate(request).allValid()).isTrue();
    }
}
