package io.logflow.alerts;

import static io.logflow.alerts.RuleJson.CONDITION;
import static io.logflow.alerts.RuleJson.DESCRIPTION;
import static io.logflow.alerts.RuleJson.IS_ACTIVE;
import static io.logflow.alerts.RuleJson.LEVELS;
import static io.logflow.alerts.RuleJson.MESSAGE_PATTERN;
import static io.logflow.alerts.RuleJson.METRIC;
import static io.logflow.alerts.RuleJson.NAME;
import static io.logflow.alerts.RuleJson.NOTIFICATION_CHANNEL;
import static io.logflow.alerts.RuleJson.NOTIFICATION_CONFIG;
import static io.logflow.alerts.RuleJson.OWNER;
import static io.logflow.alerts.RuleJson.SERVICES;
import static io.logflow.alerts.RuleJson.SEVERITY;
import static io.logflow.alerts.RuleJson.THRESHOLD;
import static io.logflow.alerts.RuleJson.TIME_WINDOW;
import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Checks a rule body sent to the API (create or replace) and builds the {@link AlertRule}, or says
 * what is wrong with every field at once. Field names and defaults are those of {@link RuleJson}:
 *
 * <ul>
 *   <li>{@code name}: required, non-blank, at most {@value #MAX_NAME_LENGTH} characters (trimmed);
 *   <li>{@code description}: at most {@value #MAX_DESCRIPTION_LENGTH} characters, default "";
 *   <li>{@code metric}: default {@code log_count};
 *   <li>{@code condition} and {@code threshold}: required (optional for {@code no_data}, which
 *       ignores them); threshold a number ≥ 0, at most 1 for the rates;
 *   <li>{@code time_window}: whole minutes 1..1440, default 5;
 *   <li>{@code services}: non-blank names of at most {@value #MAX_SERVICE_LENGTH} characters, default
 *       [] (every service);
 *   <li>{@code levels}: level names in any case (WARNING = WARN, CRITICAL = FATAL), default [] (all
 *       levels); only for {@code log_count} and {@code log_match_count}, the metrics that filter by
 *       level;
 *   <li>{@code message_pattern}: required for {@code log_match_count}; on the other log metrics it
 *       narrows the logs counted; not for span metrics or {@code no_data}. A {@code /regex/} must
 *       compile. At most {@value #MAX_PATTERN_LENGTH} characters;
 *   <li>{@code severity}: default {@code warning}; {@code notification_channel}: default {@code
 *       console}; {@code notification_config}: an object, with {@code url} an absolute http(s) URL
 *       without user info for webhook and slack (the addresses it may reach: {@link OutboundPolicy});
 *   <li>{@code is_active}: boolean, default true; {@code owner}: a string, optional.
 * </ul>
 *
 * JSON null counts as absent. Unknown fields are errors (a typo such as {@code treshold} must not be
 * silently ignored); the server-assigned fields ({@link RuleJson#SERVER_FIELDS}) are accepted and
 * ignored, so that a rule fetched with GET can be sent back as it is.
 */
public final class RuleValidation {
    public static final Metric DEFAULT_METRIC = Metric.LOG_COUNT;
    public static final Severity DEFAULT_SEVERITY = Severity.WARNING;
    public static final Channel DEFAULT_CHANNEL = Channel.CONSOLE;
    public static final int DEFAULT_TIME_WINDOW = 5;
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_DESCRIPTION_LENGTH = 2000;
    public static final int MAX_SERVICE_LENGTH = 200;
    public static final int MAX_OWNER_LENGTH = 200;
    public static final int MAX_PATTERN_LENGTH = 1000;

    /** The outcome: a rule, or every error found. */
    public sealed interface Result permits Valid, Invalid {}

    public record Valid(AlertRule rule) implements Result {
        public Valid {
            requireNonNull(rule, "rule");
        }
    }

    /** @param errors at least one, in field order (unknown fields first) */
    public record Invalid(List<FieldError> errors) implements Result {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) throw new IllegalArgumentException("an Invalid result needs an error");
        }
    }

    /**
     * @param field the JSON field, with a path for nested values: {@code services[2]}, {@code
     *     notification_config.url}; {@code body} for the body itself
     * @param message what is wrong, for humans, without the field name
     */
    public record FieldError(String field, String message) {
        public FieldError {
            requireNonNull(field, "field");
            requireNonNull(message, "message");
        }
    }

    private static final String METRIC_NAMES =
            Arrays.stream(Metric.values()).map(Metric::wire).collect(Collectors.joining(", "));
    private static final String CONDITION_NAMES =
            Arrays.stream(Condition.values()).map(Condition::wire).collect(Collectors.joining(", "));
    private static final String SEVERITY_NAMES =
            Arrays.stream(Severity.values()).map(Severity::wire).collect(Collectors.joining(", "));
    private static final String CHANNEL_NAMES =
            Arrays.stream(Channel.values()).map(Channel::wire).collect(Collectors.joining(", "));

    private RuleValidation() {}

    /**
     * @param body the request body
     * @param id the rule's id (new for a create, the path's for a replace)
     * @param owner the authenticated user, which wins over the body's {@code owner}; null to take the
     *     body's
     * @param now the rule's {@code updated_at}, and its {@code created_at} when {@code createdAt} is null
     * @param version the rule's version (1 for a new rule)
     * @param createdAt when the rule was first created (replace), or null (create)
     */
    public static Result validate(
            JsonNode body, String id, String owner, Instant now, long version, Instant createdAt) {
        requireNonNull(id, "id");
        requireNonNull(now, "now");
        if (body == null || !body.isObject())
            return new Invalid(List.of(new FieldError("body", "must be a JSON object")));
        Checker c = new Checker(body);
        c.unknownFields();
        String name = c.name();
        String description = c.description();
        Metric metric = c.metric();
        Condition condition = c.condition(metric);
        Double threshold = c.threshold(metric);
        Integer window = c.timeWindow();
        List<String> services = c.services();
        List<String> levels = c.levels(metric);
        String pattern = c.messagePattern(metric);
        Severity severity = c.severity();
        Channel channel = c.channel();
        Map<String, Object> config = c.notificationConfig(channel);
        Boolean active = c.active();
        String bodyOwner = c.owner();
        if (!c.errors.isEmpty()) return new Invalid(c.errors);
        return new Valid(new AlertRule(
                id,
                name,
                description,
                metric,
                condition,
                threshold,
                window,
                services,
                levels,
                pattern,
                severity,
                channel,
                config,
                active,
                owner != null ? owner : bodyOwner,
                createdAt != null ? createdAt : now,
                now,
                version));
    }

    /** Reads the body's fields one by one, collecting every error; a field in error reads as null. */
    private static final class Checker {
        final JsonNode body;
        final List<FieldError> errors = new ArrayList<>();

        Checker(JsonNode body) {
            this.body = body;
        }

        void error(String field, String message) {
            errors.add(new FieldError(field, message));
        }

        /** The field's value, or null when absent or JSON null. */
        JsonNode get(String field) {
            JsonNode v = body.get(field);
            return v == null || v.isNull() ? null : v;
        }

        /** The field's text; null (with an error when present but not a string) otherwise. */
        String string(String field) {
            JsonNode v = get(field);
            if (v == null) return null;
            if (!v.isString()) {
                error(field, "must be a string");
                return null;
            }
            return v.stringValue();
        }

        void unknownFields() {
            for (String f : body.propertyNames()) {
                if (RuleJson.FIELDS.contains(f)) continue;
                String guess = closestField(f);
                error(f, guess == null ? "unknown field" : "unknown field; did you mean '" + guess + "'?");
            }
        }

        String name() {
            if (get(NAME) == null) {
                error(NAME, "is required");
                return null;
            }
            String s = string(NAME);
            if (s == null) return null;
            s = s.trim();
            if (s.isEmpty()) error(NAME, "must not be blank");
            else if (s.length() > MAX_NAME_LENGTH) error(NAME, "must be at most " + MAX_NAME_LENGTH + " characters");
            return s;
        }

        String description() {
            String s = string(DESCRIPTION);
            if (s == null) return "";
            if (s.length() > MAX_DESCRIPTION_LENGTH)
                error(DESCRIPTION, "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
            return s;
        }

        Metric metric() {
            if (get(METRIC) == null) return DEFAULT_METRIC;
            String s = string(METRIC);
            if (s == null) return null;
            Metric m = Metric.parse(s);
            if (m == null) error(METRIC, "unknown metric '" + s + "'; one of " + METRIC_NAMES);
            return m;
        }

        Condition condition(Metric metric) {
            if (get(CONDITION) == null) {
                if (metric != Metric.NO_DATA) error(CONDITION, "is required; one of " + CONDITION_NAMES);
                return null;
            }
            String s = string(CONDITION);
            if (s == null) return null;
            Condition c = Condition.parse(s);
            if (c == null) error(CONDITION, "unknown condition '" + s + "'; one of " + CONDITION_NAMES);
            return c;
        }

        Double threshold(Metric metric) {
            JsonNode v = get(THRESHOLD);
            if (v == null) {
                if (metric != Metric.NO_DATA) error(THRESHOLD, "is required");
                return 0.0;
            }
            if (!v.isNumber()) {
                error(THRESHOLD, "must be a number");
                return null;
            }
            double d = v.doubleValue();
            if (!Double.isFinite(d)) error(THRESHOLD, "must be a finite number");
            else if (d < 0) error(THRESHOLD, "must not be negative");
            else if (metric != null && metric.isRate() && d > 1) {
                error(THRESHOLD, "must be between 0 and 1 for " + metric.wire() + ": rates are fractions (0.05 = 5%)");
            }
            return d;
        }

        Integer timeWindow() {
            JsonNode v = get(TIME_WINDOW);
            if (v == null) return DEFAULT_TIME_WINDOW;
            String range = "must be a whole number of minutes from " + AlertRule.MIN_WINDOW_MINUTES + " to "
                    + AlertRule.MAX_WINDOW_MINUTES;
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                error(TIME_WINDOW, range);
                return null;
            }
            int w = v.intValue();
            if (w < AlertRule.MIN_WINDOW_MINUTES || w > AlertRule.MAX_WINDOW_MINUTES) error(TIME_WINDOW, range);
            return w;
        }

        /** The elements of an array field, or null (with an error when it is not an array). */
        List<JsonNode> array(String field) {
            JsonNode v = get(field);
            if (v == null) return List.of();
            if (!v.isArray()) {
                error(field, "must be an array of strings");
                return null;
            }
            return new ArrayList<>(v.values());
        }

        List<String> services() {
            List<JsonNode> items = array(SERVICES);
            if (items == null) return null;
            List<String> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String field = SERVICES + "[" + i + "]";
                JsonNode e = items.get(i);
                if (!e.isString()) {
                    error(field, "must be a string");
                    continue;
                }
                String s = e.stringValue().trim();
                if (s.isEmpty()) error(field, "must not be blank");
                else if (s.length() > MAX_SERVICE_LENGTH)
                    error(field, "must be at most " + MAX_SERVICE_LENGTH + " characters");
                else if (!out.contains(s)) out.add(s);
            }
            return out;
        }

        List<String> levels(Metric metric) {
            List<JsonNode> items = array(LEVELS);
            if (items == null) return null;
            List<String> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String field = LEVELS + "[" + i + "]";
                JsonNode e = items.get(i);
                String level = e.isString() ? Levels.canonical(e.stringValue()) : null;
                if (level == null) {
                    String shown = e.isString() ? "'" + e.stringValue() + "'" : e.toString();
                    error(
                            field,
                            "unknown level " + shown + "; one of " + String.join(", ", Levels.CANONICAL)
                                    + " (WARNING and CRITICAL also accepted)");
                } else if (!out.contains(level)) {
                    out.add(level);
                }
            }
            if (!items.isEmpty() && metric != null && metric != Metric.LOG_COUNT && metric != Metric.LOG_MATCH_COUNT) {
                error(
                        LEVELS,
                        "only log_count and log_match_count filter by level; " + metric.wire() + " "
                                + (metric == Metric.ERROR_COUNT || metric == Metric.ERROR_RATE
                                        ? "counts ERROR and FATAL logs"
                                        : "does not use levels")
                                + " (leave levels empty)");
            }
            return out;
        }

        String messagePattern(Metric metric) {
            if (get(MESSAGE_PATTERN) == null) {
                if (metric == Metric.LOG_MATCH_COUNT)
                    error(MESSAGE_PATTERN, "is required for log_match_count: a text to find, or /regex/");
                return null;
            }
            String s = string(MESSAGE_PATTERN);
            if (s == null) return null;
            if (s.isBlank()) {
                error(MESSAGE_PATTERN, "must not be blank");
                return null;
            }
            if (s.length() > MAX_PATTERN_LENGTH) {
                error(MESSAGE_PATTERN, "must be at most " + MAX_PATTERN_LENGTH + " characters");
                return null;
            }
            if (metric != null && (metric.isSpanMetric() || metric == Metric.NO_DATA)) {
                error(
                        MESSAGE_PATTERN,
                        "only log metrics (log_count, error_count, error_rate, log_match_count) match messages; "
                                + metric.wire() + " does not");
                return null;
            }
            if (MessagePatterns.isRegex(s)) {
                String regex = MessagePatterns.regexBody(s);
                if (regex.isEmpty()) {
                    error(MESSAGE_PATTERN, "the regular expression between the slashes is empty");
                    return null;
                }
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    String at = e.getIndex() >= 0 ? " at index " + e.getIndex() : "";
                    error(
                            MESSAGE_PATTERN,
                            "invalid regular expression: " + e.getDescription() + at + " in /" + regex + "/");
                    return null;
                }
            }
            return s;
        }

        Severity severity() {
            if (get(SEVERITY) == null) return DEFAULT_SEVERITY;
            String s = string(SEVERITY);
            if (s == null) return null;
            Severity v = Severity.parse(s);
            if (v == null) error(SEVERITY, "unknown severity '" + s + "'; one of " + SEVERITY_NAMES);
            return v;
        }

        Channel channel() {
            if (get(NOTIFICATION_CHANNEL) == null) return DEFAULT_CHANNEL;
            String s = string(NOTIFICATION_CHANNEL);
            if (s == null) return null;
            Channel v = Channel.parse(s);
            if (v == null) error(NOTIFICATION_CHANNEL, "unknown channel '" + s + "'; one of " + CHANNEL_NAMES);
            return v;
        }

        Map<String, Object> notificationConfig(Channel channel) {
            JsonNode v = get(NOTIFICATION_CONFIG);
            if (v == null) {
                if (channel != null && channel.needsUrl()) {
                    error(
                            NOTIFICATION_CONFIG,
                            "is required for " + channel.wire() + ": an object with the url to post to");
                }
                return Map.of();
            }
            if (!v.isObject()) {
                error(NOTIFICATION_CONFIG, "must be an object");
                return null;
            }
            String urlField = NOTIFICATION_CONFIG + ".url";
            JsonNode url = v.get("url");
            if (url == null || url.isNull()) {
                if (channel != null && channel.needsUrl()) error(urlField, "is required for " + channel.wire());
            } else if (!url.isString()) {
                error(urlField, "must be a string");
            } else {
                String problem = urlProblem(url.stringValue());
                if (problem != null) error(urlField, problem);
            }
            return Json.toMap(v);
        }

        Boolean active() {
            JsonNode v = get(IS_ACTIVE);
            if (v == null) return true;
            if (!v.isBoolean()) {
                error(IS_ACTIVE, "must be true or false");
                return null;
            }
            return v.booleanValue();
        }

        String owner() {
            String s = string(OWNER);
            if (s == null || s.isBlank()) return null;
            s = s.trim();
            if (s.length() > MAX_OWNER_LENGTH) error(OWNER, "must be at most " + MAX_OWNER_LENGTH + " characters");
            return s;
        }
    }

    /**
     * Why the text is not an absolute http or https URL with a host and without user info, or null when it is
     * one. Where the host may point is {@link OutboundPolicy}'s, checked when a rule is saved and at every send.
     */
    static String urlProblem(String text) {
        String expected = "must be an absolute http or https URL";
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            return expected + ": " + e.getReason() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) return expected;
        if (uri.getHost() == null || uri.getHost().isEmpty()) return expected + " with a host";
        if (uri.getRawUserInfo() != null) return "must not contain user info (user:password@)";
        return null;
    }

    /** The known field closest to an unknown one (a typo or another spelling), or null when none is close. */
    static String closestField(String unknown) {
        String u = squash(unknown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String f : RuleJson.FIELDS) {
            int d = distance(u, squash(f));
            if (d < bestDistance) {
                bestDistance = d;
                best = f;
            }
        }
        int allowed = u.length() <= 4 ? 1 : 2;
        return bestDistance <= allowed ? best : null;
    }

    /** Lower case without separators, so that {@code timeWindow} and {@code time-window} meet {@code time_window}. */
    private static String squash(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(".", "");
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
