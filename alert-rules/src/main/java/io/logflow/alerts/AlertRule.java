package io.logflow.alerts;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An alert rule as stored in PostgreSQL and published on {@code logflow.alert-rules}: what to
 * measure ({@link #metric}), for which services and logs, when it breaches ({@link #condition}
 * {@link #threshold} over {@link #timeWindowMinutes}) and whom to tell. Built from an API body by
 * {@link RuleValidation}, written and read by {@link RuleJson}, evaluated by {@link Evaluator}.
 *
 * <p>The constructor keeps the invariants every reader relies on and normalises: null lists and
 * maps become empty, level names become canonical ({@code WARNING} → {@code WARN}, {@code CRITICAL}
 * → {@code FATAL}, any case), a blank message pattern becomes null, and a {@code /regex/} pattern
 * is compiled (once per pattern text, see {@link #messageMatches}).
 *
 * @param id assigned by the API (a UUID), never null
 * @param description "" when none
 * @param condition null only for {@link Metric#NO_DATA}, which ignores condition and threshold
 * @param threshold finite; a fraction 0..1 for the rate metrics, milliseconds for latencies
 * @param timeWindowMinutes 1..1440
 * @param services the services the rule watches, each evaluated on its own; empty = every service
 * @param levels canonical level names (TRACE, DEBUG, INFO, WARN, ERROR, FATAL); empty = all levels
 * @param messagePattern {@code /regex/}, {@code /regex/i} or a case-insensitive substring; null = any
 *     message
 * @param notificationConfig channel settings, e.g. {@code {"url": "https://…"}} for webhook and
 *     slack; unmodifiable
 * @param owner who owns the rule, or null
 * @param version incremented by the API on every change (1 for a new rule)
 */
public record AlertRule(
        String id,
        String name,
        String description,
        Metric metric,
        Condition condition,
        double threshold,
        int timeWindowMinutes,
        List<String> services,
        List<String> levels,
        String messagePattern,
        Severity severity,
        Channel channel,
        Map<String, Object> notificationConfig,
        boolean active,
        String owner,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public static final int MIN_WINDOW_MINUTES = 1;
    public static final int MAX_WINDOW_MINUTES = 1440;

    public AlertRule {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(metric, "metric");
        requireNonNull(severity, "severity");
        requireNonNull(channel, "channel");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(updatedAt, "updatedAt");
        if (condition == null && metric != Metric.NO_DATA) {
            throw new IllegalArgumentException("condition is required for metric " + metric.wire());
        }
        if (!Double.isFinite(threshold)) throw new IllegalArgumentException("threshold must be finite");
        if (timeWindowMinutes < MIN_WINDOW_MINUTES || timeWindowMinutes > MAX_WINDOW_MINUTES) {
            throw new IllegalArgumentException(
                    "timeWindowMinutes must be " + MIN_WINDOW_MINUTES + ".." + MAX_WINDOW_MINUTES);
        }
        description = description == null ? "" : description;
        services = services == null ? List.of() : List.copyOf(services);
        levels = canonicalLevels(levels);
        messagePattern = messagePattern == null || messagePattern.isBlank() ? null : messagePattern;
        if (messagePattern != null) MessagePatterns.matcher(messagePattern); // throws PatternSyntaxException
        notificationConfig = Json.immutableCopy(notificationConfig);
    }

    private static List<String> canonicalLevels(List<String> levels) {
        if (levels == null || levels.isEmpty()) return List.of();
        List<String> out = new ArrayList<>(levels.size());
        for (String l : levels) {
            String c = Levels.canonical(l);
            if (c == null) throw new IllegalArgumentException("unknown level: " + l);
            if (!out.contains(c)) out.add(c);
        }
        return List.copyOf(out);
    }

    /** True when the rule watches this service: it names it, or names no service at all. */
    public boolean appliesTo(String service) {
        return services.isEmpty() || (service != null && services.contains(service));
    }

    /** True when a log of this level counts: the rule has no levels, or lists it (any case, aliases). */
    public boolean levelMatches(String level) {
        if (levels.isEmpty()) return true;
        String c = Levels.canonical(level);
        return c != null && levels.contains(c);
    }

    /**
     * True when a log with this message counts: the rule has no pattern, or its {@code /regex/} is
     * found in the message, or the message contains its text ignoring case. The regular expression is
     * compiled when the rule is constructed and cached by pattern text, never per call.
     */
    public boolean messageMatches(String message) {
        if (messagePattern == null) return true;
        return message != null && MessagePatterns.matcher(messagePattern).test(message);
    }

    /**
     * True when a log of this service's level and message counts for the rule's log metric: {@link
     * #levelMatches} and {@link #messageMatches}. The service is checked separately ({@link
     * #appliesTo}).
     */
    public boolean matchesLog(String level, String message) {
        return levelMatches(level) && messageMatches(message);
    }

    /** True for rules evaluated on spans ({@link Metric#isSpanMetric}). */
    public boolean isSpanRule() {
        return metric.isSpanMetric();
    }

    public Duration window() {
        return Duration.ofMinutes(timeWindowMinutes);
    }

    /** {@code notification_config.url} when it is a string, else null. */
    public String notificationUrl() {
        return notificationConfig.get("url") instanceof String s ? s : null;
    }
}
