package io.logflow.api.web;

import io.micrometer.context.ContextRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
 *
 * <p>X-Trace-ID: the trace id of LogFlow's own server span. With the OpenTelemetry agent attached
 * ({@code ./logflow up}) that is the agent's span ({@link Span#current()}), whose trace and span ids
 * the agent also puts into every log line's MDC. Without the agent: the trace id of a valid W3C
 * {@code traceparent} request header, else a generated one (32 lowercase hex), put into the MDC as
 * {@code trace_id} by this filter.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIds implements WebFilter {
    public static final String REQUEST_ID = "X-Request-ID";
    public static final String CORRELATION_ID = "X-Correlation-ID";

    /** The request and correlation ids of one request, passed on to the instances it asks. */
    public record Ids(String requestId, String correlationId) {}

    /** The ids this filter gave the request. */
    public static Ids of(org.springframework.web.reactive.function.server.ServerRequest req) {
        return new Ids(req.exchange().getAttribute(REQUEST_ID), req.exchange().getAttribute(CORRELATION_ID));
    }

    static final String TRACE_ID = "X-Trace-ID";
    static final String TRACEPARENT = "traceparent";
    /** MDC keys (and Reactor context keys). */
    static final String MDC_REQUEST_ID = "request_id";

    static final String MDC_CORRELATION_ID = "correlation_id";
    /** The agent's key too: it leaves an MDC that already has one alone, so this is set only without the agent. */
    static final String MDC_TRACE_ID = "trace_id";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static {
        for (String key : new String[] {MDC_REQUEST_ID, MDC_CORRELATION_ID, MDC_TRACE_ID}) {
            ContextRegistry.getInstance()
                    .registerThreadLocalAccessor(key, () -> MDC.get(key), v -> MDC.put(key, v), () -> MDC.remove(key));
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
        SpanContext span = Span.current().getSpanContext();
        String traceId = span.isValid() ? span.getTraceId() : null;
        boolean agentSpan = traceId != null;
        if (traceId == null) traceId = traceIdOf(in.getFirst(TRACEPARENT));
        if (traceId == null) traceId = randomTraceId();
        exchange.getAttributes().put(TRACE_ID, traceId);
        HttpHeaders out = exchange.getResponse().getHeaders();
        out.set(REQUEST_ID, requestId);
        out.set(CORRELATION_ID, correlationId);
        out.set(TRACE_ID, traceId);
        Context ids = Context.of(MDC_REQUEST_ID, requestId, MDC_CORRELATION_ID, correlationId);
        if (!agentSpan) ids = ids.put(MDC_TRACE_ID, traceId);
        return chain.filter(exchange).contextWrite(ids);
    }

    /**
     * The trace id of a W3C {@code traceparent} header ({@code version-traceid-parentid-flags}), or null
     * when it is not valid: lowercase hex fields of 2-32-16-2 digits, version not {@code ff}, trace and
     * parent ids not all zeros; version {@code 00} exactly 55 characters, later versions may append
     * {@code -}fields.
     */
    static String traceIdOf(String traceparent) {
        if (traceparent == null) return null;
        String h = traceparent.strip();
        if (h.length() < 55 || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-') return null;
        if (!lowerHex(h, 0, 2) || !lowerHex(h, 3, 35) || !lowerHex(h, 36, 52) || !lowerHex(h, 53, 55)) return null;
        String version = h.substring(0, 2);
        if (version.equals("ff")) return null;
        if (version.equals("00") ? h.length() != 55 : h.length() > 55 && h.charAt(55) != '-') return null;
        if (allZeros(h, 3, 35) || allZeros(h, 36, 52)) return null;
        return h.substring(3, 35);
    }

    /** 32 random lowercase hex digits, never all zeros. */
    public static String randomTraceId() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long hi;
        long lo;
        do {
            hi = rnd.nextLong();
            lo = rnd.nextLong();
        } while (hi == 0 && lo == 0);
        char[] c = new char[32];
        for (int i = 0; i < 16; i++) {
            c[i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xf];
            c[16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xf];
        }
        return new String(c);
    }

    private static boolean lowerHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    private static boolean allZeros(String s, int from, int to) {
        for (int i = from; i < to; i++) if (s.charAt(i) != '0') return false;
        return true;
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
