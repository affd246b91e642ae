package io.logflow.alerts;

import static io.logflow.alerts.JsonRoundTripTest.FIRING;
import static io.logflow.alerts.JsonRoundTripTest.RESOLVED;
import static io.logflow.alerts.TestObjects.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class NotificationsTest {

    private static JsonNode slack(AlertEvent e) {
        return json(new String(Notifications.slackBody(e), StandardCharsets.UTF_8));
    }

    private static AlertEvent firing(Severity severity, String ruleName) {
        return new AlertEvent(
                FIRING.alertId(),
                FIRING.ruleId(),
                ruleName,
                severity,
                FIRING.state(),
                FIRING.service(),
                FIRING.metric(),
                FIRING.condition(),
                FIRING.value(),
                FIRING.threshold(),
                FIRING.timeWindowMinutes(),
                FIRING.windowStart(),
                FIRING.windowEnd(),
                FIRING.sampleTraceIds(),
                FIRING.firedAt(),
                null,
                null);
    }

    @Test
    void theWebhookBody_isTheAlertEventJson() {
        assertThat(Notifications.webhookBody(FIRING)).isEqualTo(AlertEventJson.write(FIRING));
    }

    @Test
    void theSlackBody_hasTextAndAColouredAttachmentWithTheAlertsFields() {
        JsonNode msg = slack(FIRING);
        assertThat(msg.get("text").stringValue())
                .isEqualTo("[FIRING] critical: Critical Error Spike on payment-service — error_rate 12.5% (&gt; 10% "
                        + "over 5 min)");
        assertThat(msg.get("attachments").size()).isEqualTo(1);
        JsonNode a = msg.get("attachments").get(0);
        assertThat(a.get("color").stringValue()).isEqualTo(Notifications.COLOR_CRITICAL);
        assertThat(a.get("fallback").stringValue()).isEqualTo(msg.get("text").stringValue());
        List<String> titles = new ArrayList<>();
        a.get("fields").values().forEach(f -> titles.add(f.get("title").stringValue()));
        assertThat(titles).containsExactly("Service", "Severity", "Value", "Threshold", "Window", "Sample traces");
        JsonNode fields = a.get("fields");
        assertThat(fields.get(0).get("value").stringValue()).isEqualTo("payment-service");
        assertThat(fields.get(0).get("short").booleanValue()).isTrue();
        assertThat(fields.get(2).get("value").stringValue()).isEqualTo("error_rate = 12.5%");
        assertThat(fields.get(3).get("value").stringValue()).isEqualTo("&gt; 10%");
        assertThat(fields.get(4).get("value").stringValue())
                .isEqualTo("5 min: 2025-12-31T23:55:00Z to 2026-01-01T00:00:00Z");
        assertThat(fields.get(5).get("value").stringValue()).contains(TestObjects.TRACES.get(0));
        assertThat(a.get("footer").stringValue()).contains(FIRING.alertId());
        assertThat(a.get("ts").longValue()).isEqualTo(FIRING.firedAt().getEpochSecond());
    }

    @Test
    void theSlackColour_isGreenWhenResolved_elseBySeverity() {
        assertThat(slack(RESOLVED).get("attachments").get(0).get("color").stringValue())
                .isEqualTo(Notifications.COLOR_RESOLVED);
        assertThat(slack(firing(Severity.WARNING, "w"))
                        .get("attachments")
                        .get(0)
                        .get("color")
                        .stringValue())
                .isEqualTo(Notifications.COLOR_WARNING);
        assertThat(slack(firing(Severity.INFO, "i"))
                        .get("attachments")
                        .get(0)
                        .get("color")
                        .stringValue())
                .isEqualTo(Notifications.COLOR_INFO);
        JsonNode resolved = slack(RESOLVED);
        assertThat(resolved.get("text").stringValue()).startsWith("[RESOLVED]").endsWith(": rule deleted");
        assertThat(resolved.get("attachments").get(0).get("ts").longValue())
                .isEqualTo(RESOLVED.resolvedAt().getEpochSecond());
    }

    @Test
    void slackControlCharacters_inNames_areEscaped() {
        JsonNode msg = slack(firing(Severity.INFO, "<!channel> & co"));
        assertThat(msg.get("text").stringValue())
                .contains("&lt;!channel&gt; &amp; co")
                .doesNotContain("<!channel>");
        assertThat(msg.get("attachments").get(0).get("title").stringValue())
                .isEqualTo("FIRING: &lt;!channel&gt; &amp; co");
    }

    @Test
    void theConsoleLine_isOneLineWithTheEssentials() {
        String line = Notifications.consoleLine(firing(Severity.CRITICAL, "Two\nlines \"quoted\""));
        assertThat(line)
                .doesNotContain("\n")
                .startsWith("ALERT FIRING critical rule=\"Two lines 'quoted'\"")
                .contains(
                        "rule_id=" + FIRING.ruleId(),
                        "service=payment-service",
                        "error_rate=12.5% > 10%",
                        "window=5m",
                        "alert_id=" + FIRING.alertId(),
                        "traces=" + String.join(",", TestObjects.TRACES))
                .doesNotContain("resolved_at");
        assertThat(Notifications.consoleLine(RESOLVED))
                .startsWith("ALERT RESOLVED")
                .contains("resolved_at=2026-01-01T00:01:00Z", "reason=\"rule deleted\"");
    }

    @Test
    void values_areFormattedPerMetric() {
        assertThat(Notifications.formatValue(Metric.LOG_COUNT, 51)).isEqualTo("51");
        assertThat(Notifications.formatValue(Metric.SPAN_ERROR_RATE, 1.0 / 3)).isEqualTo("33.33%");
        assertThat(Notifications.formatValue(Metric.LATENCY_P99, 812.345)).isEqualTo("812.3 ms");
        assertThat(Notifications.formatValue(Metric.NO_DATA, 12.5)).isEqualTo("12.5 min");
        AlertEvent silence = new AlertEvent(
                "id",
                "r",
                "silence",
                Severity.INFO,
                AlertEvent.State.FIRING,
                "orders",
                Metric.NO_DATA,
                null,
                12.5,
                0,
                10,
                Instant.EPOCH,
                Instant.EPOCH,
                null,
                Instant.EPOCH,
                null,
                null);
        assertThat(Notifications.consoleLine(silence)).contains("no_data=12.5 min silent >= 10 min");
    }

    @Test
    void aLinkToTheAlertsPage_isInEveryPayload() {
        String link = "https://logflow.example/#/alert/" + FIRING.alertId();
        assertThat(json(new String(Notifications.webhookBody(FIRING, link), StandardCharsets.UTF_8))
                        .get("link")
                        .asString())
                .isEqualTo(link);
        assertThat(json(new String(Notifications.webhookBody(FIRING, link), StandardCharsets.UTF_8))
                        .get("alert_id")
                        .asString())
                .isEqualTo(FIRING.alertId());
        assertThat(json(new String(Notifications.slackBody(FIRING, link), StandardCharsets.UTF_8))
                        .get("attachments")
                        .get(0)
                        .get("title_link")
                        .asString())
                .isEqualTo(link);
        assertThat(Notifications.consoleLine(FIRING, link)).endsWith(" link=" + link);
        assertThat(Notifications.consoleLine(FIRING)).doesNotContain("link=");
        assertThat(json(new String(Notifications.webhookBody(FIRING), StandardCharsets.UTF_8))
                        .has("link"))
                .isFalse();
    }
}
