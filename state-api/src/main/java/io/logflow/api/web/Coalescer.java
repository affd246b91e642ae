package io.logflow.api.web;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Concurrent identical fan-out queries share one computation: a request arriving while the same
 * query is in flight gets that query's answer (read at most one computation earlier) instead of
 * starting another round of store reads and HTTP calls. Nothing is kept once it is answered.
 */
public final class Coalescer {
    private final ConcurrentHashMap<String, CompletableFuture<Shared>> inFlight = new ConcurrentHashMap<>();

    /** A computation's value, and what of it was read from replicas (every joiner's answer says so too). */
    private record Shared(Object value, Staleness staleness) {}

    @SuppressWarnings("unchecked")
    public <T> Mono<T> join(String key, Supplier<Mono<T>> compute) {
        return Mono.deferContextual(context -> {
            CompletableFuture<Shared> mine = new CompletableFuture<>();
            CompletableFuture<Shared> shared = inFlight.putIfAbsent(key, mine);
            if (shared == null) {
                shared = mine;
                Staleness staleness = new Staleness();
                // runs to completion even if the requester goes away: others may be waiting for it
                compute.get()
                        .contextWrite(ctx -> ctx.put(Staleness.class, staleness)) // above the requester's own
                        .contextWrite(context)
                        .subscribe(
                                v -> {
                                    inFlight.remove(key, mine);
                                    mine.complete(new Shared(v, staleness));
                                },
                                e -> {
                                    inFlight.remove(key, mine);
                                    mine.completeExceptionally(e);
                                },
                                () -> {
                                    if (inFlight.remove(key, mine)) mine.complete(new Shared(null, staleness));
                                });
            }
            return Mono.fromFuture(shared, true)
                    .flatMap(s -> Staleness.note(s.staleness()).then(Mono.justOrEmpty((T) s.value())));
        });
    }

    int inFlight() {
        return inFlight.size();
    }
}
