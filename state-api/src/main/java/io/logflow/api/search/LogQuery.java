package io.logflow.api.search;

import io.logflow.api.cache.CacheKey;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Params;
import io.logflow.model.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.util.MultiValueMap;

/**
 * The parameters of {@code GET /api/v1/logs/search}, checked: each wrong one is a 400 naming it.
 *
 * @param q the query text as typed (empty: every log)
 * @param service only this service, or null
 * @param level only logs at or above this level, or null
 * @param traceId only the logs of this trace, or null
 * @param from the range's start (inclusive)
 * @param to the range's end (inclusive)
 * @param limit hits per page
 * @param ascending oldest first instead of newest first
 * @param cursor where this page starts (null: the first page)
 */
record LogQuery(
        String q,
        String service,
        Level level,
        String traceId,
        Instant from,
        Instant to,
        int limit,
        boolean ascending,
        Cursor cursor) {

    static final int MAX_QUERY_LENGTH = 4096;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    static final Duration DEFAULT_RANGE = Duration.ofMinutes(15);
    static final Duration MAX_RANGE = Duration.ofDays(90);

    static LogQuery parse(MultiValueMap<String, String> p, Instant now) {
        String q = Params.first(p, "q").orElse("").strip();
        if (q.length() > MAX_QUERY_LENGTH)
            throw ApiException.badParameter("q", "parameter 'q' is longer than " + MAX_QUERY_LENGTH + " characters");
        if (q.chars().anyMatch(c -> c < 0x20 && c != '\t'))
            throw ApiException.badParameter("q", "parameter 'q' contains control characters");
        String service = Params.service("service", Params.first(p, "service"));
        Level level = Params.level("level", Params.first(p, "level"));
        String traceId = Params.optionalTraceId("trace_id", Params.first(p, "trace_id"));
        int limit = Params.intInRange("limit", Params.first(p, "limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        boolean ascending = sort(Params.first(p, "sort").orElse(""));
        String rawCursor = Params.first(p, "cursor").orElse("").strip();
        Instant from;
        Instant to;
        Cursor cursor = null;
        LogQuery shape = new LogQuery(q, service, level, traceId, now, now, limit, ascending, null);
        if (!rawCursor.isEmpty()) {
            cursor = Cursor.decode("cursor", rawCursor);
            if (!cursor.fingerprint().equals(shape.fingerprint()))
                throw ApiException.badParameter(
                        "cursor",
                        "the cursor belongs to another query: send q, service, level, trace_id, sort and limit as"
                                + " on the first page");
            from = Instant.ofEpochMilli(cursor.fromMillis());
            to = Instant.ofEpochMilli(cursor.toMillis());
        } else {
            to = Params.instant("to", Params.first(p, "to"), now);
            from = Params.instant("from", Params.first(p, "from"), to.minus(DEFAULT_RANGE));
            Params.range(from, to, MAX_RANGE);
        }
        return new LogQuery(q, service, level, traceId, from, to, limit, ascending, cursor);
    }

    private static boolean sort(String raw) {
        return switch (raw.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "", "desc", "newest" -> false;
            case "asc", "oldest" -> true;
            default -> throw ApiException.badParameter("sort", "parameter 'sort' must be desc (newest first) or asc");
        };
    }

    /** What makes two requests the same query (the range comes from the cursor, so it is not part of it). */
    String fingerprint() {
        String canonical = String.join(
                "\u0000",
                q,
                service == null ? "" : service,
                level == null ? "" : level.name(),
                traceId == null ? "" : traceId,
                Integer.toString(limit),
                ascending ? "asc" : "desc");
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cache key of a first page: every parameter as parsed, the range as given (else following "now"). */
    CacheKey cacheKey(MultiValueMap<String, String> query) {
        return CacheKey.of("search")
                .with("q", q)
                .with("service", service)
                .with("level", level)
                .with("trace_id", traceId)
                .with("limit", limit)
                .with("sort", ascending ? "asc" : "desc")
                .range(query, from, to)
                .live();
    }

    /** The bucket width of the count histogram over this query's range. */
    Histogram.Interval histogramInterval() {
        return Histogram.forRange(Duration.between(from, to));
    }

    /** The query as the answer echoes it. */
    Map<String, Object> echo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("q", q);
        if (service != null) m.put("service", service);
        if (level != null) m.put("level", level.name());
        if (traceId != null) m.put("traceId", traceId);
        m.put("from", from.toString());
        m.put("to", to.toString());
        m.put("sort", ascending ? "asc" : "desc");
        m.put("limit", limit);
        return m;
    }
}
