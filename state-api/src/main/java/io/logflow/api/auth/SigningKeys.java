package io.logflow.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.logflow.api.config.LogFlowProperties;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The ES256 keys that sign access tokens, kept in {@code signing_keys} so that every instance signs and verifies
 * alike. The newest unretired key signs. {@link #rotate} adds a key and retires the others; a retired key still
 * verifies (and stays in the JWKS) for {@link #keep}: the access-token lifetime plus this cache's refresh interval
 * and the clock skew allowed, so every token it signed has expired before it goes.
 *
 * <p>A cached copy is read every {@link #REFRESH}, and at once (at most every {@link #MISS_REFRESH}) when a token
 * names a {@code kid} the copy does not have: another instance's new key is found without waiting.
 */
@Component
public final class SigningKeys implements JWKSource<SecurityContext>, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    static final Duration REFRESH = Duration.ofSeconds(60);
    static final Duration MISS_REFRESH = Duration.ofSeconds(5);
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final DatabaseClient db;
    private final Duration keep;
    private final Disposable refresher;
    private volatile Snapshot snapshot;

    /** The signing key and the public keys that verify, as read at {@code loadedAt}. */
    record Snapshot(ECKey signer, JWKSet verifying, Instant loadedAt) {}

    public SigningKeys(DatabaseClient db, LogFlowProperties props) {
        this.db = db;
        this.keep = props.auth().accessTtl().plus(REFRESH).plus(CLOCK_SKEW);
        ensureKey().then(load()).block(TIMEOUT);
        this.refresher = Flux.interval(REFRESH, REFRESH)
                .onBackpressureDrop()
                .concatMap(t -> load().onErrorResume(e -> {
                    log.warn("could not re-read the signing keys (keeping the cached ones): {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    /** The key new tokens are signed with (private). */
    public ECKey signer() {
        return snapshot.signer();
    }

    /** The public keys that verify tokens now: the JWKS. */
    public JWKSet publicKeys() {
        return snapshot.verifying();
    }

    /**
     * Nimbus's key lookup: from the cached copy, re-read at once when nothing matches. May block on PostgreSQL: call
     * it off the event loop.
     */
    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        Snapshot s = snapshot;
        List<JWK> found = selector.select(s.verifying());
        if (found.isEmpty() && s.loadedAt().plus(MISS_REFRESH).isBefore(Instant.now())) {
            load().block(TIMEOUT);
            found = selector.select(snapshot.verifying());
        }
        return found;
    }

    /**
     * Adds a new signing key and retires every other one (they keep verifying for {@link #keep}); returns the new
     * key's id. Every instance signs with it after its next refresh at the latest.
     */
    public Mono<String> rotate() {
        ECKey key = generate();
        return insert(key)
                .then(db.sql("UPDATE signing_keys SET retired_at = :now WHERE retired_at IS NULL AND kid <> :kid")
                        .bind("now", Instant.now())
                        .bind("kid", key.getKeyID())
                        .then())
                .then(load())
                .doOnSuccess(v -> log.info("signing key rotated: new kid {}", key.getKeyID()))
                .thenReturn(key.getKeyID());
    }

    /** Creates the first key when none signs. Two instances starting at once may both add one: both sign validly. */
    private Mono<Void> ensureKey() {
        return db.sql("SELECT count(*) AS n FROM signing_keys WHERE retired_at IS NULL")
                .map(r -> r.get("n", Long.class))
                .one()
                .flatMap(n -> n > 0 ? Mono.<Void>empty() : insert(generate()));
    }

    private Mono<Void> insert(ECKey key) {
        return db.sql("INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at) "
                        + "VALUES (:kid, :private, :public, :created)")
                .bind("kid", key.getKeyID())
                .bind("private", key.toJSONString())
                .bind("public", key.toPublicJWK().toJSONString())
                .bind("created", Instant.now())
                .then();
    }

    private Mono<Void> load() {
        Instant cutoff = Instant.now().minus(keep);
        return db.sql("SELECT kid, private_jwk, public_jwk, retired_at FROM signing_keys "
                        + "WHERE retired_at IS NULL OR retired_at > :cutoff ORDER BY created_at DESC, kid")
                .bind("cutoff", cutoff)
                .map(r -> new Row(
                        r.get("kid", String.class),
                        r.get("private_jwk", String.class),
                        r.get("public_jwk", String.class),
                        r.get("retired_at", Instant.class)))
                .all()
                .collectList()
                .publishOn(Schedulers.boundedElastic())
                .doOnNext(rows -> snapshot = snapshot(rows))
                .then();
    }

    private record Row(String kid, String privateJwk, String publicJwk, Instant retiredAt) {}

    private static Snapshot snapshot(List<Row> rows) {
        ECKey signer = null;
        List<JWK> verifying = new ArrayList<>();
        try {
            for (Row r : rows) {
                if (signer == null && r.retiredAt() == null) signer = ECKey.parse(r.privateJwk());
                verifying.add(JWK.parse(r.publicJwk()));
            }
        } catch (ParseException e) {
            throw new IllegalStateException("a row of signing_keys is not a JWK: " + e.getMessage(), e);
        }
        if (signer == null) throw new IllegalStateException("signing_keys has no unretired key");
        return new Snapshot(signer, new JWKSet(verifying), Instant.now());
    }

    /** A new P-256 key whose id is its RFC 7638 thumbprint. */
    static ECKey generate() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .issueTime(new Date())
                    .generate();
            return new ECKey.Builder(key).keyIDFromThumbprint().build();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an ES256 key", e);
        }
    }

    @Override
    public void destroy() {
        refresher.dispose();
    }
}
