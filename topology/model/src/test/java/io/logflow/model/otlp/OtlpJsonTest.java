package io.logflow.model.otlp;

import static io.logflow.model.otlp.OtlpTestObjects.SPAN_1;
import static io.logflow.model.otlp.OtlpTestObjects.SPAN_2;
import static io.logflow.model.otlp.OtlpTestObjects.T0_NS;
import static io.logflow.model.otlp.OtlpTestObjects.TRACE_A;
import static io.logflow.model.otlp.OtlpTestObjects.attr;
import static io.logflow.model.otlp.OtlpTestObjects.id;
import static io.logflow.model.otlp.OtlpTestObjects.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpJsonTest {

    /**
     * The shape of the OTLP specification's own example (opentelemetry-proto examples/trace.json), every field used.
     */
    static final String TRACES = """
      {"resourceSpans":[{
        "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}],\
      "droppedAttributesCount":1},
        "schemaUrl":"https://opentelemetry.io/schemas/1.26.0",
        "scopeSpans":[{
          "scope":{"name":"my.library","version":"1.0.0","attributes":[{"key":"my.scope.attribute",\
      "value":{"stringValue":"some scope attribute"}}]},
          "spans":[{
            "traceId":"4BF92F3577B34DA6A3CE929D0E0E4736","spanId":"00f067aa0ba902b7","parentSpanId":"53ce929d0e0e4736",
            "traceState":"rojo=00f067aa0ba902b7","flags":257,"name":"GET /cart","kind":2,
            "startTimeUnixNano":"1767225600000000000","endTimeUnixNano":1767225600005000000,
            "attributes":[
              {"key":"s","value":{"stringValue":"x"}},
              {"key":"b","value":{"boolValue":true}},
              {"key":"i","value":{"intValue":"-42"}},
              {"key":"i2","value":{"intValue":7}},
              {"key":"d","value":{"doubleValue":0.25}},
              {"key":"nan","value":{"doubleValue":"NaN"}},
              {"key":"bytes","value":{"bytesValue":"AQID"}},
              {"key":"arr","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"1"}]}}},
              {"key":"kv","value":{"kvlistValue":{"values":[{"key":"k","value":{"boolValue":false}}]}}},
              {"key":"empty","value":{}}
            ],
            "droppedAttributesCount":2,
            "events":[{"timeUnixNano":"1767225600001000000","name":"exception","attributes":[{"key":"exception.type",\
      "value":{"stringValue":"IOError"}}],"droppedAttributesCount":3}],
            "droppedEventsCount":4,
            "links":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","traceState":"a=b",\
      "flags":1,
                      "attributes":[{"key":"l","value":{"stringValue":"v"}}],"droppedAttributesCount":5}],
            "droppedLinksCount":6,
            "status":{"code":2,"message":"boom"},
            "someFutureField":{"ignored":[1,2,3]}
          }]
        }]
      }]}
      """;

    @Test
    void readsEveryFieldOfATraceRequest_asTheProtobufBuildersWould() {
        Span expectedSpan = Span.newBuilder()
                .setTraceId(id(TRACE_A))
                .setSpanId(id(SPAN_1))
                .setParentSpanId(id(SPAN_2))
                .setTraceState("rojo=00f067aa0ba902b7")
                .setFlags(257)
                .setName("GET /cart")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(T0_NS)
                .setEndTimeUnixNano(T0_NS + 5_000_000)
                .addAttributes(attr("s", "x"))
                .addAttributes(
                        attr("b", AnyValue.newBuilder().setBoolValue(true).build()))
                .addAttributes(attr("i", AnyValue.newBuilder().setIntValue(-42).build()))
                .addAttributes(attr("i2", AnyValue.newBuilder().setIntValue(7).build()))
                .addAttributes(
                        attr("d", AnyValue.newBuilder().setDoubleValue(0.25).build()))
                .addAttributes(attr(
                        "nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()))
                .addAttributes(attr(
                        "bytes",
                        AnyValue.newBuilder()
                                .setBytesValue(ByteString.copyFrom(new byte[] {1, 2, 3}))
                                .build()))
                .addAttributes(attr(
                        "arr",
                        AnyValue.newBuilder()
                                .setArrayValue(ArrayValue.newBuilder()
                                        .addValues(OtlpTestObjects.str("a"))
                                        .addValues(AnyValue.newBuilder().setIntValue(1)))
                                .build()))
                .addAttributes(attr(
                        "kv",
                        AnyValue.newBuilder()
                                .setKvlistValue(KeyValueList.newBuilder()
                                        .addValues(attr(
                                                "k",
                                                AnyValue.newBuilder()
                                                        .setBoolValue(false)
                                                        .build())))
                                .build()))
                .addAttributes(attr("empty", AnyValue.getDefaultInstance()))
                .setDroppedAttributesCount(2)
                .addEvents(Span.Event.newBuilder()
                        .setTimeUnixNano(T0_NS + 1_000_000)
                        .setName("exception")
                        .addAttributes(attr("exception.type", "IOError"))
                        .setDroppedAttributesCount(3))
                .setDroppedEventsCount(4)
                .addLinks(Span.Link.newBuilder()
                        .setTraceId(id("0af7651916cd43dd8448eb211c80319c"))
                        .setSpanId(id("b7ad6b7169203331"))
                        .setTraceState("a=b")
                        .setFlags(1)
                        .addAttributes(attr("l", "v"))
                        .setDroppedAttributesCount(5))
                .setDroppedLinksCount(6)
                .setStatus(Status.newBuilder()
                        .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                        .setMessage("boom"))
                .build();
        ExportTraceServiceRequest expected = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(attr("service.name", "checkout"))
                                .setDroppedAttributesCount(1))
                        .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder()
                                        .setName("my.library")
                                        .setVersion("1.0.0")
                                        .addAttributes(attr("my.scope.attribute", "some scope attribute")))
                                .addSpans(expectedSpan)))
                .build();

        assertThat(OtlpJson.readTraces(utf8(TRACES))).isEqualTo(expected);
        // and the protobuf form of it reads back the same, as the topology will read it
        assertThat(OtlpCodec.decodeTraces(expected.toByteArray(), OtlpEncoding.PROTOBUF))
                .isEqualTo(expected);
    }

    @Test
    void acceptsSnakeCaseNames_enumNames_base64Ids_andNulls() {
        String json = """
        {"resource_spans":[{"scope_spans":[{"spans":[{
          "trace_id":"%s","span_id":"%s","parent_span_id":null,"name":"n","kind":"SPAN_KIND_CLIENT",
          "start_time_unix_nano":1767225600000000000,"end_time_unix_nano":"1767225600000000001",
          "status":{"code":"STATUS_CODE_OK"},"dropped_attributes_count":"3"}]}]}]}
        """.formatted(
                        Base64.getEncoder().encodeToString(id(TRACE_A).toByteArray()),
                        Base64.getEncoder().encodeToString(id(SPAN_1).toByteArray()));
        Span span = OtlpJson.readTraces(utf8(json))
                .getResourceSpans(0)
                .getScopeSpans(0)
                .getSpans(0);
        assertThat(span.getTraceId()).isEqualTo(id(TRACE_A));
        assertThat(span.getSpanId()).isEqualTo(id(SPAN_1));
        assertThat(span.getParentSpanId()).isEmpty();
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
        assertThat(span.getEndTimeUnixNano()).isEqualTo(T0_NS + 1);
        assertThat(span.getDroppedAttributesCount()).isEqualTo(3);
    }

    @Test
    void unsignedTimesBeyondSignedRange_keepTheirBits_forValidationToReject() {
        String json =
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"18446744073709551615\"}]}]"
                        + "}]}";
        assertThat(OtlpJson.readTraces(utf8(json))
                        .getResourceSpans(0)
                        .getScopeSpans(0)
                        .getSpans(0)
                        .getStartTimeUnixNano())
                .isEqualTo(-1L);
    }

    @Test
    void hexIdsOfTheWrongLength_areRead_soThatValidationRejectsTheSpanAlone() {
        String json =
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"4bf92f35\",\"spanId\":\"\"}]}]}]}";
        Span span = OtlpJson.readTraces(utf8(json))
                .getResourceSpans(0)
                .getScopeSpans(0)
                .getSpans(0);
        assertThat(span.getTraceId().size()).isEqualTo(4);
        assertThat(span.getSpanId()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"resourceSpans\":[{\"scopeSpans\":[{},{\"spans\":[{},{},{},{\"traceId\":\"xyz\"}]}]}]} | "
                        + "resourceSpans[0].scopeSpans[1].spans[3].traceId: not 32 hex characters ('xyz')",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"00f067aa0ba902b\"}]}]}]}       | "
                        + "resourceSpans[0].scopeSpans[0].spans[0].spanId: not 16 hex characters ('00f067aa0ba902b')",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"trace_id\":1}]}]}]}                        | "
                        + "resourceSpans[0].scopeSpans[0].spans[0].trace_id: expected a string, got 1",
                "{\"resourceSpans\":{}}                                                                           | "
                        + "resourceSpans: expected an array, got an object",
                "{\"resourceSpans\":[[]]}                                                                         | "
                        + "resourceSpans[0]: expected an object, got an array",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"soon\"}]}]}]}        | "
                        + "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected a whole number, got "
                        + "the string 'soon'",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":-1}]}]}]}              | "
                        + "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: out of range of an unsigned "
                        + "64-bit integer: -1",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":1.5}]}]}]}             | "
                        + "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected a whole number, got 1.5",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"1e999999999\"}]}]}]} | "
                        + "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected a whole number, got "
                        + "the string '1e999999999'",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"SERVER\"}]}]}]}                   | "
                        + "resourceSpans[0].scopeSpans[0].spans[0].kind: unknown value 'SERVER'",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"UNRECOGNIZED\"}]}]}]}             | "
                        + "resourceSpans[0].scopeSpans[0].spans[0].kind: unknown value 'UNRECOGNIZED'",
                "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"k\",\"value\":{\"intValue\":\"92233720"
                        + "36854775808\"}}]}}]} | resourceSpans[0].resource.attributes[0].value.intValue: out of "
                        + "range of a 64-bit integer: 9223372036854775808",
                "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"k\",\"value\":{\"bytesValue\":\"!!\"}}"
                        + "]}}]}                 | resourceSpans[0].resource.attributes[0].value.bytesValue: not "
                        + "base64 ('!!')",
                "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"k\",\"value\":{\"boolValue\":1}}]}}]} "
                        + "                     | resourceSpans[0].resource.attributes[0].value.boolValue: expected "
                        + "true or false, got 1",
                "[1,2]                                                                                            | "
                        + "not a JSON object",
                "{\"resourceSpans\":[                                                                             | "
                        + "not valid JSON"
            })
    void malformedDocuments_areRejected_namingThePathOfTheBadField(String json, String message) {
        assertThatThrownBy(() -> OtlpJson.readTraces(utf8(json)))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void valuesNestedTooDeep_areRejected_beforeProtobufsOwnLimit() {
        String inner = "{\"stringValue\":\"x\"}";
        for (int i = 0; i < OtlpJson.MAX_VALUE_DEPTH; i++) inner = "{\"arrayValue\":{\"values\":[" + inner + "]}}";
        String ok = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":" + inner + "}]}]}]}";
        ExportLogsServiceRequest request = OtlpJson.readLogs(utf8(ok));
        assertThat(OtlpCodec.decodeLogs(request.toByteArray(), OtlpEncoding.PROTOBUF))
                .isEqualTo(request);

        String tooDeep = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"arrayValue\":{\"values\":["
                + inner + "]}}}]}]}]}";
        assertThatThrownBy(() -> OtlpJson.readLogs(utf8(tooDeep)))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("nested deeper than 20 levels");
    }

    @Test
    void readsEveryFieldOfALogsRequest() {
        String json = """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payments"}}]},
          "scopeLogs":[{"scope":{"name":"com.example.Payments"},"logRecords":[{
            "timeUnixNano":"1767225600001000000","observedTimeUnixNano":"1767225600002000000",
            "severityNumber":17,"severityText":"Error","body":{"stringValue":"card declined"},
            "attributes":[{"key":"order","value":{"intValue":"4711"}}],"droppedAttributesCount":1,"flags":1,
            "traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","eventName":"payment.declined"},
            {"severity_number":"SEVERITY_NUMBER_WARN2","body":{"kvlistValue":{"values":[{"key":"a",\
        "value":{"doubleValue":1}}]}}}]}]}]}
        """;
        ExportLogsServiceRequest expected = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "payments")))
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("com.example.Payments"))
                                .addLogRecords(LogRecord.newBuilder()
                                        .setTimeUnixNano(T0_NS + 1_000_000)
                                        .setObservedTimeUnixNano(T0_NS + 2_000_000)
                                        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
                                        .setSeverityText("Error")
                                        .setBody(OtlpTestObjects.str("card declined"))
                                        .addAttributes(attr(
                                                "order",
                                                AnyValue.newBuilder()
                                                        .setIntValue(4711)
                                                        .build()))
                                        .setDroppedAttributesCount(1)
                                        .setFlags(1)
                                        .setTraceId(id(TRACE_A))
                                        .setSpanId(id(SPAN_1))
                                        .setEventName("payment.declined"))
                                .addLogRecords(LogRecord.newBuilder()
                                        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN2)
                                        .setBody(AnyValue.newBuilder()
                                                .setKvlistValue(KeyValueList.newBuilder()
                                                        .addValues(attr(
                                                                "a",
                                                                AnyValue.newBuilder()
                                                                        .setDoubleValue(1)
                                                                        .build())))))))
                .build();
        assertThat(OtlpJson.readLogs(utf8(json))).isEqualTo(expected);
    }

    @Test
    void emptyDocuments_areEmptyRequests() {
        assertThat(OtlpJson.readTraces(utf8("{}"))).isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
        assertThat(OtlpJson.readLogs(utf8("{\"resourceLogs\":[]}")))
                .isEqualTo(ExportLogsServiceRequest.getDefaultInstance());
        assertThat(OtlpCodec.decodeTraces(new byte[0], OtlpEncoding.JSON))
                .isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
        assertThat(OtlpCodec.decodeLogs(new byte[0], OtlpEncoding.PROTOBUF))
                .isEqualTo(ExportLogsServiceRequest.getDefaultInstance());
    }

    @Test
    void garbageProtobuf_isADecodeError() {
        assertThatThrownBy(() -> OtlpCodec.decodeTraces(utf8("this is not protobuf"), OtlpEncoding.PROTOBUF))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("not an OTLP ExportTraceServiceRequest in protobuf");
        assertThatThrownBy(() -> OtlpCodec.decodeLogs(new byte[] {0x0a, 0x05, 1}, OtlpEncoding.PROTOBUF))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("not an OTLP ExportLogsServiceRequest in protobuf");
    }

    @Test
    void responses_areEmptyObjects_orPartialSuccessInLowerCamelCase() {
        assertThat(str(OtlpJson.write(ExportTraceServiceResponse.getDefaultInstance())))
                .isEqualTo("{}");
        assertThat(str(OtlpJson.write(ExportTraceServiceResponse.newBuilder()
                        .setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                                .setRejectedSpans(2)
                                .setErrorMessage("rejected \"2\""))
                        .build())))
                .isEqualTo("{\"partialSuccess\":{\"rejectedSpans\":2,\"errorMessage\":\"rejected \\\"2\\\"\"}}");
        assertThat(str(OtlpJson.write(ExportLogsServiceResponse.newBuilder()
                        .setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                                .setRejectedLogRecords(1)
                                .setErrorMessage("m"))
                        .build())))
                .isEqualTo("{\"partialSuccess\":{\"rejectedLogRecords\":1,\"errorMessage\":\"m\"}}");
        assertThat(OtlpCodec.encode(ExportLogsServiceResponse.getDefaultInstance(), OtlpEncoding.PROTOBUF))
                .isEmpty();
    }

    @Test
    void metricDataPoints_areCounted_inBothEncodings_forTheRefusal() {
        io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest metrics =
                io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
                        .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
                                .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                                        .addMetrics(
                                                io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                                                        .setName("g")
                                                        .setGauge(io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                                                                .addDataPoints(io.opentelemetry.proto.metrics.v1
                                                                        .NumberDataPoint.newBuilder()
                                                                        .setAsInt(1))
                                                                .addDataPoints(io.opentelemetry.proto.metrics.v1
                                                                        .NumberDataPoint.newBuilder()
                                                                        .setAsInt(2))))
                                        .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                                                .setName("h")
                                                .setHistogram(
                                                        io.opentelemetry.proto.metrics.v1.Histogram.newBuilder()
                                                                .addDataPoints(io.opentelemetry.proto.metrics.v1
                                                                        .HistogramDataPoint.newBuilder()
                                                                        .setCount(3))))))
                        .build();
        assertThat(OtlpCodec.countMetricDataPoints(metrics.toByteArray(), OtlpEncoding.PROTOBUF))
                .isEqualTo(3);
        assertThat(OtlpCodec.countMetricDataPoints(
                        utf8("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":["
                                + "{\"name\":\"g\",\"gauge\":{\"dataPoints\":[{\"asInt\":\"1\"},{\"asInt\":\"2\"}]}},"
                                + "{\"name\":\"s\",\"sum\":{\"data_points\":[{\"asDouble\":1.5}]}}]}]}]}"),
                        OtlpEncoding.JSON))
                .isEqualTo(3);
        assertThat(OtlpCodec.countMetricDataPoints(new byte[0], OtlpEncoding.PROTOBUF))
                .isZero();
        assertThat(str(OtlpCodec.encode(OtlpCodec.metricsRefusal(3), OtlpEncoding.JSON)))
                .startsWith(
                        "{\"partialSuccess\":{\"rejectedDataPoints\":3,\"errorMessage\":\"LogFlow stores traces and "
                                + "logs, not metrics")
                .contains("OTEL_METRICS_EXPORTER=none");
        assertThat(OtlpCodec.metricsRefusal(0).hasPartialSuccess()).isFalse();
        assertThatThrownBy(() -> OtlpCodec.countMetricDataPoints(utf8("nope"), OtlpEncoding.PROTOBUF))
                .isInstanceOf(OtlpDecodeException.class);
    }

    @Test
    void lowerCamel_convertsProtobufNames() {
        assertThat(OtlpJson.lowerCamel("start_time_unix_nano")).isEqualTo("startTimeUnixNano");
        assertThat(OtlpJson.lowerCamel("traceId")).isEqualTo("traceId");
        assertThat(OtlpJson.lowerCamel("_x")).isEqualTo("x");
    }

    @Test
    void encodings_fromContentTypeAndDetectedInKafkaRecords() {
        assertThat(OtlpEncoding.ofContentType("application/x-protobuf")).isEqualTo(OtlpEncoding.PROTOBUF);
        assertThat(OtlpEncoding.ofContentType("Application/JSON; charset=utf-8"))
                .isEqualTo(OtlpEncoding.JSON);
        assertThat(OtlpEncoding.ofContentType("text/plain")).isNull();
        assertThat(OtlpEncoding.ofContentType(null)).isNull();
        assertThat(OtlpEncoding.detect(utf8(" \r\t{\"resourceSpans\":[]}"))).isEqualTo(OtlpEncoding.JSON);
        assertThat(OtlpEncoding.detect(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{'}))
                .isEqualTo(OtlpEncoding.JSON);
        // a protobuf request starts with 0x0A (a line feed); its length byte may well be '{' (123)
        assertThat(OtlpEncoding.detect(new byte[] {0x0a, '{', 0x0a})).isEqualTo(OtlpEncoding.PROTOBUF);
        assertThat(OtlpEncoding.detect(new byte[0])).isEqualTo(OtlpEncoding.PROTOBUF);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
