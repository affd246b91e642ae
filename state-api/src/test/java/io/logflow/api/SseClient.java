package io.logflow.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** A test SSE client: collects every event (comments and id-only events too) into a queue. */
final class SseClient implements AutoCloseable {
    private static final WebClient WEB = WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.builder("sse-test")
                    .maxConnections(2000)
                    .pendingAcquireMaxCount(-1)
                    .build())))
            .build();
    private static final ParameterizedTypeReference<ServerSentEvent<String>> TYPE =
            new ParameterizedTypeReference<>() {};

    final BlockingQueue<ServerSentEvent<String>> events = new LinkedBlockingQueue<>();
    volatile int status;
    volatile boolean completed;
    volatile String lastId;
    private final Disposable subscription;

    private SseClient(String url, String lastEventId, String authorization) {
        subscription = WEB.get()
                .uri(url)
                .headers(h -> {
                    if (lastEventId != null) h.set("Last-Event-ID", lastEventId);
                    if (authorization != null) h.set("Authorization", authorization);
                })
                .exchangeToFlux(resp -> {
                    status = resp.statusCode().value();
                    return resp.statusCode().is2xxSuccessful() ? resp.bodyToFlux(TYPE) : Flux.empty();
                })
                .doOnNext(e -> {
                    if (e.id() != null) lastId = e.id();
                })
                .subscribe(events::add, e -> completed = true, () -> completed = true);
    }

    /** @param authorization the {@code Authorization} header, or null (e.g. a {@code ?ticket=} in the url) */
    static SseClient connect(String url, String lastEventId, String authorization) {
        return new SseClient(url, lastEventId, authorization);
    }

    /** Connects and waits for the first event: the id-only "connected" event of a fresh client. */
    static SseClient connectLive(String url, String authorization) throws InterruptedException {
        SseClient c = new SseClient(url, null, authorization);
        ServerSentEvent<String> first = c.events.poll(10, TimeUnit.SECONDS);
        if (first == null || first.id() == null)
            throw new AssertionError("no connected event from " + url + " (status " + c.status + ")");
        return c;
    }

    /** The next event carrying a log (data), skipping comments and id-only events; null on timeout. */
    ServerSentEvent<String> nextLog(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            ServerSentEvent<String> e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) return null;
            if (e.data() != null) return e;
        }
    }

    /** Log events until {@code quiet} passes without one. */
    List<ServerSentEvent<String>> logsUntilQuiet(Duration quiet) throws InterruptedException {
        List<ServerSentEvent<String>> out = new ArrayList<>();
        ServerSentEvent<String> e;
        while ((e = nextLog(quiet)) != null) out.add(e);
        return out;
    }

    @Override
    public void close() {
        subscription.dispose();
    }
}
