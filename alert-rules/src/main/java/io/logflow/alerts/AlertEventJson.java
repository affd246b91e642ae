package io.logflow.alerts;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code logflow.alerts} value: one JSON object per {@link AlertEvent}, every field always
 * present (null where the event has none), instants in ISO-8601 UTC.
 *
 * <pre>{"alert_id":"…","rule_id":"…","rule_name":"Critical Error Spike","severity":"critical",
 * "state":"FIRING","service":"payment-service","metric":"log_count","condition":"greater_than",
 * "value":51,"threshold":50,"time_window":5,"window_start":"2026-01-01T00:00:00Z",
 * "window_end":"2026-01-01T00:05:00Z","sample_trace_ids":["4bf9…"],"fired_at":"2026-01-01T00:05:00Z",
 * "resolved_at":null,"reason":null}</pre>
 */
public final class AlertEventJson {
    public static final String ALERT_ID = "alert_id";
    public static final String RULE_ID = "rule_id";
    public static final String RULE_NAME = "rule_name";
    public static final String SEVERITY = "severity";
    public static final String STATE = "state";
    public static final String SERVICE = "service";
    public static final String METRIC = "metric";
    public static final String CONDITION = "condition";
    public static final String VALUE = "value";
    public static final String THRESHOLD = "threshold";
    public static final String TIME_WINDOW = "time_window";
    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String SAMPLE_TRACE_IDS = "sample_trace_ids";
    public static final String FIRED_AT = "fired_at";
    public static final String RESOLVED_AT = "resolved_at";
    public static final String REASON = "reason";

    private AlertEventJson() {}

    public static byte[] write(AlertEvent e) {
        return Json.MAPPER.writeValueAsBytes(toJson(e));
    }

    /** The event as a JSON tree (for the API and the SSE stream). */
    public static ObjectNode toJson(AlertEvent e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put(ALERT_ID, e.alertId());
        n.put(RULE_ID, e.ruleId());
        n.put(RULE_NAME, e.ruleName());
        n.put(SEVERITY, e.severity().wire());
        n.put(STATE, e.state().name());
        n.put(SERVICE, e.service());
        n.put(METRIC, e.metric().wire());
        if (e.condition() == null) n.putNull(CONDITION);
        else n.put(CONDITION, e.condition().wire());
        Json.putNumber(n, VALUE, e.value());
        Json.putNumber(n, THRESHOLD, e.threshold());
        n.put(TIME_WINDOW, e.timeWindowMinutes());
        n.put(WINDOW_START, e.windowStart().toString());
        n.put(WINDOW_END, e.windowEnd().toString());
        ArrayNode traces = n.putArray(SAMPLE_TRACE_IDS);
        for (String t : e.sampleTraceIds()) traces.add(t);
        n.put(FIRED_AT, e.firedAt().toString());
        if (e.resolvedAt() == null) n.putNull(RESOLVED_AT);
        else n.put(RESOLVED_AT, e.resolvedAt().toString());
        if (e.reason() == null) n.putNull(REASON);
        else n.put(REASON, e.reason());
        return n;
    }

    /**
     * Reads a document written by {@link #write}; unknown fields are ignored (newer writers may add
     * some).
     *
     * @throws IllegalArgumentException when the bytes are not an alert event
     */
    public static AlertEvent read(byte[] json) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not an alert event: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException("not an alert event: not a JSON object");
        try {
            String condition = Json.text(n, CONDITION);
            String resolvedAt = Json.text(n, RESOLVED_AT);
            return new AlertEvent(
                    Json.requiredText(n, ALERT_ID),
                    Json.requiredText(n, RULE_ID),
                    Json.requiredText(n, RULE_NAME),
                    known(Severity.parse(Json.requiredText(n, SEVERITY)), SEVERITY),
                    AlertEvent.State.valueOf(Json.requiredText(n, STATE)),
                    Json.requiredText(n, SERVICE),
                    known(Metric.parse(Json.requiredText(n, METRIC)), METRIC),
                    condition == null ? null : known(Condition.parse(condition), CONDITION),
                    number(n, VALUE),
                    number(n, THRESHOLD),
                    (int) number(n, TIME_WINDOW),
                    Instant.parse(Json.requiredText(n, WINDOW_START)),
                    Instant.parse(Json.requiredText(n, WINDOW_END)),
                    Json.strings(n, SAMPLE_TRACE_IDS),
                    Instant.parse(Json.requiredText(n, FIRED_AT)),
                    resolvedAt == null ? null : Instant.parse(resolvedAt),
                    Json.text(n, REASON));
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException("not an alert event: " + e.getMessage(), e);
        }
    }

    private static <T> T known(T value, String field) {
        if (value == null) throw new IllegalArgumentException("unknown " + field);
        return value;
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) throw new IllegalArgumentException(field + " must be a number");
        return v.doubleValue();
    }
}
