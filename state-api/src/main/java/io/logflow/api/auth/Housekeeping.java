package io.logflow.api.auth;

import io.logflow.api.config.LogFlowProperties;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Removes what can never verify again, hourly: refresh tokens a day past their expiry (an expired token is refused
 * the same whether its row is there or not) and signing keys retired longer ago than they verify ({@link
 * SigningKeys} stops reading them then). Every instance runs it; the deletes are idempotent.
 */
@Component
public final class Housekeeping implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    static final Duration EVERY = Duration.ofHours(1);
    static final Duration EXPIRED_KEPT = Duration.ofDays(1);

    private final DatabaseClient db;
    private final Duration keyKeep;
    private final Disposable schedule;

    Housekeeping(DatabaseClient db, LogFlowProperties props) {
        this.db = db;
        this.keyKeep = props.auth().accessTtl().plus(SigningKeys.REFRESH).plus(SigningKeys.CLOCK_SKEW);
        this.schedule = Flux.interval(Duration.ofMinutes(1), EVERY)
                .onBackpressureDrop()
                .concatMap(t -> sweep(Instant.now()).onErrorResume(e -> {
                    log.warn("auth housekeeping failed (next try in {}): {}", EVERY, e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    /** Deletes what was past use at {@code now}; answers how many rows went. */
    public Mono<Long> sweep(Instant now) {
        Mono<Long> tokens = db.sql("DELETE FROM refresh_tokens WHERE expires_at < :cutoff")
                .bind("cutoff", now.minus(EXPIRED_KEPT))
                .fetch()
                .rowsUpdated();
        Mono<Long> keys = db.sql("DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < :cutoff")
                .bind("cutoff", now.minus(keyKeep))
                .fetch()
                .rowsUpdated();
        return tokens.zipWith(keys, (t, k) -> {
            if (t + k > 0) log.info("auth housekeeping: {} expired refresh tokens, {} retired keys removed", t, k);
            return t + k;
        });
    }

    @Override
    public void destroy() {
        schedule.dispose();
    }
}
