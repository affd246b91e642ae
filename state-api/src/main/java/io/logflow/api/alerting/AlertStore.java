package io.logflow.api.alerting;

import io.logflow.alerts.AlertEvent;
import io.logflow.alerts.AlertEventJson;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code triggered_alerts}: one row per alert ({@code alert_id}), written idempotently from {@code
 * logflow.alerts} — FIRING inserts (a replay changes nothing), RESOLVED resolves (once; an
 * acknowledged alert keeps its acknowledgement), ACKNOWLEDGED acknowledges a firing alert — and
 * changed by the API's acknowledge and resolve.
 */
@Component
class AlertStore {
    static final String FIRING = "firing";
    static final String ACKNOWLEDGED = "acknowledged";
    static final String RESOLVED = "resolved";
    static final List<String> STATUSES = List.of(FIRING, ACKNOWLEDGED, RESOLVED);

    private static final String COLUMNS =
            "alert_id, rule_id, rule_name, severity, service, metric, condition, status, value, threshold, "
                    + "time_window_minutes, window_start, window_end, sample_trace_ids, reason, fired_at, "
                    + "acknowledged_at, acknowledged_by, "
                    + "resolved_at, resolved_by, resolve_reason, updated_at, event";
    private static final String INSERT =
            "INSERT INTO triggered_alerts (" + COLUMNS + ") VALUES (:alert_id, :rule_id, :rule_name, :severity, "
                    + ":service, :metric, :condition, :status, :value, :threshold, :window, :window_start, "
                    + ":window_end, :traces, :reason, :fired_at, "
                    + ":ack_at, :ack_by, :resolved_at, :resolved_by, :resolve_reason, :now, :event) ON CONFLICT "
                    + "(alert_id) ";

    private final DatabaseClient db;

    AlertStore(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Applies one record of logflow.alerts; true when it changed the row (false for a replay or an impossible
     * transition).
     */
    Mono<Boolean> apply(AlertMessage m, Instant now) {
        String sql = switch (m.state()) {
            case AlertMessage.FIRING -> INSERT + "DO NOTHING";
            case AlertMessage.RESOLVED ->
                INSERT
                        + "DO UPDATE SET status = 'resolved', resolved_at = EXCLUDED.resolved_at, resolved_by = "
                        + "EXCLUDED.resolved_by, "
                        + "resolve_reason = EXCLUDED.resolve_reason, updated_at = EXCLUDED.updated_at WHERE "
                        + "triggered_alerts.status <> 'resolved'";
            case AlertMessage.ACKNOWLEDGED ->
                INSERT + "DO UPDATE SET status = 'acknowledged', acknowledged_at = EXCLUDED.acknowledged_at, "
                        + "acknowledged_by = EXCLUDED.acknowledged_by, updated_at = EXCLUDED.updated_at WHERE "
                        + "triggered_alerts.status = 'firing'";
            default -> throw new IllegalArgumentException("unknown alert state " + m.state());
        };
        AlertEvent e = m.event();
        String status = switch (m.state()) {
            case AlertMessage.FIRING -> FIRING;
            case AlertMessage.RESOLVED -> RESOLVED;
            default -> ACKNOWLEDGED;
        };
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql)
                .bind("alert_id", e.alertId())
                .bind("rule_id", e.ruleId())
                .bind("rule_name", e.ruleName())
                .bind("severity", e.severity().wire())
                .bind("service", e.service())
                .bind("metric", e.metric().wire())
                .bind("status", status)
                .bind("value", e.value())
                .bind("threshold", e.threshold())
                .bind("window", e.timeWindowMinutes())
                .bind("window_start", e.windowStart())
                .bind("window_end", e.windowEnd())
                .bind("traces", e.sampleTraceIds().toArray(String[]::new))
                .bind("fired_at", e.firedAt())
                .bind("now", now)
                // the FIRING document (an ACKNOWLEDGED record carries it; a RESOLVED one is the same alert)
                .bind("event", Json.of(AlertEventJson.write(e)));
        spec = nullable(
                spec, "condition", e.condition() == null ? null : e.condition().wire(), String.class);
        spec = nullable(spec, "reason", m.state().equals(AlertMessage.RESOLVED) ? null : e.reason(), String.class);
        spec = nullable(spec, "ack_at", m.acknowledgedAt(), Instant.class);
        spec = nullable(spec, "ack_by", m.state().equals(AlertMessage.ACKNOWLEDGED) ? m.by() : null, String.class);
        spec = nullable(spec, "resolved_at", e.resolvedAt(), Instant.class);
        spec = nullable(spec, "resolved_by", m.state().equals(AlertMessage.RESOLVED) ? m.by() : null, String.class);
        spec = nullable(
                spec, "resolve_reason", m.state().equals(AlertMessage.RESOLVED) ? e.reason() : null, String.class);
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Newest first (fired_at); status and rule id null for any. */
    Flux<Map<String, Object>> list(String status, String ruleId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM triggered_alerts WHERE true");
        if (status != null) sql.append(" AND status = :status");
        if (ruleId != null) sql.append(" AND rule_id = :rule_id");
        sql.append(" ORDER BY fired_at DESC, alert_id LIMIT :limit");
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("limit", limit);
        if (status != null) spec = spec.bind("status", status);
        if (ruleId != null) spec = spec.bind("rule_id", ruleId);
        return spec.map(AlertStore::view).all();
    }

    /** The alert as the API shows it, plus its stored FIRING event. */
    record Row(Map<String, Object> view, AlertEvent event) {
        String status() {
            return (String) view.get("status");
        }
    }

    Mono<Row> find(String alertId) {
        return db.sql("SELECT " + COLUMNS + " FROM triggered_alerts WHERE alert_id = :id")
                .bind("id", alertId)
                .map(AlertStore::row)
                .one();
    }

    /**
     * firing → acknowledged; empty when the alert is not firing (any more). The same acknowledgement
     * applied already (the alerts consumer may store its published event first) counts as done.
     */
    Mono<Row> acknowledge(String alertId, String by, Instant at) {
        return nullable(
                        db.sql("UPDATE triggered_alerts SET status = 'acknowledged', acknowledged_at = :at, "
                                        + "acknowledged_by = :by, updated_at = :at "
                                        + "WHERE alert_id = :id AND (status = 'firing' OR (status = "
                                        + "'acknowledged' AND acknowledged_at = :at AND "
                                        + "acknowledged_by IS NOT DISTINCT FROM :by)) "
                                        + "RETURNING " + COLUMNS)
                                .bind("id", alertId)
                                .bind("at", at),
                        "by",
                        by,
                        String.class)
                .map(AlertStore::row)
                .one();
    }

    /**
     * firing or acknowledged → resolved; empty when the alert was resolved already (by anything but this same resolve).
     */
    Mono<Row> resolve(String alertId, String by, String reason, Instant at) {
        return nullable(
                        db.sql("UPDATE triggered_alerts SET status = 'resolved', resolved_at = :at, "
                                        + "resolved_by = :by, resolve_reason = :reason, updated_at = :at "
                                        + "WHERE alert_id = :id AND (status <> 'resolved' OR (resolved_at = "
                                        + ":at AND resolved_by IS NOT DISTINCT FROM :by)) RETURNING "
                                        + COLUMNS)
                                .bind("id", alertId)
                                .bind("at", at)
                                .bind("reason", reason),
                        "by",
                        by,
                        String.class)
                .map(AlertStore::row)
                .one();
    }

    private static Row row(Readable r) {
        return new Row(view(r), AlertEventJson.read(r.get("event", Json.class).asArray()));
    }

    /** snake_case, like the rules and the events. */
    private static Map<String, Object> view(Readable r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alert_id", r.get("alert_id", String.class));
        m.put("rule_id", r.get("rule_id", String.class));
        m.put("rule_name", r.get("rule_name", String.class));
        m.put("severity", r.get("severity", String.class));
        m.put("status", r.get("status", String.class));
        m.put("service", r.get("service", String.class));
        m.put("metric", r.get("metric", String.class));
        m.put("condition", r.get("condition", String.class));
        m.put("value", r.get("value", Double.class));
        m.put("threshold", r.get("threshold", Double.class));
        m.put("time_window", r.get("time_window_minutes", Integer.class));
        m.put("window_start", iso(r.get("window_start", Instant.class)));
        m.put("window_end", iso(r.get("window_end", Instant.class)));
        String[] traces = r.get("sample_trace_ids", String[].class);
        m.put("sample_trace_ids", traces == null ? List.of() : Arrays.asList(traces));
        m.put("reason", r.get("reason", String.class));
        m.put("fired_at", iso(r.get("fired_at", Instant.class)));
        m.put("acknowledged_at", iso(r.get("acknowledged_at", Instant.class)));
        m.put("acknowledged_by", r.get("acknowledged_by", String.class));
        m.put("resolved_at", iso(r.get("resolved_at", Instant.class)));
        m.put("resolved_by", r.get("resolved_by", String.class));
        m.put("resolve_reason", r.get("resolve_reason", String.class));
        m.put("updated_at", iso(r.get("updated_at", Instant.class)));
        return m;
    }

    private static String iso(Instant i) {
        return i == null ? null : i.toString();
    }

    static <T> DatabaseClient.GenericExecuteSpec nullable(
            DatabaseClient.GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }
}
