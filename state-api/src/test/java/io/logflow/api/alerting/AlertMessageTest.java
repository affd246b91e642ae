package io.logflow.api.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.alerts.AlertEvent;
import io.logflow.alerts.AlertEventJson;
import io.logflow.alerts.Condition;
import io.logflow.alerts.Metric;
import io.logflow.alerts.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AlertMessageTest {
    static final Instant T = Instant.parse("2026-11-23T10:05:00Z");
    static final AlertEvent FIRING = new AlertEvent(
            "a-1",
            "r-1",
            "Critical Error Spike",
            Severity.CRITICAL,
            AlertEvent.State.FIRING,
            "payment-service",
            Metric.LOG_COUNT,
            Condition.GREATER_THAN,
            51,
            50,
            5,
            T.minusSeconds(300),
            T,
            List.of("4bf92f3577b34da6a3ce929d0e0e4736"),
            T,
            null,
            null);

    @Test
    void aTopologyEvent_isWrittenExactlyAsAlertEventJson() {
        AlertMessage m = AlertMessage.of(FIRING);
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.readTree(m.write())).isEqualTo(json.readTree(AlertEventJson.write(FIRING)));
        assertThat(AlertMessage.read(m.write())).isEqualTo(m);
        assertThat(m.key()).isEqualTo("r-1|payment-service");
    }

    @Test
    void acknowledged_roundTrips_withByAndTime_overTheFiringDocument() {
        AlertMessage ack = new AlertMessage(FIRING, AlertMessage.ACKNOWLEDGED, "alice", T.plusSeconds(60));
        var n = JsonMapper.builder().build().readTree(ack.write());
        assertThat(n.get("state").asString()).isEqualTo("ACKNOWLEDGED");
        assertThat(n.get("by").asString()).isEqualTo("alice");
        assertThat(n.get("alert_id").asString()).isEqualTo("a-1");
        assertThat(AlertMessage.read(ack.write())).isEqualTo(ack);
    }

    @Test
    void manualResolve_carriesBy() {
        AlertEvent resolved = new AlertEvent(
                "a-1",
                "r-1",
                "Critical Error Spike",
                Severity.CRITICAL,
                AlertEvent.State.RESOLVED,
                "payment-service",
                Metric.LOG_COUNT,
                Condition.GREATER_THAN,
                51,
                50,
                5,
                T.minusSeconds(300),
                T,
                List.of(),
                T,
                T.plusSeconds(90),
                "resolved manually by bob");
        AlertMessage m = new AlertMessage(resolved, AlertMessage.RESOLVED, "bob", null);
        AlertMessage back = AlertMessage.read(m.write());
        assertThat(back.by()).isEqualTo("bob");
        assertThat(back.event().resolvedAt()).isEqualTo(T.plusSeconds(90));
    }
}
