package io.logflow.api.web;

import java.util.concurrent.Callable;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The shared shapes of an answer: a JSON 200, and a blocking read moved off the event loop. */
public final class Responses {
    private Responses() {}

    public static Mono<ServerResponse> json(Object body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    /** Runs a blocking call (a RocksDB store read, a JDBC-like check) on boundedElastic. */
    public static <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }
}
