package io.logflow.alerts;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of an {@link AlertRule}: the {@code logflow.alert-rules} value and the API's
 * representation. Snake_case names, every field always present (null where the rule has none),
 * instants in ISO-8601 UTC:
 *
 * <pre>{"id":"…","name":"Critical Error Spike","description":"Alert when errors exceed threshold",
 * "metric":"log_count","condition":"greater_than","threshold":50,"time_window":5,
 * "services":["payment-service"],"levels":["ERROR"],"message_pattern":null,"severity":"warning",
 * "notification_channel":"webhook","notification_config":{"url":"http://127.0.0.1:9999/hook"},
 * "is_active":true,"owner":null,"created_at":"2026-01-01T00:00:00Z",
 * "updated_at":"2026-01-01T00:00:00Z","version":1}</pre>
 *
 * A request body is checked by {@link RuleValidation}, not read here.
 */
public final class RuleJson {
    public static final String ID = "id";
    public static final String NAME = "name";
    public static final String DESCRIPTION = "description";
    public static final String METRIC = "metric";
    public static final String CONDITION = "condition";
    public static final String THRESHOLD = "threshold";
    public static final String TIME_WINDOW = "time_window";
    public static final String SERVICES = "services";
    public static final String LEVELS = "levels";
    public static final String MESSAGE_PATTERN = "message_pattern";
    public static final String SEVERITY = "severity";
    public static final String NOTIFICATION_CHANNEL = "notification_channel";
    public static final String NOTIFICATION_CONFIG = "notification_config";
    public static final String IS_ACTIVE = "is_active";
    public static final String OWNER = "owner";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    public static final String VERSION = "version";

    /** Every field, in the order written. */
    public static final List<String> FIELDS = List.of(
            ID,
            NAME,
            DESCRIPTION,
            METRIC,
            CONDITION,
            THRESHOLD,
            TIME_WINDOW,
            SERVICES,
            LEVELS,
            MESSAGE_PATTERN,
            SEVERITY,
            NOTIFICATION_CHANNEL,
            NOTIFICATION_CONFIG,
            IS_ACTIVE,
            OWNER,
            CREATED_AT,
            UPDATED_AT,
            VERSION);

    /** The fields the server assigns; a request body may carry them (as returned by a GET) but they are ignored. */
    public static final List<String> SERVER_FIELDS = List.of(ID, CREATED_AT, UPDATED_AT, VERSION);

    private RuleJson() {}

    public static byte[] write(AlertRule rule) {
        return Json.MAPPER.writeValueAsBytes(toJson(rule));
    }

    public static ObjectNode toJson(AlertRule r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put(ID, r.id());
        n.put(NAME, r.name());
        n.put(DESCRIPTION, r.description());
        n.put(METRIC, r.metric().wire());
        if (r.condition() == null) n.putNull(CONDITION);
        else n.put(CONDITION, r.condition().wire());
        Json.putNumber(n, THRESHOLD, r.threshold());
        n.put(TIME_WINDOW, r.timeWindowMinutes());
        ArrayNode services = n.putArray(SERVICES);
        for (String s : r.services()) services.add(s);
        ArrayNode levels = n.putArray(LEVELS);
        for (String l : r.levels()) levels.add(l);
        if (r.messagePattern() == null) n.putNull(MESSAGE_PATTERN);
        else n.put(MESSAGE_PATTERN, r.messagePattern());
        n.put(SEVERITY, r.severity().wire());
        n.put(NOTIFICATION_CHANNEL, r.channel().wire());
        n.set(NOTIFICATION_CONFIG, Json.MAPPER.valueToTree(r.notificationConfig()));
        n.put(IS_ACTIVE, r.active());
        if (r.owner() == null) n.putNull(OWNER);
        else n.put(OWNER, r.owner());
        n.put(CREATED_AT, r.createdAt().toString());
        n.put(UPDATED_AT, r.updatedAt().toString());
        n.put(VERSION, r.version());
        return n;
    }

    /**
     * The same document as plain Java values: String, Long/Double, Boolean, List, Map, null; instants as ISO-8601 text.
     */
    public static Map<String, Object> toMap(AlertRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ID, r.id());
        m.put(NAME, r.name());
        m.put(DESCRIPTION, r.description());
        m.put(METRIC, r.metric().wire());
        m.put(CONDITION, r.condition() == null ? null : r.condition().wire());
        m.put(THRESHOLD, Json.number(r.threshold()));
        m.put(TIME_WINDOW, r.timeWindowMinutes());
        m.put(SERVICES, r.services());
        m.put(LEVELS, r.levels());
        m.put(MESSAGE_PATTERN, r.messagePattern());
        m.put(SEVERITY, r.severity().wire());
        m.put(NOTIFICATION_CHANNEL, r.channel().wire());
        m.put(NOTIFICATION_CONFIG, r.notificationConfig());
        m.put(IS_ACTIVE, r.active());
        m.put(OWNER, r.owner());
        m.put(CREATED_AT, r.createdAt().toString());
        m.put(UPDATED_AT, r.updatedAt().toString());
        m.put(VERSION, r.version());
        return m;
    }

    /**
     * Reads a document written by {@link #write}. Unknown fields are ignored (a newer writer may add
     * some); missing optional fields take {@link RuleValidation}'s defaults.
     *
     * @throws IllegalArgumentException when the bytes are not a rule document
     */
    public static AlertRule read(byte[] json) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not an alert rule: " + e.getOriginalMessage(), e);
        }
        return read(n);
    }

    /** @see #read(byte[]) */
    public static AlertRule read(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("not an alert rule: not a JSON object");
        try {
            String metric = Json.text(n, METRIC);
            String condition = Json.text(n, CONDITION);
            String severity = Json.text(n, SEVERITY);
            String channel = Json.text(n, NOTIFICATION_CHANNEL);
            JsonNode config = n.get(NOTIFICATION_CONFIG);
            JsonNode version = n.get(VERSION);
            return new AlertRule(
                    Json.requiredText(n, ID),
                    Json.requiredText(n, NAME),
                    Json.text(n, DESCRIPTION),
                    metric == null ? RuleValidation.DEFAULT_METRIC : known(Metric.parse(metric), METRIC, metric),
                    condition == null ? null : known(Condition.parse(condition), CONDITION, condition),
                    number(n, THRESHOLD, 0),
                    (int) number(n, TIME_WINDOW, RuleValidation.DEFAULT_TIME_WINDOW),
                    Json.strings(n, SERVICES),
                    Json.strings(n, LEVELS),
                    Json.text(n, MESSAGE_PATTERN),
                    severity == null
                            ? RuleValidation.DEFAULT_SEVERITY
                            : known(Severity.parse(severity), SEVERITY, severity),
                    channel == null
                            ? RuleValidation.DEFAULT_CHANNEL
                            : known(Channel.parse(channel), NOTIFICATION_CHANNEL, channel),
                    config == null || !config.isObject() ? Map.of() : Json.toMap(config),
                    bool(n, IS_ACTIVE, true),
                    Json.text(n, OWNER),
                    Instant.parse(Json.requiredText(n, CREATED_AT)),
                    Instant.parse(Json.requiredText(n, UPDATED_AT)),
                    version == null || !version.isIntegralNumber() ? 0 : version.longValue());
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException("not an alert rule: " + e.getMessage(), e);
        }
    }

    private static <T> T known(T value, String field, String text) {
        if (value == null) throw new IllegalArgumentException("unknown " + field + " '" + text + "'");
        return value;
    }

    private static boolean bool(JsonNode n, String field, boolean dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isBoolean()) throw new IllegalArgumentException(field + " must be a boolean");
        return v.booleanValue();
    }

    private static double number(JsonNode n, String field, double dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isNumber()) throw new IllegalArgumentException(field + " must be a number");
        return v.doubleValue();
    }
}
