package io.logflow.api.auth;

import io.logflow.api.config.LogFlowProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Refresh tokens: 32 random bytes (base64url), stored only as their SHA-256 in {@code refresh_tokens}, each in a
 * family that starts at login. A use revokes the token and issues the next of its family; using a revoked token
 * again means two parties hold the family (a stolen copy), so the whole family is revoked and both must log in.
 * Logout revokes the family.
 */
@Component
public class RefreshTokens {
    private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int TOKEN_BYTES = 32;

    private final DatabaseClient db;
    private final Duration ttl;

    public RefreshTokens(DatabaseClient db, LogFlowProperties props) {
        this.db = db;
        this.ttl = props.auth().refreshTtl();
    }

    /** A token as handed out (the only time it exists in clear) and when it expires. */
    public record Issued(String token, Instant expiresAt) {}

    /** The outcome of presenting a refresh token. */
    public sealed interface Rotation {}

    /** The token was current: it is revoked now and {@code next} replaces it. */
    public record Rotated(UUID userId, UUID familyId, Issued next) implements Rotation {}

    /** The token was refused; with {@link Decision#REUSED} its family is revoked too. */
    public record Refused(Decision why) implements Rotation {}

    /** What a stored token that could not be taken allows (pure, see {@link #decide}). */
    public enum Decision {
        UNKNOWN,
        EXPIRED,
        REUSED
    }

    /** A stored token's state, as far as {@link #decide} needs it. */
    record Stored(UUID familyId, Instant expiresAt, Instant revokedAt) {}

    /**
     * Why a token that could not be rotated was refused: revoked before (reuse: revoke its family) beats expired
     * beats unknown.
     */
    static Decision decide(Stored stored, Instant now) {
        if (stored == null) return Decision.UNKNOWN;
        if (stored.revokedAt() != null) return Decision.REUSED;
        if (!stored.expiresAt().isAfter(now)) return Decision.EXPIRED;
        // current and unexpired, yet not taken: another request rotated it in between, which is a reuse too
        return Decision.REUSED;
    }

    /** Starts a family (at login). */
    public Mono<Issued> issue(UUID userId) {
        return insert(userId, UUID.randomUUID(), Instant.now());
    }

    /**
     * Takes a token: revokes it and issues its successor in one atomic step, so two requests with the same token
     * cannot both succeed; otherwise says why not, revoking the family on reuse.
     */
    public Mono<Rotation> rotate(String token) {
        byte[] hash = hash(token);
        Instant now = Instant.now();
        Mono<Rotation> taken = db.sql("UPDATE refresh_tokens SET revoked_at = :now "
                        + "WHERE token_hash = :h AND revoked_at IS NULL AND expires_at > :now "
                        + "RETURNING user_id, family_id")
                .bind("now", now)
                .bind("h", hash)
                .map(r -> new UUID[] {r.get("user_id", UUID.class), r.get("family_id", UUID.class)})
                .one()
                .flatMap(ids -> insert(ids[0], ids[1], now).map(next -> new Rotated(ids[0], ids[1], next)));
        return taken.switchIfEmpty(Mono.defer(() -> refused(hash, now)));
    }

    /** Logout: revokes the token's family; unknown tokens are ignored (the answer must not tell them apart). */
    public Mono<Void> revoke(String token) {
        return stored(hash(token))
                .flatMap(s -> revokeFamily(s.familyId(), Instant.now()))
                .then();
    }

    /** Revokes every token of a family still open; the number revoked. */
    public Mono<Long> revokeFamily(UUID familyId, Instant now) {
        return db.sql("UPDATE refresh_tokens SET revoked_at = :now WHERE family_id = :f AND revoked_at IS NULL")
                .bind("now", now)
                .bind("f", familyId)
                .fetch()
                .rowsUpdated();
    }

    /** Revokes every open token of a user, all its families (a password change, a disabled user); the number. */
    public Mono<Long> revokeUser(UUID userId, Instant now) {
        return db.sql("UPDATE refresh_tokens SET revoked_at = :now WHERE user_id = :u AND revoked_at IS NULL")
                .bind("now", now)
                .bind("u", userId)
                .fetch()
                .rowsUpdated();
    }

    /** True when every token of the family is revoked (for tests and the admin view to come). */
    public Mono<Boolean> familyRevoked(UUID familyId) {
        return db.sql("SELECT count(*) AS n FROM refresh_tokens WHERE family_id = :f AND revoked_at IS NULL")
                .bind("f", familyId)
                .map(r -> r.get("n", Long.class) == 0)
                .one();
    }

    private Mono<Rotation> refused(byte[] hash, Instant now) {
        return stored(hash)
                .flatMap(s -> {
                    Decision d = decide(s, now);
                    if (d != Decision.REUSED) return Mono.just(new Refused(d));
                    return revokeFamily(s.familyId(), now).map(n -> {
                        log.warn(
                                "a revoked refresh token was used again: family {} revoked ({} open tokens)",
                                s.familyId(),
                                n);
                        return new Refused(d);
                    });
                })
                .cast(Rotation.class)
                .defaultIfEmpty(new Refused(Decision.UNKNOWN));
    }

    private Mono<Stored> stored(byte[] hash) {
        return db.sql("SELECT family_id, expires_at, revoked_at FROM refresh_tokens WHERE token_hash = :h")
                .bind("h", hash)
                .map(r -> new Stored(
                        r.get("family_id", UUID.class),
                        r.get("expires_at", Instant.class),
                        r.get("revoked_at", Instant.class)))
                .one();
    }

    private Mono<Issued> insert(UUID userId, UUID familyId, Instant now) {
        String token = generate();
        Instant expires = now.plus(ttl);
        return db.sql("INSERT INTO refresh_tokens (token_hash, user_id, family_id, created_at, expires_at) "
                        + "VALUES (:h, :u, :f, :now, :exp)")
                .bind("h", hash(token))
                .bind("u", userId)
                .bind("f", familyId)
                .bind("now", now)
                .bind("exp", expires)
                .then()
                .thenReturn(new Issued(token, expires));
    }

    /** 32 random bytes, base64url without padding (43 characters). */
    static String generate() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 of the token's text: what is stored and looked up. */
    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
