package io.logflow.api.live;

import io.logflow.api.web.ApiException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * The SSE clients of one hub: admission up to a limit, and per client an {@link Outbox} — a bounded
 * buffer that a hub thread fills without waiting; a client that lets it overflow is dropped
 * (counted), its stream ends with a "dropped" comment and it may resume with its last id.
 */
final class SseClients {
    private static final Logger log = LoggerFactory.getLogger(SseClients.class);

    private final String kind;
    private final String maxClientsEnv;
    private final int maxClients;
    private final int buffer;
    private final Runnable onDrop;
    private final Runnable onRefuse;
    private final AtomicInteger connected = new AtomicInteger();

    /**
     * @param kind names the clients in messages ("live-tail", "alert-stream")
     * @param maxClientsEnv the setting that raises {@code maxClients}, named in the 503
     * @param onDrop counts a dropped client
     * @param onRefuse counts a client refused at the limit
     */
    SseClients(String kind, String maxClientsEnv, int maxClients, int buffer, Runnable onDrop, Runnable onRefuse) {
        this.kind = kind;
        this.maxClientsEnv = maxClientsEnv;
        this.maxClients = maxClients;
        this.buffer = buffer;
        this.onDrop = onDrop;
        this.onRefuse = onRefuse;
    }

    int connected() {
        return connected.get();
    }

    /**
     * A new client's outbox, counted as connected until its stream ({@link Outbox#stream}) ends.
     *
     * @throws ApiException 503 at the client limit
     */
    Outbox admit() {
        if (connected.incrementAndGet() > maxClients) {
            connected.decrementAndGet();
            onRefuse.run();
            throw ApiException.unavailable(
                    "this instance already serves " + maxClients + " " + kind + " clients (" + maxClientsEnv + ")",
                    Duration.ofSeconds(10));
        }
        return new Outbox();
    }

    /** One client's bounded buffer of events, and the signal that ends its stream. */
    final class Outbox {
        private final Sinks.Many<ServerSentEvent<String>> sink = Sinks.many()
                .unicast()
                .onBackpressureBuffer(
                        Queues.<ServerSentEvent<String>>get(buffer).get());
        private final Sinks.Empty<Void> kill = Sinks.empty();
        private volatile boolean closed;
        private volatile boolean dropped;

        private Outbox() {}

        /** True once the client's stream ended (cancelled, completed, dropped). */
        boolean closed() {
            return closed;
        }

        boolean dropped() {
            return dropped;
        }

        /** Live delivery on a hub thread: never waits; a full buffer drops the client. */
        boolean offer(ServerSentEvent<String> e) {
            if (closed) return false;
            Sinks.EmitResult r = sink.tryEmitNext(e);
            if (r.isSuccess()) return true;
            if (r == Sinks.EmitResult.FAIL_OVERFLOW) drop();
            return false;
        }

        /** Catch-up delivery: waits (up to 30 s) for the client to make room, else drops it. */
        boolean put(ServerSentEvent<String> e) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!closed) {
                Sinks.EmitResult r = sink.tryEmitNext(e);
                if (r.isSuccess()) return true;
                if (r != Sinks.EmitResult.FAIL_OVERFLOW) return false;
                if (System.nanoTime() > deadline) {
                    drop();
                    return false;
                }
                LockSupport.parkNanos(2_000_000);
            }
            return false;
        }

        /** Drops the client: counted and logged once; its stream ends with a "dropped" comment. */
        void drop() {
            if (!dropped) {
                dropped = true;
                onDrop.run();
                log.info("dropping a {} client whose buffer of {} events overflowed", kind, buffer);
            }
            kill.tryEmitEmpty();
        }

        /** Ends the client's stream (shutdown, failed resume). */
        void end() {
            kill.tryEmitEmpty();
        }

        /** What the hub put in the buffer. */
        Flux<ServerSentEvent<String>> events() {
            return sink.asFlux();
        }

        /**
         * The client's SSE stream: {@code body} until the client is dropped or ended, then the "dropped"
         * comment if it was dropped. When it terminates the outbox closes, {@code onClose} runs and the
         * client no longer counts as connected.
         */
        Flux<ServerSentEvent<String>> stream(Flux<ServerSentEvent<String>> body, Runnable onClose) {
            return body.takeUntilOther(kill.asMono())
                    .concatWith(Mono.fromSupplier(() -> dropped
                            ? ServerSentEvent.<String>builder()
                                    .comment("dropped: this client fell " + buffer
                                            + " events behind; reconnect to resume")
                                    .build()
                            : null))
                    .doFinally(s -> {
                        closed = true;
                        onClose.run();
                        connected.decrementAndGet();
                    });
        }
    }
}
