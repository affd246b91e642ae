package io.logflow.model.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.model.codec.SpanJson;
import io.logflow.model.normalize.LogNormalizer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives — mutated OTLP JSON, random bytes as protobuf — decoding either succeeds or throws
 * {@link OtlpDecodeException} (a 400, a dead letter), and whatever decodes can be validated,
 * converted and written without an exception (never a 500, never a processing error).
 */
class OtlpRobustnessTest {
    private static final String LOGS = """
      {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payments"}}]},
        "scopeLogs":[{"scope":{"name":"s"},"logRecords":[{"timeUnixNano":"1767225600001000000","severityNumber":17,
          "severityText":"Error","body":{"kvlistValue":{"values":[{"key":"a",\
      "value":{"arrayValue":{"values":[{"intValue":1}]}}}]}},
          "attributes":[{"key":"order","value":{"intValue":"4711"}}],"traceId":"4bf92f3577b34da6a3ce929d0e0e4736",
          "spanId":"00f067aa0ba902b7","eventName":"e"}]}]}]}
      """;

    @Test
    void mutatedJson_decodesOrIsADecodeError_andWhatDecodesConverts() {
        Random random = new Random(42);
        String alphabet = "{}[]\":,0123456789abcdefxyz-.eE \\nulltrue";
        for (String doc : new String[] {OtlpJsonTest.TRACES, LOGS}) {
            for (int i = 0; i < 3000; i++) {
                StringBuilder b = new StringBuilder(doc);
                for (int m = 1 + random.nextInt(4); m > 0; m--) {
                    int at = random.nextInt(b.length());
                    switch (random.nextInt(3)) {
                        case 0 -> b.deleteCharAt(at);
                        case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        default -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
                exercise(b.toString().getBytes(StandardCharsets.UTF_8), OtlpEncoding.JSON);
            }
        }
    }

    @Test
    void randomAndTruncatedProtobuf_decodesOrIsADecodeError_andWhatDecodesConverts() throws Exception {
        Random random = new Random(7);
        byte[] traces = OtlpJson.readTraces(OtlpJsonTest.TRACES.getBytes(StandardCharsets.UTF_8))
                .toByteArray();
        byte[] logs = OtlpJson.readLogs(LOGS.getBytes(StandardCharsets.UTF_8)).toByteArray();
        for (byte[] valid : new byte[][] {traces, logs}) {
            for (int i = 0; i < 3000; i++) {
                byte[] b = java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 1));
                for (int m = random.nextInt(3); m > 0 && b.length > 0; m--)
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                exercise(b, OtlpEncoding.PROTOBUF);
            }
        }
        for (int i = 0; i < 3000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            exercise(b, OtlpEncoding.PROTOBUF);
        }
    }

    @Test
    void trailingContentAfterTheDocument_isNotValidJson() {
        assertThatThrownBy(() -> OtlpJson.readTraces("{\"resourceSpans\":[]} {}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    private static void exercise(byte[] body, OtlpEncoding encoding) {
        ExportTraceServiceRequest traces = null;
        ExportLogsServiceRequest logs = null;
        try {
            traces = OtlpCodec.decodeTraces(body, encoding);
        } catch (OtlpDecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            logs = OtlpCodec.decodeLogs(body, encoding);
        } catch (OtlpDecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            OtlpCodec.countMetricDataPoints(body, encoding);
        } catch (OtlpDecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        if (traces != null) {
            var result = OtlpValidation.validate(traces);
            OtlpCodec.encode(OtlpCodec.traceResponse(result), OtlpEncoding.JSON);
            assertThat(result.accepted() + result.rejected()).isGreaterThanOrEqualTo(0);
            OtlpSpans.toSpanRecords(traces).forEach(SpanJson::write);
            result.invalid().toByteArray();
        }
        if (logs != null) {
            var result = OtlpValidation.validate(logs);
            OtlpCodec.encode(OtlpCodec.logsResponse(result), OtlpEncoding.PROTOBUF);
            OtlpLogs.toLogRecords(logs, LogNormalizer.eventId("otlp_logs", 0, 0), 1_767_225_600_000L)
                    .forEach(io.logflow.model.codec.EcsJson::write);
        }
    }
}
