package io.logflow.api.live;

import io.logflow.api.web.Params;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/stream/logs?service=&level=&trace_id=}: Server-Sent Events, one {@code log}
 * event per log (data: the ECS document), resumable with {@code Last-Event-ID} (or {@code
 * ?last_event_id=} for clients that cannot set headers). {@code level} is a minimum.
 */
@Component
public class TailHandler {
  private final TailHub hub;

  TailHandler(TailHub hub) {
    this.hub = hub;
  }

  public Mono<ServerResponse> tail(ServerRequest req) {
    TailHub.Filter filter = new TailHub.Filter(
        Params.service("service", req.queryParam("service")),
        Params.level("level", req.queryParam("level")),
        Params.optionalTraceId("trace_id", req.queryParam("trace_id")));
    String lastEventId = req.headers().firstHeader("Last-Event-ID");
    if (lastEventId == null) lastEventId = req.queryParam("last_event_id").orElse(null);
    var events = hub.subscribe(filter, lastEventId);
    return ServerResponse.ok()
        .contentType(MediaType.TEXT_EVENT_STREAM)
        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
        .header("X-Accel-Buffering", "no")
        .body(BodyInserters.fromServerSentEvents(events));
  }
}
