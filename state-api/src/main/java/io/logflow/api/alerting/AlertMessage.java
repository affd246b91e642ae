package io.logflow.api.alerting;

import static java.util.Objects.requireNonNull;

import io.logflow.alerts.AlertEvent;
import io.logflow.alerts.AlertEventJson;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A record of {@code logflow.alerts} as state-api reads and writes it: an {@link AlertEvent}
 * ({@link AlertEventJson}, FIRING or RESOLVED from the topology) or one of the two the API adds
 * when a person acts — {@code ACKNOWLEDGED}, and a manual {@code RESOLVED} — which carry who did it
 * in {@code by} (and {@code acknowledged_at}). {@code AlertEvent.State} has no ACKNOWLEDGED and the
 * event no {@code by}, so those are written as extra fields over the alert's FIRING document (readers
 * of {@link AlertEventJson} ignore unknown fields; an ACKNOWLEDGED record is not an {@code AlertEvent}
 * to them).
 *
 * @param event the alert (for ACKNOWLEDGED: its FIRING event)
 * @param state FIRING, RESOLVED or ACKNOWLEDGED
 * @param by who acknowledged or resolved it through the API, else null
 * @param acknowledgedAt when it was acknowledged (ACKNOWLEDGED only)
 */
public record AlertMessage(AlertEvent event, String state, String by, Instant acknowledgedAt) {
    static final String FIRING = "FIRING";
    static final String RESOLVED = "RESOLVED";
    static final String ACKNOWLEDGED = "ACKNOWLEDGED";
    static final String BY = "by";
    static final String ACKNOWLEDGED_AT = "acknowledged_at";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public AlertMessage {
        requireNonNull(event, "event");
        requireNonNull(state, "state");
        if (ACKNOWLEDGED.equals(state)) {
            requireNonNull(acknowledgedAt, "acknowledgedAt");
            if (event.state() != AlertEvent.State.FIRING)
                throw new IllegalArgumentException("an ACKNOWLEDGED record carries the FIRING event");
        } else if (!state.equals(event.state().name())) {
            throw new IllegalArgumentException("state " + state + " but event " + event.state());
        }
    }

    public static AlertMessage of(AlertEvent e) {
        return new AlertMessage(e, e.state().name(), null, null);
    }

    public String key() {
        return event.key();
    }

    ObjectNode toJson() {
        ObjectNode n = AlertEventJson.toJson(event);
        n.put(AlertEventJson.STATE, state);
        if (by != null) n.put(BY, by);
        if (acknowledgedAt != null) n.put(ACKNOWLEDGED_AT, acknowledgedAt.toString());
        return n;
    }

    public byte[] write() {
        return JSON.writeValueAsBytes(toJson());
    }

    /** @throws IllegalArgumentException when the bytes are not an alert record */
    static AlertMessage read(byte[] bytes) {
        JsonNode n;
        try {
            n = JSON.readTree(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an alert event: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException("not an alert event: not a JSON object");
        String state = n.path(AlertEventJson.STATE).asString("");
        String by = n.hasNonNull(BY) ? n.get(BY).asString() : null;
        if (ACKNOWLEDGED.equals(state)) {
            ObjectNode firing = ((ObjectNode) n).deepCopy();
            firing.put(AlertEventJson.STATE, FIRING);
            firing.putNull(AlertEventJson.RESOLVED_AT);
            Instant at;
            try {
                at = Instant.parse(n.path(ACKNOWLEDGED_AT).asString(""));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "not an alert event: ACKNOWLEDGED without a valid acknowledged_at", e);
            }
            return new AlertMessage(AlertEventJson.read(JSON.writeValueAsBytes(firing)), ACKNOWLEDGED, by, at);
        }
        AlertEvent e = AlertEventJson.read(bytes);
        return new AlertMessage(e, e.state().name(), by, null);
    }
}
