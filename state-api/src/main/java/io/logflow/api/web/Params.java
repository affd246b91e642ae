package io.logflow.api.web;

import io.logflow.model.Level;
import io.logflow.model.normalize.TraceIds;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.util.MultiValueMap;

/** Parses and validates request parameters; every failure is a 400 naming the parameter. */
public final class Params {
    private Params() {}

    /** Max length of a service name in a query (as the normaliser truncates longer ones). */
    static final int MAX_SERVICE_LENGTH = io.logflow.model.normalize.LogNormalizer.MAX_SERVICE_LENGTH;

    public static int intInRange(String name, Optional<String> raw, int defaultValue, int min, int max) {
        if (raw.isEmpty() || raw.get().isBlank()) return defaultValue;
        String s = raw.get().trim();
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(
                    name, "parameter '" + name + "' must be an integer between " + min + " and " + max);
        }
        if (v < min || v > max)
            throw ApiException.badParameter(name, "parameter '" + name + "' must be between " + min + " and " + max);
        return (int) v;
    }

    /** ISO-8601 instant ("2026-01-01T00:00:00Z") or epoch milliseconds. */
    public static Instant instant(String name, Optional<String> raw, Instant defaultValue) {
        if (raw.isEmpty() || raw.get().isBlank()) return defaultValue;
        String s = raw.get().trim();
        if (s.isEmpty()) { // only control characters: not an instant
            throw ApiException.badParameter(
                    name,
                    "parameter '" + name
                            + "' must be an ISO-8601 instant (2026-01-01T00:00:00Z) or epoch milliseconds");
        }
        if (s.chars().allMatch(Character::isDigit) && s.length() <= 15) return Instant.ofEpochMilli(Long.parseLong(s));
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw ApiException.badParameter(
                        name,
                        "parameter '" + name
                                + "' must be an ISO-8601 instant (2026-01-01T00:00:00Z) or epoch milliseconds");
            }
        }
    }

    /** Time-series bucket size: 1m, 5m or 1h. */
    public enum Interval {
        ONE_MINUTE("1m", Duration.ofMinutes(1)),
        FIVE_MINUTES("5m", Duration.ofMinutes(5)),
        ONE_HOUR("1h", Duration.ofHours(1));

        public final String label;
        public final Duration size;

        Interval(String label, Duration size) {
            this.label = label;
            this.size = size;
        }
    }

    public static Interval interval(String name, Optional<String> raw) {
        if (raw.isEmpty() || raw.get().isBlank()) return Interval.ONE_MINUTE;
        for (Interval i : Interval.values()) if (i.label.equals(raw.get().trim())) return i;
        throw ApiException.badParameter(name, "parameter '" + name + "' must be one of 1m, 5m, 1h");
    }

    public static Level level(String name, Optional<String> raw) {
        if (raw.isEmpty() || raw.get().isBlank()) return null;
        Level l = Level.parse(raw.get());
        if (l == null)
            throw ApiException.badParameter(
                    name, "parameter '" + name + "' must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL");
        return l;
    }

    public static String service(String name, Optional<String> raw) {
        if (raw.isEmpty() || raw.get().isBlank()) return null;
        String s = raw.get().trim();
        if (s.length() > MAX_SERVICE_LENGTH)
            throw ApiException.badParameter(
                    name, "parameter '" + name + "' is longer than " + MAX_SERVICE_LENGTH + " characters");
        return s;
    }

    /** 32-hex, UUID or 16-hex trace id, normalised to 32 lowercase hex. */
    public static String traceId(String name, String raw) {
        String id = TraceIds.normalizeTraceId(raw);
        if (id == null)
            throw ApiException.badParameter(
                    name,
                    "parameter '" + name + "' must be a trace id: 32 hex characters, a UUID, or 16 hex characters");
        return id;
    }

    /**
     * A UUID in its canonical form (any case): {@code what} names it in the message, e.g. "a rule id (a UUID such as
     * …)".
     */
    public static UUID uuid(String name, String raw, String what) {
        try {
            UUID id = UUID.fromString(raw);
            if (id.toString().equalsIgnoreCase(raw)) return id;
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw ApiException.badParameter(name, "parameter '" + name + "' must be " + what);
    }

    public static String optionalTraceId(String name, Optional<String> raw) {
        return raw.isEmpty() || raw.get().isBlank() ? null : traceId(name, raw.get());
    }

    /** The first value of a query parameter. */
    public static Optional<String> first(MultiValueMap<String, String> query, String name) {
        return Optional.ofNullable(query.getFirst(name));
    }

    /** A whole number, or null when absent or blank. */
    public static Long optionalLong(String name, Optional<String> raw) {
        if (raw.isEmpty() || raw.get().isBlank()) return null;
        try {
            return Long.parseLong(raw.get().trim());
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(name, "parameter '" + name + "' must be an integer");
        }
    }

    /** A required instant (ISO-8601 or epoch milliseconds); blank is absent. */
    public static Instant requiredInstant(String name, Optional<String> raw) {
        if (raw.isEmpty() || raw.get().isBlank())
            throw ApiException.badParameter(name, "parameter '" + name + "' is required");
        return instant(name, raw, null);
    }

    /** A time range: 'from' not after 'to', at most {@code max} long. */
    public static void range(Instant from, Instant to, Duration max) {
        if (from.isAfter(to)) throw ApiException.badParameter("from", "parameter 'from' must not be after 'to'");
        if (Duration.between(from, to).compareTo(max) > 0) {
            throw ApiException.badParameter(
                    "from", "parameter 'from' must be at most " + max.toDays() + " days before 'to'");
        }
    }

    /** A duration in milliseconds (a number >= 0, fractions allowed), as nanoseconds; null when absent. */
    public static Long durationNanos(String name, Optional<String> raw) {
        if (raw.isEmpty() || raw.get().isBlank()) return null;
        try {
            double ms = Double.parseDouble(raw.get().trim());
            if (ms < 0 || Double.isNaN(ms) || Double.isInfinite(ms) || ms > 365.0 * 24 * 3600_000)
                throw new NumberFormatException();
            return Math.round(ms * 1_000_000);
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(
                    name, "parameter '" + name + "' must be a duration in milliseconds (a number >= 0)");
        }
    }

    /** true or false (any case); null when absent. */
    public static Boolean bool(String name, Optional<String> raw) {
        if (raw.isEmpty() || raw.get().isBlank()) return null;
        return switch (raw.get().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.badParameter(name, "parameter '" + name + "' must be true or false");
        };
    }

    /**
     * {@code key:value} pairs ({@code key=value} accepted too: the first ':' or '=' separates); the key must not be
     * blank.
     */
    public static Map<String, String> tags(String name, List<String> raw) {
        Map<String, String> out = new TreeMap<>();
        for (String t : raw) {
            int colon = t.indexOf(':');
            int eq = t.indexOf('=');
            int sep = colon < 0 ? eq : eq < 0 ? colon : Math.min(colon, eq);
            String key = sep < 0 ? "" : t.substring(0, sep).trim();
            if (key.isEmpty())
                throw ApiException.badParameter(
                        name, "parameter '" + name + "' must be key:value, e.g. http.response.status_code:500");
            out.put(key, t.substring(sep + 1).trim());
        }
        return out;
    }

    /** A path variable naming a service: trimmed, not blank, not too long. */
    public static String serviceName(String name, String raw) {
        String s = service(name, Optional.ofNullable(raw));
        if (s == null) throw ApiException.badParameter(name, "parameter '" + name + "' must not be blank");
        return s;
    }
}
