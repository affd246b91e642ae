package io.logflow.alerts;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The life of an alert for one rule and one service (ADR 009): OK → FIRING when the rule is
 * breached; at most one FIRING per rule and service until it resolves; FIRING → RESOLVED once the
 * rule is no longer breached <em>and</em> at least one {@code time_window} has passed since it fired
 * (no flapping inside a window). Pure: the caller keeps the {@link Firing} state (a store keyed by
 * rule and service) and publishes the emitted events.
 */
public final class AlertStateMachine {
    private AlertStateMachine() {}

    /**
     * The state of a firing alert; no state (null) means OK.
     *
     * @param alertId the id the FIRING event carried; the RESOLVED event carries it too
     * @param value the metric's value when it fired
     * @param sampleTraceIds traces that made it fire: the first {@link AlertEvent#MAX_SAMPLE_TRACE_IDS} distinct
     *     non-blank ids of the list given
     */
    public record Firing(
            String alertId,
            long firedAtMillis,
            double value,
            long windowStartMillis,
            long windowEndMillis,
            List<String> sampleTraceIds) {
        public Firing {
            requireNonNull(alertId, "alertId");
            sampleTraceIds = sampleTraceIds == null ? List.of() : List.copyOf(samples(sampleTraceIds));
        }
    }

    /**
     * @param next the state to keep: null = OK (delete it)
     * @param emitted the event to publish, or null when nothing changed
     */
    public record Step(Firing next, AlertEvent emitted) {}

    /**
     * One evaluation of a rule for a service.
     *
     * @param current the alert firing for this rule and service, or null when OK
     * @param e the evaluation at {@code nowMillis} ({@link Evaluator#evaluate})
     * @param sampleTraceIds traces of the logs or spans in the window; the first few go into a FIRING
     *     event, may be null
     */
    public static Step step(
            AlertRule rule, String service, Firing current, Evaluation e, long nowMillis, List<String> sampleTraceIds) {
        requireNonNull(rule, "rule");
        requireNonNull(service, "service");
        requireNonNull(e, "e");
        if (current == null) {
            if (!e.breached()) return new Step(null, null);
            long windowStart = nowMillis - rule.window().toMillis();
            Firing firing = new Firing(
                    alertId(rule.id(), service, nowMillis),
                    nowMillis,
                    e.value(),
                    windowStart,
                    nowMillis,
                    sampleTraceIds == null ? List.of() : sampleTraceIds);
            return new Step(firing, event(rule, service, firing, AlertEvent.State.FIRING, e.value(), nowMillis, null));
        }
        if (e.breached() || nowMillis < current.firedAtMillis() + rule.window().toMillis())
            return new Step(current, null);
        return new Step(null, event(rule, service, current, AlertEvent.State.RESOLVED, e.value(), nowMillis, null));
    }

    /**
     * Resolves a firing alert at once, whatever the window: its rule was deleted, deactivated or
     * changed (a changed rule starts again from OK). Pass the rule as it was when the alert fired when
     * it is still known (its name and severity are the alert's), else the new version.
     *
     * @param reason why, e.g. "rule deleted", "rule deactivated", "rule changed"
     * @return the RESOLVED event; its value is the value the alert fired with
     */
    public static AlertEvent resolveNow(AlertRule rule, String service, Firing current, long nowMillis, String reason) {
        requireNonNull(rule, "rule");
        requireNonNull(service, "service");
        requireNonNull(current, "current");
        return event(rule, service, current, AlertEvent.State.RESOLVED, current.value(), nowMillis, reason);
    }

    /**
     * Deterministic, so a replayed evaluation gives the same id: a name-based UUID of {@code ruleId|service|firedAt}.
     */
    static String alertId(String ruleId, String service, long firedAtMillis) {
        return UUID.nameUUIDFromBytes((ruleId + "|" + service + "|" + firedAtMillis).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static AlertEvent event(
            AlertRule rule,
            String service,
            Firing f,
            AlertEvent.State state,
            double value,
            long nowMillis,
            String reason) {
        return new AlertEvent(
                f.alertId(),
                rule.id(),
                rule.name(),
                rule.severity(),
                state,
                service,
                rule.metric(),
                rule.condition(),
                value,
                rule.threshold(),
                rule.timeWindowMinutes(),
                Instant.ofEpochMilli(nowMillis - rule.window().toMillis()),
                Instant.ofEpochMilli(nowMillis),
                f.sampleTraceIds(),
                Instant.ofEpochMilli(f.firedAtMillis()),
                state == AlertEvent.State.RESOLVED ? Instant.ofEpochMilli(nowMillis) : null,
                reason);
    }

    /** The first few distinct, non-blank ids. */
    private static List<String> samples(List<String> ids) {
        List<String> out = new ArrayList<>(AlertEvent.MAX_SAMPLE_TRACE_IDS);
        for (String id : ids) {
            if (out.size() == AlertEvent.MAX_SAMPLE_TRACE_IDS) break;
            if (id != null && !id.isBlank() && !out.contains(id)) out.add(id);
        }
        return out;
    }
}
