package io.logflow.alerts;

import static io.logflow.alerts.TestObjects.NOW;
import static io.logflow.alerts.TestObjects.RULE_ID;
import static io.logflow.alerts.TestObjects.SERVICE;
import static io.logflow.alerts.TestObjects.T0;
import static io.logflow.alerts.TestObjects.TRACES;
import static io.logflow.alerts.TestObjects.json;
import static io.logflow.alerts.TestObjects.seedRule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonRoundTripTest {
    private static final AlertRule FULL = new AlertRule(
            RULE_ID,
            "Slow checkout",
            "p99 of checkout over 800 ms",
            Metric.LOG_MATCH_COUNT,
            Condition.GREATER_THAN_OR_EQUAL,
            2.5,
            15,
            List.of("checkout", "orders"),
            List.of("WARN", "ERROR"),
            "/timeout after \\d+s/i",
            Severity.CRITICAL,
            Channel.SLACK,
            Map.of("url", "https://hooks.slack.com/services/T/B/x", "mention", List.of("@oncall"), "retries", 3),
            false,
            "alice",
            NOW.minusSeconds(60),
            NOW,
            7);

    static final AlertEvent FIRING = new AlertEvent(
            "9c0a1b2c-3d4e-3f50-8a6b-7c8d9e0f1a2b",
            RULE_ID,
            "Critical Error Spike",
            Severity.CRITICAL,
            AlertEvent.State.FIRING,
            SERVICE,
            Metric.ERROR_RATE,
            Condition.GREATER_THAN,
            0.125,
            0.1,
            5,
            Instant.ofEpochMilli(T0 - 300_000),
            Instant.ofEpochMilli(T0),
            TRACES,
            Instant.ofEpochMilli(T0),
            null,
            null);

    static final AlertEvent RESOLVED = new AlertEvent(
            FIRING.alertId(),
            RULE_ID,
            "Critical Error Spike",
            Severity.CRITICAL,
            AlertEvent.State.RESOLVED,
            SERVICE,
            Metric.ERROR_RATE,
            Condition.GREATER_THAN,
            0.125,
            0.1,
            5,
            Instant.ofEpochMilli(T0 - 240_000),
            Instant.ofEpochMilli(T0 + 60_000),
            TRACES,
            Instant.ofEpochMilli(T0),
            Instant.ofEpochMilli(T0 + 60_000),
            "rule deleted");

    private static List<String> names(JsonNode n) {
        return new ArrayList<>(n.propertyNames());
    }

    @Test
    void aRule_roundTrips() {
        assertThat(RuleJson.read(RuleJson.write(FULL))).isEqualTo(FULL);
        assertThat(RuleJson.read(RuleJson.write(seedRule()))).isEqualTo(seedRule());
        AlertRule silence = TestObjects.rule(Metric.NO_DATA, null, 0);
        assertThat(RuleJson.read(RuleJson.write(silence))).isEqualTo(silence);
    }

    @Test
    void aRule_isWrittenWithTheIssuesSnakeCaseNames_everyFieldPresent() {
        JsonNode n = json(new String(RuleJson.write(seedRule()), StandardCharsets.UTF_8));
        assertThat(names(n))
                .containsExactly(
                        "id",
                        "name",
                        "description",
                        "metric",
                        "condition",
                        "threshold",
                        "time_window",
                        "services",
                        "levels",
                        "message_pattern",
                        "severity",
                        "notification_channel",
                        "notification_config",
                        "is_active",
                        "owner",
                        "created_at",
                        "updated_at",
                        "version");
        assertThat(n.get("threshold").isIntegralNumber()).as("50, not 50.0").isTrue();
        assertThat(n.get("threshold").intValue()).isEqualTo(50);
        assertThat(n.get("metric").stringValue()).isEqualTo("log_count");
        assertThat(n.get("notification_channel").stringValue()).isEqualTo("webhook");
        assertThat(n.get("severity").stringValue()).isEqualTo("warning");
        assertThat(n.get("message_pattern").isNull()).isTrue();
        assertThat(n.get("created_at").stringValue()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(n.get("notification_config").get("url").stringValue()).isEqualTo("http://127.0.0.1:9999/hook");
    }

    @Test
    void theMapView_matchesTheJson() {
        Map<String, Object> m = RuleJson.toMap(FULL);
        assertThat(m.keySet()).containsExactlyElementsOf(RuleJson.FIELDS);
        assertThat(m)
                .containsEntry("threshold", 2.5)
                .containsEntry("time_window", 15)
                .containsEntry("is_active", false)
                .containsEntry("levels", List.of("WARN", "ERROR"))
                .containsEntry("notification_channel", "slack")
                .containsEntry("updated_at", "2026-01-01T00:00:00Z")
                .containsEntry("version", 7L);
        assertThat(RuleJson.toMap(seedRule()))
                .containsEntry("threshold", 50L)
                .containsEntry("condition", "greater_than");
        assertThat((JsonNode) Json.MAPPER.valueToTree(m)).isEqualTo(RuleJson.toJson(FULL));
    }

    @Test
    void readingARule_ignoresUnknownFields_andRejectsWhatIsNotARule() {
        String json = new String(RuleJson.write(FULL), StandardCharsets.UTF_8)
                .replace("{\"id\"", "{\"added_later\":[1],\"id\"");
        assertThat(RuleJson.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(FULL);
        assertThatThrownBy(() -> RuleJson.read("not json".getBytes())).hasMessageStartingWith("not an alert rule");
        assertThatThrownBy(() -> RuleJson.read("[]".getBytes())).hasMessageStartingWith("not an alert rule");
        assertThatThrownBy(() -> RuleJson.read("{\"name\":\"x\"}".getBytes())).hasMessageContaining("id is required");
        String badMetric = new String(RuleJson.write(FULL), StandardCharsets.UTF_8).replace("log_match_count", "cpu");
        assertThatThrownBy(() -> RuleJson.read(badMetric.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unknown metric 'cpu'");
    }

    @Test
    void alertEvents_roundTrip() {
        assertThat(AlertEventJson.read(AlertEventJson.write(FIRING))).isEqualTo(FIRING);
        assertThat(AlertEventJson.read(AlertEventJson.write(RESOLVED))).isEqualTo(RESOLVED);
        AlertEvent silence = new AlertEvent(
                "id",
                RULE_ID,
                "silence",
                Severity.INFO,
                AlertEvent.State.FIRING,
                SERVICE,
                Metric.NO_DATA,
                null,
                12.5,
                0,
                10,
                Instant.ofEpochMilli(T0),
                Instant.ofEpochMilli(T0 + 600_000),
                List.of(),
                Instant.ofEpochMilli(T0 + 600_000),
                null,
                null);
        assertThat(AlertEventJson.read(AlertEventJson.write(silence))).isEqualTo(silence);
    }

    @Test
    void anAlertEvent_isWrittenWithTheDocumentedNames() {
        JsonNode n = json(new String(AlertEventJson.write(FIRING), StandardCharsets.UTF_8));
        assertThat(names(n))
                .containsExactly(
                        "alert_id",
                        "rule_id",
                        "rule_name",
                        "severity",
                        "state",
                        "service",
                        "metric",
                        "condition",
                        "value",
                        "threshold",
                        "time_window",
                        "window_start",
                        "window_end",
                        "sample_trace_ids",
                        "fired_at",
                        "resolved_at",
                        "reason");
        assertThat(n.get("state").stringValue()).isEqualTo("FIRING");
        assertThat(n.get("severity").stringValue()).isEqualTo("critical");
        assertThat(n.get("metric").stringValue()).isEqualTo("error_rate");
        assertThat(n.get("value").doubleValue()).isEqualTo(0.125);
        assertThat(n.get("window_start").stringValue()).isEqualTo("2025-12-31T23:55:00Z");
        assertThat(n.get("fired_at").stringValue()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(n.get("resolved_at").isNull()).isTrue();
        assertThat(n.get("reason").isNull()).isTrue();
        assertThat(n.get("sample_trace_ids").size()).isEqualTo(2);
        JsonNode r = json(new String(AlertEventJson.write(RESOLVED), StandardCharsets.UTF_8));
        assertThat(r.get("resolved_at").stringValue()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(r.get("reason").stringValue()).isEqualTo("rule deleted");
    }

    @Test
    void anAlertEvent_keepsItsInvariants() {
        assertThatThrownBy(() -> new AlertEvent(
                        "id",
                        RULE_ID,
                        "n",
                        Severity.INFO,
                        AlertEvent.State.RESOLVED,
                        SERVICE,
                        Metric.LOG_COUNT,
                        Condition.EQUALS,
                        1,
                        1,
                        5,
                        NOW,
                        NOW,
                        null,
                        NOW,
                        null,
                        null))
                .hasMessageContaining("resolvedAt");
        assertThatThrownBy(() -> new AlertEvent(
                        "id",
                        RULE_ID,
                        "n",
                        Severity.INFO,
                        AlertEvent.State.FIRING,
                        SERVICE,
                        Metric.LOG_COUNT,
                        Condition.EQUALS,
                        1,
                        1,
                        5,
                        NOW,
                        NOW,
                        null,
                        NOW,
                        NOW,
                        null))
                .hasMessageContaining("resolvedAt");
        AlertEvent e = new AlertEvent(
                "id",
                RULE_ID,
                "n",
                Severity.INFO,
                AlertEvent.State.FIRING,
                SERVICE,
                Metric.LOG_COUNT,
                Condition.EQUALS,
                1,
                1,
                5,
                NOW,
                NOW,
                List.of("1", "2", "3", "4", "5", "6", "7"),
                NOW,
                null,
                null);
        assertThat(e.sampleTraceIds()).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void readingAnAlertEvent_ignoresUnknownFields_andRejectsWhatIsNotOne() {
        String json = new String(AlertEventJson.write(FIRING), StandardCharsets.UTF_8)
                .replace("{\"alert_id\"", "{\"x\":{},\"alert_id\"");
        assertThat(AlertEventJson.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(FIRING);
        assertThatThrownBy(() -> AlertEventJson.read("{".getBytes())).hasMessageStartingWith("not an alert event");
        assertThatThrownBy(() -> AlertEventJson.read("{\"alert_id\":\"a\"}".getBytes()))
                .hasMessageStartingWith("not an alert event");
        String badState = new String(AlertEventJson.write(FIRING), StandardCharsets.UTF_8).replace("FIRING", "PENDING");
        assertThatThrownBy(() -> AlertEventJson.read(badState.getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("not an alert event");
    }
}
