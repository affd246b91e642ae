package io.logflow.api.auth;

import static java.util.Objects.requireNonNull;

import io.logflow.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ingest tokens (ADR 027): Grafana-style service-account tokens that may only send logs, traces and metrics. A token
 * is {@code lf_} and 32 random bytes in base64url, shown once at creation; {@code ingest_tokens} keeps only its
 * SHA-256.
 *
 * <p>{@link #verify} is on the ingest path (thousands of requests a second), so it rarely touches PostgreSQL:
 *
 * <ul>
 *   <li>an answer, valid or not, is kept in memory for at most {@link #CACHE_TTL} (a bounded map); a malformed token
 *       is refused without any lookup;
 *   <li>{@code last_used_at} is written at most once per {@link #LAST_USED_EVERY} per token and instance, without
 *       waiting for it;
 *   <li>{@link #revoke} on this instance evicts the token at once, also from a lookup still under way; <b>another
 *       instance accepts a revoked token until its cached answer expires, {@link #CACHE_TTL} at most</b>.
 * </ul>
 *
 * Neither a token nor its hash is ever logged.
 */
@Component
public class IngestTokens {
    private static final Logger log = LoggerFactory.getLogger(IngestTokens.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String PREFIX = "lf_";
    static final int SECRET_BYTES = 32;
    /** {@code lf_} and 43 base64url characters (32 bytes without padding). */
    static final int TOKEN_CHARS = PREFIX.length() + 43;

    static final int MAX_NAME_CHARS = 64;
    static final Duration CACHE_TTL = Duration.ofSeconds(30);
    static final Duration LAST_USED_EVERY = Duration.ofMinutes(1);
    /**
     * Most cached answers; a full cache is emptied (garbage tokens cannot grow it without bound). Answers older than
     * {@link #CACHE_TTL} stay until then: the last known answer while PostgreSQL is down.
     */
    static final int MAX_CACHED = 10_000;

    private final DatabaseClient db;
    private final LongSupplier nanos;
    /** SHA-256 (base64) of a presented token → the answer and when it was looked up. */
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Token id → when this instance last wrote its {@code last_used_at} (nanos). */
    private final Map<UUID, Long> lastWrite = new ConcurrentHashMap<>();
    /** Counts revocations: a lookup that started before one does not cache its answer. */
    private final AtomicLong revocations = new AtomicLong();

    @Autowired
    public IngestTokens(DatabaseClient db) {
        this(db, System::nanoTime);
    }

    /** With a clock of its own (tests: a cached answer and the last-use writes run on {@code nanos}). */
    public IngestTokens(DatabaseClient db, LongSupplier nanos) {
        this.db = db;
        this.nanos = nanos;
    }

    /** A new token: its secret exists in clear only here, for the one answer that shows it. */
    public record Issued(UUID id, String name, String token, Instant createdAt) {
        @Override
        public String toString() {
            return "Issued[id=" + id + ", name=" + name + "]";
        }
    }

    /** A token as listed: never the secret nor its hash. */
    public record Listed(
            UUID id,
            String name,
            UUID createdBy,
            String createdByUsername,
            Instant createdAt,
            Instant lastUsedAt,
            Instant revokedAt) {}

    private record Cached(Principal.IngestPrincipal principal, long at) {}

    /** Creates a token named {@code name} (unique among live tokens whatever its case, else a 409). */
    public Mono<Issued> create(String name, UUID createdBy) {
        String problem = nameProblem(name);
        if (problem != null)
            return Mono.error(ApiException.invalidFields(java.util.List.of(JsonBody.error("name", problem))));
        String trimmed = name.trim();
        String token = generate();
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var spec = db.sql("INSERT INTO ingest_tokens (id, name, token_hash, created_by, created_at) "
                        + "VALUES (:id, :name, :h, :by, :now) ON CONFLICT DO NOTHING")
                .bind("id", id)
                .bind("name", trimmed)
                .bind("h", hash(token))
                .bind("now", now);
        spec = createdBy == null ? spec.bindNull("by", UUID.class) : spec.bind("by", createdBy);
        return spec.fetch()
                .rowsUpdated()
                .flatMap(n -> n == 1
                        ? Mono.just(new Issued(id, trimmed, token, now))
                        : Mono.error(ApiException.conflict(
                                "an ingest token named " + trimmed + " exists; revoke it first")));
    }

    /** Every token, newest first, revoked ones too (with {@code revokedAt}). */
    public Flux<Listed> list() {
        return db.sql("SELECT t.id, t.name, t.created_by, u.username, t.created_at, t.last_used_at, t.revoked_at "
                        + "FROM ingest_tokens t LEFT JOIN users u ON u.id = t.created_by "
                        + "ORDER BY t.created_at DESC, t.id")
                .map(r -> new Listed(
                        r.get("id", UUID.class),
                        r.get("name", String.class),
                        r.get("created_by", UUID.class),
                        r.get("username", String.class),
                        r.get("created_at", Instant.class),
                        r.get("last_used_at", Instant.class),
                        r.get("revoked_at", Instant.class)))
                .all();
    }

    /**
     * Revokes a live token; false when it is unknown or revoked already. This instance refuses it from now on; other
     * instances within {@link #CACHE_TTL}.
     */
    public Mono<Boolean> revoke(UUID id) {
        requireNonNull(id, "id");
        return db.sql("UPDATE ingest_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                .bind("now", Instant.now())
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(n -> {
                    evict(id);
                    return n == 1;
                });
    }

    /**
     * The ingest principal of a presented token (the part after {@code Bearer }); empty for a malformed, unknown or
     * revoked token. Usually answered from memory (see the class comment). While PostgreSQL cannot be asked, a token
     * this instance accepted before is accepted; it fails only for a token it never accepted, never because of what
     * was presented.
     */
    public Mono<Principal.IngestPrincipal> verify(String presented) {
        if (!wellFormed(presented)) return Mono.empty();
        byte[] hash = hash(presented);
        String key = Base64.getEncoder().encodeToString(hash);
        long now = nanos.getAsLong();
        Cached c = cache.get(key);
        if (c != null && now - c.at() < CACHE_TTL.toNanos()) return used(c.principal());
        long revokedBefore = revocations.get();
        return db.sql("SELECT id, name FROM ingest_tokens WHERE token_hash = :h AND revoked_at IS NULL")
                .bind("h", hash)
                .map(r -> new Principal.IngestPrincipal(r.get("id", UUID.class), r.get("name", String.class)))
                .one()
                .map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty())
                .flatMap(found -> {
                    remember(key, found.orElse(null), now, revokedBefore);
                    return found.map(this::used).orElseGet(Mono::empty);
                })
                .onErrorResume(e -> lastKnown(key, e));
    }

    /**
     * PostgreSQL cannot be asked: a token this instance accepted before, however long ago, is accepted still — ingest
     * outlives an outage of the database (alerts keep firing, ADR 010), and nobody can revoke a token while it lasts.
     * A token this instance never accepted fails (the caller answers 503 with Retry-After).
     */
    private Mono<Principal.IngestPrincipal> lastKnown(String key, Throwable e) {
        Cached last = cache.get(key);
        if (last == null || last.principal() == null) return Mono.error(e);
        return Mono.just(last.principal());
    }

    /** Caches an answer unless a revocation happened since its lookup started (it may be about that token). */
    private void remember(String key, Principal.IngestPrincipal principal, long at, long revokedBefore) {
        if (cache.size() >= MAX_CACHED) cache.clear();
        cache.put(key, new Cached(principal, at));
        // a revoke that ran meanwhile may have missed this entry: drop it again
        if (revocations.get() != revokedBefore) cache.remove(key);
    }

    private void evict(UUID id) {
        revocations.incrementAndGet();
        cache.values()
                .removeIf(c -> c.principal() != null && c.principal().tokenId().equals(id));
        lastWrite.remove(id);
    }

    /** The principal, after writing its {@code last_used_at} when this instance has not for a minute. */
    private Mono<Principal.IngestPrincipal> used(Principal.IngestPrincipal p) {
        if (p == null) return Mono.empty();
        if (dueForLastUsed(p.tokenId())) {
            db.sql("UPDATE ingest_tokens SET last_used_at = :now WHERE id = :id")
                    .bind("now", Instant.now())
                    .bind("id", p.tokenId())
                    .then()
                    .subscribe(
                            null,
                            e -> log.warn(
                                    "could not record the last use of ingest token {}: {}", p.tokenId(), e.toString()));
        }
        return Mono.just(p);
    }

    /** True for the one caller that should write the token's last use now (at most once per minute). */
    boolean dueForLastUsed(UUID id) {
        long now = nanos.getAsLong();
        boolean[] due = {false};
        lastWrite.compute(id, (k, last) -> {
            if (last != null && now - last < LAST_USED_EVERY.toNanos()) return last;
            due[0] = true;
            return now;
        });
        return due[0];
    }

    /** What is wrong with a token's name, or null. */
    static String nameProblem(String name) {
        if (name == null || name.isBlank()) return "is required";
        String t = name.trim();
        if (t.codePointCount(0, t.length()) > MAX_NAME_CHARS)
            return "must be at most " + MAX_NAME_CHARS + " characters";
        if (t.codePoints().anyMatch(Character::isISOControl)) return "must not contain control characters";
        return null;
    }

    /** {@code lf_} and exactly 43 base64url characters; anything else is refused without a lookup. */
    static boolean wellFormed(String presented) {
        if (presented == null || presented.length() != TOKEN_CHARS || !presented.startsWith(PREFIX)) return false;
        for (int i = PREFIX.length(); i < presented.length(); i++) {
            char ch = presented.charAt(i);
            boolean ok = (ch >= 'A' && ch <= 'Z')
                    || (ch >= 'a' && ch <= 'z')
                    || (ch >= '0' && ch <= '9')
                    || ch == '-'
                    || ch == '_';
            if (!ok) return false;
        }
        return true;
    }

    /** {@code lf_} and 32 random bytes, base64url without padding. */
    static String generate() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 of the whole token's text (prefix included): what is stored and looked up. */
    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
