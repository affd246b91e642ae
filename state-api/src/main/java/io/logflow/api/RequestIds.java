package io.logflow.api;

import io.micrometer.context.ContextRegistry;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * X-Request-ID and X-Correlation-ID: taken from the request when well-formed, generated otherwise,
 * echoed on every response (errors included) and put into the Reactor context, from which
 * context-propagation copies them into the SLF4J MDC of every log line written for the request.
 * The correlation id defaults to the request id.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIds implements WebFilter {
  static final String REQUEST_ID = "X-Request-ID";
  static final String CORRELATION_ID = "X-Correlation-ID";
  /** MDC keys (and Reactor context keys). */
  static final String MDC_REQUEST_ID = "request_id";
  static final String MDC_CORRELATION_ID = "correlation_id";

  static {
    for (String key : new String[] {MDC_REQUEST_ID, MDC_CORRELATION_ID}) {
      ContextRegistry.getInstance().registerThreadLocalAccessor(key, () -> MDC.get(key), v -> MDC.put(key, v), () -> MDC.remove(key));
    }
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    HttpHeaders in = exchange.getRequest().getHeaders();
    String requestId = valid(in.getFirst(REQUEST_ID));
    if (requestId == null) requestId = UUID.randomUUID().toString();
    String correlationId = valid(in.getFirst(CORRELATION_ID));
    if (correlationId == null) correlationId = requestId;
    exchange.getAttributes().put(REQUEST_ID, requestId);
    exchange.getAttributes().put(CORRELATION_ID, correlationId);
    HttpHeaders out = exchange.getResponse().getHeaders();
    out.set(REQUEST_ID, requestId);
    out.set(CORRELATION_ID, correlationId);
    return chain.filter(exchange).contextWrite(Context.of(MDC_REQUEST_ID, requestId, MDC_CORRELATION_ID, correlationId));
  }

  /** Ids are echoed into headers and logs: accept only short printable ASCII without separators. */
  static String valid(String id) {
    if (id == null || id.isEmpty() || id.length() > 128) return null;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return null;
    }
    return id;
  }
}
