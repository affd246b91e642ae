package io.logflow.api;

import io.logflow.model.Level;
import io.logflow.model.normalize.TraceIds;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses and validates request parameters; every failure is a 400 naming the parameter. */
final class Params {
  private Params() {}

  /** Max length of a service name in a query (as the normaliser truncates longer ones). */
  static final int MAX_SERVICE_LENGTH = io.logflow.model.normalize.LogNormalizer.MAX_SERVICE_LENGTH;

  static int intInRange(String name, Optional<String> raw, int defaultValue, int min, int max) {
    if (raw.isEmpty() || raw.get().isBlank()) return defaultValue;
    String s = raw.get().trim();
    long v;
    try {
      v = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw ApiException.badParameter(name, "parameter '" + name + "' must be an integer between " + min + " and " + max);
    }
    if (v < min || v > max) throw ApiException.badParameter(name, "parameter '" + name + "' must be between " + min + " and " + max);
    return (int) v;
  }

  /** ISO-8601 instant ("2026-01-01T00:00:00Z") or epoch milliseconds. */
  static Instant instant(String name, Optional<String> raw, Instant defaultValue) {
    if (raw.isEmpty() || raw.get().isBlank()) return defaultValue;
    String s = raw.get().trim();
    if (s.chars().allMatch(Character::isDigit) && s.length() <= 15) return Instant.ofEpochMilli(Long.parseLong(s));
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e2) {
        throw ApiException.badParameter(name, "parameter '" + name + "' must be an ISO-8601 instant (2026-01-01T00:00:00Z) or epoch milliseconds");
      }
    }
  }

  /** Time-series bucket size: 1m, 5m or 1h. */
  enum Interval {
    ONE_MINUTE("1m", Duration.ofMinutes(1)),
    FIVE_MINUTES("5m", Duration.ofMinutes(5)),
    ONE_HOUR("1h", Duration.ofHours(1));

    final String label;
    final Duration size;

    Interval(String label, Duration size) {
      this.label = label;
      this.size = size;
    }
  }

  static Interval interval(String name, Optional<String> raw) {
    if (raw.isEmpty() || raw.get().isBlank()) return Interval.ONE_MINUTE;
    for (Interval i : Interval.values()) if (i.label.equals(raw.get().trim())) return i;
    throw ApiException.badParameter(name, "parameter '" + name + "' must be one of 1m, 5m, 1h");
  }

  static Level level(String name, Optional<String> raw) {
    if (raw.isEmpty() || raw.get().isBlank()) return null;
    Level l = Level.parse(raw.get());
    if (l == null) throw ApiException.badParameter(name, "parameter '" + name + "' must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL");
    return l;
  }

  static String service(String name, Optional<String> raw) {
    if (raw.isEmpty() || raw.get().isBlank()) return null;
    String s = raw.get().trim();
    if (s.length() > MAX_SERVICE_LENGTH) throw ApiException.badParameter(name, "parameter '" + name + "' is longer than " + MAX_SERVICE_LENGTH + " characters");
    return s;
  }

  /** 32-hex, UUID or 16-hex trace id, normalised to 32 lowercase hex. */
  static String traceId(String name, String raw) {
    String id = TraceIds.normalizeTraceId(raw);
    if (id == null) throw ApiException.badParameter(name, "parameter '" + name + "' must be a trace id: 32 hex characters, a UUID, or 16 hex characters");
    return id;
  }

  static String optionalTraceId(String name, Optional<String> raw) {
    return raw.isEmpty() || raw.get().isBlank() ? null : traceId(name, raw.get());
  }
}
