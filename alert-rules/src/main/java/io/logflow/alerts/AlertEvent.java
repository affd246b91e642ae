package io.logflow.alerts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One transition of one alert, as published on {@code logflow.alerts} (JSON: {@link
 * AlertEventJson}, schema in the module README). An alert is one occurrence of a rule breaching for
 * one service: a {@link State#FIRING} event, later a {@link State#RESOLVED} one with the same {@link
 * #alertId}.
 *
 * @param alertId identifies the occurrence; FIRING and RESOLVED share it
 * @param condition null for {@link Metric#NO_DATA} rules without one
 * @param value the metric's value at the transition
 * @param windowStart start of the evaluated window ({@code windowEnd - time_window})
 * @param windowEnd the moment of the transition
 * @param sampleTraceIds up to {@link #MAX_SAMPLE_TRACE_IDS} traces of logs or spans that made the
 *     rule fire (longer lists are cut); may be empty
 * @param firedAt when the alert fired (same in both events)
 * @param resolvedAt null while firing; set exactly for RESOLVED
 * @param reason why a RESOLVED came without recovery, e.g. "rule deleted"; null normally
 */
public record AlertEvent(
        String alertId,
        String ruleId,
        String ruleName,
        Severity severity,
        State state,
        String service,
        Metric metric,
        Condition condition,
        double value,
        double threshold,
        int timeWindowMinutes,
        Instant windowStart,
        Instant windowEnd,
        List<String> sampleTraceIds,
        Instant firedAt,
        Instant resolvedAt,
        String reason) {

    public static final int MAX_SAMPLE_TRACE_IDS = 5;

    public enum State {
        FIRING,
        RESOLVED
    }

    public AlertEvent {
        requireNonNull(alertId, "alertId");
        requireNonNull(ruleId, "ruleId");
        requireNonNull(ruleName, "ruleName");
        requireNonNull(severity, "severity");
        requireNonNull(state, "state");
        requireNonNull(service, "service");
        requireNonNull(metric, "metric");
        requireNonNull(windowStart, "windowStart");
        requireNonNull(windowEnd, "windowEnd");
        requireNonNull(firedAt, "firedAt");
        if ((state == State.RESOLVED) != (resolvedAt != null)) {
            throw new IllegalArgumentException("resolvedAt must be set exactly when the state is RESOLVED");
        }
        sampleTraceIds = sampleTraceIds == null
                ? List.of()
                : List.copyOf(
                        sampleTraceIds.size() > MAX_SAMPLE_TRACE_IDS
                                ? sampleTraceIds.subList(0, MAX_SAMPLE_TRACE_IDS)
                                : sampleTraceIds);
    }

    /** This alert resolved at {@code at}, for {@code reason} (null when it recovered). */
    public AlertEvent resolved(Instant at, String reason) {
        requireNonNull(at, "at");
        return withState(State.RESOLVED, at, reason);
    }

    /** This alert as it fired: FIRING, no resolution. */
    public AlertEvent firing() {
        return state == State.FIRING ? this : withState(State.FIRING, null, null);
    }

    private AlertEvent withState(State newState, Instant newResolvedAt, String newReason) {
        return new AlertEvent(
                alertId,
                ruleId,
                ruleName,
                severity,
                newState,
                service,
                metric,
                condition,
                value,
                threshold,
                timeWindowMinutes,
                windowStart,
                windowEnd,
                sampleTraceIds,
                firedAt,
                newResolvedAt,
                newReason);
    }

    /** The record key on {@code logflow.alerts}: {@code ruleId|service}, so one alert's events stay in order. */
    public String key() {
        return key(ruleId, service);
    }

    public static String key(String ruleId, String service) {
        return ruleId + "|" + service;
    }
}
