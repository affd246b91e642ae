package io.logflow.alerts;

import java.util.Locale;

/**
 * What a rule measures, per service, over its {@code time_window}. The log metrics are computed
 * from {@code logflow.logs}, the span metrics from {@code logflow.spans}; see {@link Evaluator} for
 * how each value is derived from {@link WindowTotals}.
 */
public enum Metric {
    /** Logs whose level is one of the rule's levels (all levels when none are given). The default. */
    LOG_COUNT("log_count"),
    /** ERROR and FATAL logs. */
    ERROR_COUNT("error_count"),
    /** ERROR and FATAL logs / all logs, a fraction 0..1; 0 for a window without logs. */
    ERROR_RATE("error_rate"),
    /** Logs of the rule's levels whose message matches its {@code message_pattern}. */
    LOG_MATCH_COUNT("log_match_count"),
    /** 95th percentile span duration, milliseconds. */
    LATENCY_P95("latency_p95"),
    /** 99th percentile span duration, milliseconds. */
    LATENCY_P99("latency_p99"),
    /** Error spans / all spans, a fraction 0..1; 0 for a window without spans. */
    SPAN_ERROR_RATE("span_error_rate"),
    /** Minutes since a service that was seen before last sent a log or a span. */
    NO_DATA("no_data");

    private final String wire;

    Metric(String wire) {
        this.wire = wire;
    }

    /** The name in JSON, e.g. {@code log_count}. */
    public String wire() {
        return wire;
    }

    /** True for the metrics computed from spans (latency percentiles, span error rate). */
    public boolean isSpanMetric() {
        return this == LATENCY_P95 || this == LATENCY_P99 || this == SPAN_ERROR_RATE;
    }

    /** True for the metrics whose value is a fraction 0..1 (thresholds above 1 can never be reached). */
    public boolean isRate() {
        return this == ERROR_RATE || this == SPAN_ERROR_RATE;
    }

    /** @return the metric with this wire name in any case, or null when there is none */
    public static Metric parse(String text) {
        if (text == null) return null;
        String s = text.trim().toLowerCase(Locale.ROOT);
        for (Metric m : values()) {
            if (m.wire.equals(s)) return m;
        }
        return null;
    }
}
