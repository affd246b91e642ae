package io.logflow.model.codec;

import static io.logflow.model.TestObjects.SPAN_ID;
import static io.logflow.model.TestObjects.T0;
import static io.logflow.model.TestObjects.TRACE_ID;
import static io.logflow.model.TestObjects.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.model.SpanRecord;
import io.logflow.model.TestObjects;
import io.logflow.model.schema.LogFlowSerdes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SpanJsonTest {
    static final long T0_NS = T0 * 1_000_000L;
    static final SpanRecord SPAN = new SpanRecord(
            TRACE_ID,
            SPAN_ID,
            "53ce929d0e0e4736",
            "checkout",
            "GET /cart",
            SpanRecord.Kind.SERVER,
            T0_NS + 123_456_789,
            4_500_000,
            SpanRecord.Status.ERROR,
            "timeout",
            "io.opentelemetry.netty",
            TestObjects.labels("http.route", "/cart", "ünï", "✓"),
            TestObjects.labels("host.name", "h1"),
            List.of(new SpanRecord.Event(T0_NS + 124_000_000, "exception", Map.of("exception.type", "IOError"))),
            List.of(new SpanRecord.Link("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", Map.of())));
    static final SpanRecord ROOT = new SpanRecord(
            TRACE_ID,
            SPAN_ID,
            null,
            "s",
            "n",
            SpanRecord.Kind.UNSPECIFIED,
            T0_NS,
            0,
            SpanRecord.Status.UNSET,
            null,
            null,
            Map.of(),
            Map.of(),
            List.of(),
            List.of());

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }

    @Test
    void json_roundTripsEveryField() {
        assertThat(roundTrip(LogFlowSerdes.spanJson(), SPAN)).isEqualTo(SPAN);
        assertThat(roundTrip(LogFlowSerdes.spanJson(), ROOT)).isEqualTo(ROOT);
    }

    @Test
    void json_usesOtelAndEcsLikeNames_omittingWhatIsAbsent() {
        assertThat(new String(SpanJson.write(SPAN), StandardCharsets.UTF_8))
                .isEqualTo("{\"@timestamp\":\"2026-01-01T00:00:00.123Z\","
                        + "\"trace.id\":\"" + TRACE_ID + "\",\"span.id\":\"" + SPAN_ID
                        + "\",\"parent.id\":\"53ce929d0e0e4736\","
                        + "\"service.name\":\"checkout\",\"span.name\":\"GET /cart\",\"span.kind\":\"SERVER\","
                        + "\"start_ns\":1767225600123456789,\"duration_ns\":4500000,\"duration_ms\":4.5,"
                        + "\"status.code\":\"ERROR\",\"status.message\":\"timeout\",\"scope.name\":\"io.opent"
                        + "elemetry.netty\","
                        + "\"attributes\":{\"http.route\":\"/cart\",\"ünï\":\"✓\"},\"resource\":{\"host.name\":\"h1\"},"
                        + "\"events\":[{\"time_ns\":1767225600124000000,\"name\":\"exception\",\"attributes\""
                        + ":{\"exception.type\":\"IOError\"}}],"
                        + "\"links\":[{\"trace.id\":\"0af7651916cd43dd8448eb211c80319c\",\"span.id\":\"b7ad6b"
                        + "7169203331\",\"attributes\":{}}]}");
        assertThat(new String(SpanJson.write(ROOT), StandardCharsets.UTF_8))
                .isEqualTo("{\"@timestamp\":\"2026-01-01T00:00:00.000Z\","
                        + "\"trace.id\":\"" + TRACE_ID + "\",\"span.id\":\"" + SPAN_ID
                        + "\",\"service.name\":\"s\",\"span.name\":\"n\","
                        + "\"span.kind\":\"UNSPECIFIED\",\"start_ns\":1767225600000000000,\"duration_ns\":0,\"duratio"
                        + "n_ms\":0,"
                        + "\"status.code\":\"UNSET\",\"attributes\":{},\"resource\":{}}");
    }

    @Test
    void durationMs_isExact() {
        SpanRecord s = new SpanRecord(
                TRACE_ID,
                SPAN_ID,
                null,
                "s",
                "n",
                SpanRecord.Kind.INTERNAL,
                T0_NS,
                1_234_567_891L,
                SpanRecord.Status.OK,
                null,
                null,
                Map.of(),
                Map.of(),
                List.of(),
                List.of());
        assertThat(new String(SpanJson.write(s), StandardCharsets.UTF_8)).contains("\"duration_ms\":1234.567891,");
    }

    @Test
    void read_ignoresUnknownFields_andFallsBackToTheTimestamp() {
        SpanRecord s = SpanJson.read(utf8(
                "{\"x\":{\"y\":[1]},\"@timestamp\":\"2026-01-01T00:00:01.5Z\",\"trace.id\":\"t\",\"span.id\":\"s\","
                        + "\"service.name\":\"svc\",\"span.name\":\"n\",\"parent.id\":null}"));
        assertThat(s.startNanos()).isEqualTo(T0_NS + 1_500_000_000L);
        assertThat(s.parentSpanId()).isNull();
        assertThat(s.kind()).isEqualTo(SpanRecord.Kind.UNSPECIFIED);
    }

    @Test
    void read_refusesWhatIsNoSpan() {
        assertThatThrownBy(() -> SpanJson.read(utf8("[]"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpanJson.read(utf8("{\"trace.id\":\"t\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("required");
        assertThatThrownBy(() -> SpanJson.read(utf8("{\"trace.id\":"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void binary_roundTripsEveryField_andRefusesUnknownVersions() {
        assertThat(roundTrip(LogFlowSerdes.spanRecord(), SPAN)).isEqualTo(SPAN);
        assertThat(roundTrip(LogFlowSerdes.spanRecord(), ROOT)).isEqualTo(ROOT);
        byte[] bytes = LogFlowSerdes.spanRecord().serializer().serialize("t", SPAN);
        bytes[0] = 9;
        assertThatThrownBy(() -> LogFlowSerdes.spanRecord().deserializer().deserialize("t", bytes))
                .hasMessageContaining("version 9");
    }
}
