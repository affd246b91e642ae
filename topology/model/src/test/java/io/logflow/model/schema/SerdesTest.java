package io.logflow.model.schema;

import static io.logflow.model.TestObjects.LOG;
import static io.logflow.model.TestObjects.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanMetrics;
import io.logflow.model.TestObjects;
import io.logflow.model.TopErrors;
import io.logflow.model.TraceState;
import io.logflow.model.codec.EcsJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SerdesTest {

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }

    @Test
    void binaryLogRecord_roundTripsEveryField() {
        assertThat(roundTrip(LogFlowSerdes.logRecord(), LOG)).isEqualTo(LOG);
    }

    @Test
    void binaryLogRecord_roundTripsNullOptionalFields_andUnicode() {
        LogRecord minimal =
                new LogRecord("e", -5, "sérvice|x", Level.TRACE, "ünïcode ✓", null, null, null, null, Map.of());
        assertThat(roundTrip(LogFlowSerdes.logRecord(), minimal)).isEqualTo(minimal);
    }

    @Test
    void binaryLogRecord_refusesUnknownVersion() {
        byte[] bytes = LogFlowSerdes.logRecord().serializer().serialize("t", LOG);
        bytes[0] = 99;
        assertThatThrownBy(() -> LogFlowSerdes.logRecord().deserializer().deserialize("t", bytes))
                .hasMessageContaining("version 99");
    }

    @Test
    void ecsJson_roundTripsEveryField() {
        assertThat(roundTrip(LogFlowSerdes.ecsJson(), LOG)).isEqualTo(LOG);
    }

    @Test
    void ecsJson_usesEcsFieldNames_andLabelsObject() {
        String json = new String(EcsJson.write(LOG), StandardCharsets.UTF_8);
        assertThat(json)
                .isEqualTo("{\"@timestamp\":\"2026-01-01T00:00:00.123Z\",\"event.id\":\"" + TestObjects.EVENT_ID + "\","
                        + "\"service.name\":\"orders\",\"log.level\":\"ERROR\",\"message\":\"timeout after 30s for "
                        + "order 123\","
                        + "\"trace.id\":\"" + TestObjects.TRACE_ID + "\",\"span.id\":\"" + TestObjects.SPAN_ID
                        + "\",\"http.request.id\":\"req-1\","
                        + "\"labels\":{\"correlation_id\":\"corr-1\",\"region\":\"eu\",\"http.status\":\"504\"}}");
    }

    @Test
    void ecsJson_omitsAbsentFields() {
        LogRecord minimal = new LogRecord("e", T0, "s", Level.INFO, "m", null, null, null, null, Map.of());
        assertThat(new String(EcsJson.write(minimal), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"event.id\":\"e\",\"service.name\":\"s\",\"log.lev"
                                + "el\":\"INFO\",\"message\":\"m\"}");
        assertThat(roundTrip(LogFlowSerdes.ecsJson(), minimal)).isEqualTo(minimal);
    }

    @Test
    void logCountsAndTopErrors_roundTrip() {
        LogCounts c = new LogCounts().add(Level.INFO, T0).add(Level.FATAL, T0 + 7);
        assertThat(roundTrip(LogFlowSerdes.logCounts(), c)).isEqualTo(c);
        TopErrors t = new TopErrors()
                .add("timeout after 30s", TestObjects.TRACE_ID, T0)
                .add("disk full", null, T0 + 1);
        assertThat(roundTrip(LogFlowSerdes.topErrors(), t)).isEqualTo(t);
    }

    @Test
    void traceStateSummaryAndSpanMetrics_roundTrip() {
        TraceState state = TestObjects.traceState(TestObjects.CHECKOUT);
        assertThat(roundTrip(LogFlowSerdes.traceState(), state)).isEqualTo(state);
        assertThat(roundTrip(LogFlowSerdes.traceSummary(), state.summary())).isEqualTo(state.summary());
        SpanMetrics metrics = SpanMetrics.empty().add(12_000_000, false).add(340_000_000, true);
        assertThat(roundTrip(LogFlowSerdes.spanMetrics(), metrics)).isEqualTo(metrics);
    }

    @Test
    void nullsPassThrough() {
        assertThat(LogFlowSerdes.logRecord().serializer().serialize("t", null)).isNull();
        assertThat(LogFlowSerdes.ecsJson().deserializer().deserialize("t", null))
                .isNull();
    }
}
