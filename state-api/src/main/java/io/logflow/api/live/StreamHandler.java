package io.logflow.api.live;

import io.logflow.api.web.Params;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The two Server-Sent Event streams, each resumable with {@code Last-Event-ID} (or {@code
 * ?last_event_id=} for clients that cannot set headers): {@code GET
 * /api/v1/stream/logs?service=&level=&trace_id=}, one {@code log} event per log (data: the ECS
 * document; {@code level} is a minimum), and {@code GET /api/v1/stream/alerts}, one {@code alert}
 * event per alert event.
 */
@Component
public class StreamHandler {
    private final TailHub tail;
    private final AlertHub alerts;

    StreamHandler(TailHub tail, AlertHub alerts) {
        this.tail = tail;
        this.alerts = alerts;
    }

    public Mono<ServerResponse> logs(ServerRequest req) {
        TailHub.Filter filter = new TailHub.Filter(
                Params.service("service", req.queryParam("service")),
                Params.level("level", req.queryParam("level")),
                Params.optionalTraceId("trace_id", req.queryParam("trace_id")));
        return sse(tail.subscribe(filter, lastEventId(req)));
    }

    public Mono<ServerResponse> alerts(ServerRequest req) {
        return sse(alerts.subscribe(lastEventId(req)));
    }

    private static String lastEventId(ServerRequest req) {
        String id = req.headers().firstHeader("Last-Event-ID");
        return id != null ? id : req.queryParam("last_event_id").orElse(null);
    }

    private static Mono<ServerResponse> sse(Flux<ServerSentEvent<String>> events) {
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no")
                .body(BodyInserters.fromServerSentEvents(events));
    }
}
