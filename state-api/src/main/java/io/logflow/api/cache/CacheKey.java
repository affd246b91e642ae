package io.logflow.api.cache;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.springframework.util.MultiValueMap;

/**
 * What one cacheable answer is: its endpoint, its parameters as the handler parsed them (so that {@code
 * from=2026-12-07T10:00:00Z} and {@code from=1796637600000}, or a default and the same value given, are one entry),
 * and its range. Pure: {@link #entry} turns it into the Redis key and the TTL of the moment.
 *
 * <p>The TTL rule: a range that ended in windows already closed — the 1-minute window holding its end ended at
 * least the windows' grace before now, so no log can be added to it any more — gets the long TTL; any other (a
 * range ending now, e.g. {@code minutes=15}, or in the open minute, or a search) the short one, with "now" rounded
 * down to a multiple of that TTL in its key: identical requests within one such slot share one entry, and an entry is
 * never used once its slot has passed, so a live answer is at most one short TTL old. A given {@code from} or
 * {@code to} is in the key exactly: two ranges a second apart are two answers (a histogram's buckets, a total).
 */
public final class CacheKey {
    /** The version of the answers' format: raise it when an answer's shape changes, so old entries are not read. */
    static final int FORMAT = 1;
    /** Parameters longer than this (a long search text) are hashed in the key. */
    static final int MAX_READABLE = 200;

    private static final long MINUTE_MS = 60_000;

    private final String endpoint;
    private final TreeMap<String, String> params = new TreeMap<>();
    private Instant from;
    private Instant to;
    private boolean live;

    private CacheKey(String endpoint) {
        this.endpoint = endpoint;
    }

    /** A key of {@code endpoint} (a short name, e.g. {@code overview}); its range ends now unless said otherwise. */
    public static CacheKey of(String endpoint) {
        return new CacheKey(endpoint);
    }

    /** A parameter as parsed (null: left out; an {@link Instant}: its epoch millis). */
    public CacheKey with(String name, Object value) {
        if (value instanceof Instant i) value = i.toEpochMilli();
        if (value != null) params.put(name, value.toString());
        return this;
    }

    /**
     * The range of parameters {@code from} and {@code to} as parsed, each in the key only when the query gives it (else
     * it follows "now", which a live key holds rounded); a {@code from} derived from a given {@code to} too. The
     * range ends at {@code to} when the query gives it, else now. Given instants are in the key exactly (rounding
     * them would hand one range's answer to another); a client that wants to share entries rounds its own.
     */
    public CacheKey range(MultiValueMap<String, String> query, Instant from, Instant to) {
        boolean toGiven = given(query, "to");
        this.from = toGiven || given(query, "from") ? from : null;
        this.to = toGiven ? to : null;
        return this;
    }

    /** Whether a parameter is there and not blank (a blank one takes its default, as if absent). */
    private static boolean given(MultiValueMap<String, String> query, String name) {
        String v = query.getFirst(name);
        return v != null && !v.isBlank();
    }

    /** Short-lived whatever its range (search: what Elasticsearch holds is not closed by any window). */
    public CacheKey live() {
        this.live = true;
        return this;
    }

    /** The Redis key and how long the entry is kept. */
    public record Entry(String key, Duration ttl) {}

    /**
     * @param prefix this deployment's keys' prefix ({@link #prefix})
     * @param grace how long a 1-minute window takes logs after it ends
     */
    Entry entry(String prefix, Instant now, Duration grace, Duration liveTtl, Duration closedTtl) {
        boolean closed = !live && to != null && closed(to, now, grace);
        long slot = liveTtl.toMillis();
        TreeMap<String, String> all = new TreeMap<>(params);
        // given instants exactly; "now", which a live answer follows, as its slot ("s" + number) of the short TTL
        if (from != null) all.put("from", "" + from.toEpochMilli());
        if (to != null) all.put("to", "" + to.toEpochMilli());
        if (!closed) all.put("now", "s" + Math.floorDiv(now.toEpochMilli(), slot));
        StringJoiner query = new StringJoiner("&");
        all.forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
        String q = query.toString();
        if (q.length() > MAX_READABLE) q = "sha256=" + sha256(q);
        return new Entry(prefix + endpoint + "?" + q, closed ? closedTtl : liveTtl);
    }

    /** Whether the 1-minute window holding {@code rangeEnd} ended at least {@code grace} before {@code now}. */
    static boolean closed(Instant rangeEnd, Instant now, Duration grace) {
        long windowEnd = Math.floorDiv(rangeEnd.toEpochMilli(), MINUTE_MS) * MINUTE_MS + MINUTE_MS;
        return windowEnd + grace.toMillis() <= now.toEpochMilli();
    }

    /**
     * What every key of one deployment starts with: two deployments (application ids) sharing a Redis never read
     * each other's answers, and the answers' {@link #FORMAT} is in it.
     */
    static String prefix(String applicationId) {
        return "logflow:cache:" + applicationId + ":v" + FORMAT + ":";
    }

    /** The SCAN pattern of every key of one deployment, every format. */
    static String pattern(String applicationId) {
        return "logflow:cache:" + applicationId.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + ":*";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The endpoint, its parameters in order, and its range as given. */
    @Override
    public String toString() {
        return endpoint
                + (live ? " (live) " : " ")
                + params
                + (from == null ? "" : " from " + from)
                + (to == null ? "" : " to " + to);
    }
}
