package io.logflow.alerts;

/**
 * What the topology counted for one rule and one service over the rule's {@code time_window}: the
 * input of {@link Evaluator#evaluate}. Each metric reads only its own fields, so the topology may
 * leave the others 0.
 *
 * <p>When the rule has a {@code message_pattern}, the log counts {@code logs}, {@code levelLogs}
 * and {@code errors} are of the logs whose message matches it (the pattern narrows every log
 * metric); {@code matches} always is.
 *
 * @param logs logs of the service in the window (the denominator of {@code error_rate})
 * @param levelLogs of those, the logs whose level is one of the rule's levels ({@code log_count})
 * @param errors of {@code logs}, the ERROR and FATAL ones ({@code error_count}, {@code error_rate})
 * @param matches logs matching the rule's levels and its message pattern ({@code log_match_count})
 * @param spans spans of the service in the window
 * @param spanErrors of those, the spans with an error status
 * @param p95Ms 95th percentile span duration in milliseconds, 0 without spans
 * @param p99Ms 99th percentile span duration in milliseconds, 0 without spans
 * @param lastSeenMillis epoch millis of the last log or span of the service ever seen; 0 = never
 */
public record WindowTotals(
        long logs,
        long levelLogs,
        long errors,
        long matches,
        long spans,
        long spanErrors,
        double p95Ms,
        double p99Ms,
        long lastSeenMillis) {

    /** Nothing seen. */
    public static final WindowTotals EMPTY = new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
