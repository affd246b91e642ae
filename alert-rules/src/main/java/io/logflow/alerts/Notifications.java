package io.logflow.alerts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What each {@link Channel} sends for an {@link AlertEvent}. Pure: building the payloads only; the
 * API's notifier posts them (with {@link Backoff}) and records every attempt.
 *
 * <ul>
 *   <li>webhook: the event JSON of {@link AlertEventJson}, {@code Content-Type: application/json};
 *   <li>slack: an incoming-webhook message — {@code text} (also the notification preview) plus one
 *       legacy attachment coloured by state and severity, with fields Service, Value, Threshold,
 *       Window (and Sample traces, Reason when present). Slack, Mattermost and Rocket.Chat accept it;
 *   <li>console: one log line.
 * </ul>
 *
 * <p>With a {@code link} (the alert's page in LogFlow's UI), every payload carries it: the webhook JSON as {@code
 * link}, the Slack message as its title's link, the console line as {@code link=}. A null link leaves it out.
 */
public final class Notifications {
    /** Attachment colours: RESOLVED is always green; FIRING by severity. */
    public static final String COLOR_RESOLVED = "#2eb67d";

    public static final String COLOR_CRITICAL = "#e01e5a";
    public static final String COLOR_WARNING = "#ecb22e";
    public static final String COLOR_INFO = "#36c5f0";

    private Notifications() {}

    public static byte[] webhookBody(AlertEvent e) {
        return webhookBody(e, null);
    }

    public static byte[] webhookBody(AlertEvent e, String link) {
        if (link == null) return AlertEventJson.write(e);
        ObjectNode json = AlertEventJson.toJson(e);
        json.put("link", link);
        return Json.MAPPER.writeValueAsBytes(json);
    }

    public static byte[] slackBody(AlertEvent e) {
        return slackBody(e, null);
    }

    public static byte[] slackBody(AlertEvent e, String link) {
        ObjectNode msg = Json.MAPPER.createObjectNode();
        String summary = summary(e);
        msg.put("text", slackEscape(summary));
        ObjectNode a = msg.putArray("attachments").addObject();
        a.put("color", color(e));
        a.put("fallback", slackEscape(summary));
        a.put("title", slackEscape(e.state() + ": " + e.ruleName()));
        if (link != null) a.put("title_link", link);
        ArrayNode fields = a.putArray("fields");
        field(fields, "Service", e.service(), true);
        field(fields, "Severity", e.severity().wire(), true);
        field(fields, "Value", e.metric().wire() + " = " + formatValue(e.metric(), e.value()), true);
        field(fields, "Threshold", thresholdText(e), true);
        field(fields, "Window", e.timeWindowMinutes() + " min: " + e.windowStart() + " to " + e.windowEnd(), false);
        if (!e.sampleTraceIds().isEmpty()) field(fields, "Sample traces", String.join(", ", e.sampleTraceIds()), false);
        if (e.reason() != null) field(fields, "Reason", e.reason(), false);
        a.put("footer", "LogFlow alert " + e.alertId());
        a.put("ts", (e.resolvedAt() != null ? e.resolvedAt() : e.firedAt()).getEpochSecond());
        return Json.MAPPER.writeValueAsBytes(msg);
    }

    /**
     * One line for a log: {@code ALERT FIRING critical rule="…" rule_id=… service=… log_count=51 >
     * 50 window=5m [start, end] alert_id=… traces=…}; control characters in names become spaces.
     */
    public static String consoleLine(AlertEvent e) {
        return consoleLine(e, null);
    }

    public static String consoleLine(AlertEvent e, String link) {
        StringBuilder b = new StringBuilder(256);
        b.append("ALERT ")
                .append(e.state())
                .append(' ')
                .append(e.severity().wire())
                .append(" rule=\"")
                .append(oneLine(e.ruleName()).replace("\"", "'"))
                .append('"')
                .append(" rule_id=")
                .append(e.ruleId())
                .append(" service=")
                .append(oneLine(e.service()))
                .append(' ')
                .append(e.metric().wire())
                .append('=')
                .append(formatValue(e.metric(), e.value()))
                .append(' ')
                .append(thresholdText(e))
                .append(" window=")
                .append(e.timeWindowMinutes())
                .append("m [")
                .append(e.windowStart())
                .append(", ")
                .append(e.windowEnd())
                .append(']')
                .append(" alert_id=")
                .append(e.alertId())
                .append(" fired_at=")
                .append(e.firedAt());
        if (e.resolvedAt() != null) b.append(" resolved_at=").append(e.resolvedAt());
        if (!e.sampleTraceIds().isEmpty()) b.append(" traces=").append(String.join(",", e.sampleTraceIds()));
        if (e.reason() != null)
            b.append(" reason=\"")
                    .append(oneLine(e.reason()).replace("\"", "'"))
                    .append('"');
        if (link != null) b.append(" link=").append(oneLine(link).replace(" ", "%20"));
        return b.toString();
    }

    /**
     * The one-sentence summary: {@code [FIRING] critical: Critical Error Spike on payment-service — log_count 51 (> 50
     * over 5 min)}.
     */
    static String summary(AlertEvent e) {
        String s = "[" + e.state() + "] " + e.severity().wire() + ": " + oneLine(e.ruleName()) + " on "
                + oneLine(e.service()) + " — " + e.metric().wire() + " " + formatValue(e.metric(), e.value()) + " ("
                + thresholdText(e) + " over " + e.timeWindowMinutes() + " min)";
        return e.reason() == null ? s : s + ": " + oneLine(e.reason());
    }

    static String color(AlertEvent e) {
        if (e.state() == AlertEvent.State.RESOLVED) return COLOR_RESOLVED;
        return switch (e.severity()) {
            case CRITICAL -> COLOR_CRITICAL;
            case WARNING -> COLOR_WARNING;
            case INFO -> COLOR_INFO;
        };
    }

    private static String thresholdText(AlertEvent e) {
        if (e.metric() == Metric.NO_DATA) return "silent >= " + e.timeWindowMinutes() + " min";
        String op = e.condition() == null ? "?" : e.condition().symbol();
        return op + " " + formatValue(e.metric(), e.threshold());
    }

    private static void field(ArrayNode fields, String title, String value, boolean isShort) {
        ObjectNode f = fields.addObject();
        f.put("title", title);
        f.put("value", slackEscape(value));
        f.put("short", isShort);
    }

    /** A metric value for humans: counts whole, rates as a percentage, latencies in ms, silence in minutes. */
    static String formatValue(Metric metric, double v) {
        return switch (metric) {
            case ERROR_RATE, SPAN_ERROR_RATE -> plain(v * 100, 2) + "%";
            case LATENCY_P95, LATENCY_P99 -> plain(v, 1) + " ms";
            case NO_DATA -> plain(v, 1) + " min";
            default -> plain(v, 2);
        };
    }

    private static String plain(double v, int decimals) {
        if (!Double.isFinite(v)) return Double.toString(v);
        return BigDecimal.valueOf(v)
                .setScale(decimals, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }

    /** Slack's three control characters in message text. */
    static String slackEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return b.toString();
    }
}
