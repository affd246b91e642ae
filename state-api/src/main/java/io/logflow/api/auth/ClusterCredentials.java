package io.logflow.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * This instance's cluster token (ADR 027), put on every {@code /internal/**} call it makes to the others: signed
 * with the deployment's shared key, so no secret has to be handed to each instance, and renewed a minute before it
 * expires.
 */
@Component
public class ClusterCredentials {
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

    private final AccessTokens tokens;
    private final Clock clock;
    private final String instanceId = UUID.randomUUID().toString();
    private final AtomicReference<Held> held = new AtomicReference<>();

    private record Held(String token, Instant renewAt) {}

    public ClusterCredentials(AccessTokens tokens) {
        this.tokens = tokens;
        this.clock = Clock.systemUTC();
    }

    /** The filter for the instance-to-instance client: adds {@code Authorization: Bearer <cluster token>}. */
    public ExchangeFilterFunction filter() {
        return (request, next) -> token().flatMap(t -> next.exchange(ClientRequest.from(request)
                .headers(h -> h.set(HttpHeaders.AUTHORIZATION, "Bearer " + t))
                .build()));
    }

    Mono<String> token() {
        Held h = held.get();
        if (h != null && clock.instant().isBefore(h.renewAt())) return Mono.just(h.token());
        // signing may read the key from PostgreSQL the first time: off the event loop
        return Mono.fromCallable(() -> {
                    AccessTokens.Issued issued = tokens.clusterToken(instanceId);
                    Held next = new Held(
                            issued.token(), clock.instant().plus(issued.ttl()).minus(RENEW_BEFORE));
                    held.set(next);
                    return next.token();
                })
                .subscribeOn(Schedulers.boundedElastic());
    }
}
