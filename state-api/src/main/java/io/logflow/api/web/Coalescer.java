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
    private final ConcurrentHashMap<String, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public <T> Mono<T> join(String key, Supplier<Mono<T>> compute) {
        return Mono.deferContextual(context -> {
            CompletableFuture<Object> mine = new CompletableFuture<>();
            CompletableFuture<Object> shared = inFlight.putIfAbsent(key, mine);
            if (shared == null) {
                shared = mine;
                // runs to completion even if the requester goes away: others may be waiting for it
                compute.get()
                        .contextWrite(context)
                        .subscribe(
                                v -> {
                                    inFlight.remove(key, mine);
                                    mine.complete(v);
                                },
                                e -> {
                                    inFlight.remove(key, mine);
                                    mine.completeExceptionally(e);
                                },
                                () -> {
                                    if (inFlight.remove(key, mine)) mine.complete(null);
                                });
            }
            return Mono.fromFuture(shared, true).map(v -> (T) v);
        });
    }

    int inFlight() {
        return inFlight.size();
    }
}
