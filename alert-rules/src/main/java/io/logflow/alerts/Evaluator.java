package io.logflow.alerts;

/**
 * Turns a rule and what was counted for one service over its window into a value and whether the
 * rule is breached. Pure: no clock, no state; {@link AlertStateMachine} decides what to emit.
 *
 * <table>
 *   <caption>Value per metric</caption>
 *   <tr><th>metric</th><th>value</th><th>never breached when</th></tr>
 * <tr><td>log_count</td><td>{@code levelLogs} ({@code matches} when the rule has a message pattern)</td><td></td></tr>
 *   <tr><td>error_count</td><td>{@code errors}</td><td></td></tr>
 *   <tr><td>error_rate</td><td>{@code errors / logs}, 0 without logs</td><td>no logs</td></tr>
 *   <tr><td>log_match_count</td><td>{@code matches}</td><td></td></tr>
 *   <tr><td>latency_p95, latency_p99</td><td>{@code p95Ms}, {@code p99Ms}</td><td>no spans</td></tr>
 *   <tr><td>span_error_rate</td><td>{@code spanErrors / spans}, 0 without spans</td><td>no spans</td></tr>
 *   <tr><td>no_data</td><td>minutes since {@code lastSeenMillis}</td><td>never seen; condition and
 *       threshold are ignored: breached when silent for at least {@code time_window}</td></tr>
 * </table>
 *
 * An inactive rule is never breached.
 */
public final class Evaluator {
    private static final double MILLIS_PER_MINUTE = 60_000.0;

    private Evaluator() {}

    public static Evaluation evaluate(AlertRule rule, WindowTotals t, long nowMillis) {
        double value;
        boolean possible; // false: the window holds nothing the metric could be computed from
        switch (rule.metric()) {
            case LOG_COUNT -> {
                value = rule.messagePattern() == null ? t.levelLogs() : t.matches();
                possible = true;
            }
            case ERROR_COUNT -> {
                value = t.errors();
                possible = true;
            }
            case ERROR_RATE -> {
                value = t.logs() == 0 ? 0.0 : (double) t.errors() / t.logs();
                possible = t.logs() > 0;
            }
            case LOG_MATCH_COUNT -> {
                value = t.matches();
                possible = true;
            }
            case LATENCY_P95 -> {
                value = t.spans() == 0 ? 0.0 : t.p95Ms();
                possible = t.spans() > 0;
            }
            case LATENCY_P99 -> {
                value = t.spans() == 0 ? 0.0 : t.p99Ms();
                possible = t.spans() > 0;
            }
            case SPAN_ERROR_RATE -> {
                value = t.spans() == 0 ? 0.0 : (double) t.spanErrors() / t.spans();
                possible = t.spans() > 0;
            }
            case NO_DATA -> {
                return noData(rule, t, nowMillis);
            }
            default -> throw new IllegalStateException("unknown metric " + rule.metric());
        }
        boolean breached = rule.active() && possible && rule.condition().test(value, rule.threshold());
        return new Evaluation(value, breached);
    }

    private static Evaluation noData(AlertRule rule, WindowTotals t, long nowMillis) {
        if (t.lastSeenMillis() <= 0) return new Evaluation(0.0, false);
        long silentMillis = Math.max(0, nowMillis - t.lastSeenMillis());
        boolean breached = rule.active() && silentMillis >= rule.window().toMillis();
        return new Evaluation(silentMillis / MILLIS_PER_MINUTE, breached);
    }
}
