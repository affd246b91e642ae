package io.logflow.api;

import static io.logflow.model.SpanRecord.Kind.CLIENT;
import static io.logflow.model.SpanRecord.Kind.SERVER;

import io.logflow.api.query.Counts;
import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanMetrics;
import io.logflow.model.SpanRecord;
import io.logflow.model.TopErrors;
import io.logflow.model.TraceState;
import io.logflow.model.TraceSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * Fixed fixtures for state-api's unit tests: one checkout trace (gateway → orders → payments, the
 * payment failing), its logs, and the statistics the query API merges. Integration tests use random
 * ids instead. {@link LogCounts} and {@link SpanMetrics} are mutable: made anew by each call.
 */
public final class TestObjects {
    private TestObjects() {}

    /** The auth settings of unit tests: this issuer and audience, 15 min access tokens, no admin password. */
    public static final io.logflow.api.config.LogFlowProperties.Auth AUTH =
            new io.logflow.api.config.LogFlowProperties.Auth(
                    "logflow",
                    "logflow-api",
                    java.time.Duration.ofMinutes(15),
                    java.time.Duration.ofDays(7),
                    null,
                    java.nio.file.Path.of("unused"),
                    null,
                    null,
                    true);

    /** 2026-01-01T00:00:00Z: the clock of the handler tests and the start of the trace. */
    public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    public static final long T0 = NOW.toEpochMilli();
    public static final long T0_NANOS = T0 * 1_000_000L;

    public static final String GATEWAY = "gateway";
    public static final String ORDERS = "orders";
    public static final String PAYMENTS = "payments";

    public static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    public static final String ROOT_SPAN_ID = "00000000000000a1";
    public static final String ORDERS_SPAN_ID = "00000000000000b2";
    public static final String ORDERS_DB_SPAN_ID = "00000000000000b3";
    public static final String PAYMENTS_SPAN_ID = "00000000000000c4";

    /** A span of {@link #TRACE_ID} starting {@code startMs} after {@link #NOW}. */
    public static SpanRecord span(
            String spanId,
            String parentSpanId,
            String service,
            String name,
            SpanRecord.Kind kind,
            long startMs,
            long durationMs,
            Map<String, String> resource) {
        return new SpanRecord(
                TRACE_ID,
                spanId,
                parentSpanId,
                service,
                name,
                kind,
                T0_NANOS + startMs * 1_000_000L,
                durationMs * 1_000_000L,
                SpanRecord.Status.OK,
                null,
                "io.opentelemetry.http",
                Map.of(),
                resource,
                List.of(),
                List.of());
    }

    /** The root: gateway, 0–100 ms. */
    public static final SpanRecord ROOT =
            span(ROOT_SPAN_ID, null, GATEWAY, "GET /checkout", SERVER, 0, 100, Map.of("host.name", "gateway-1"));
    /** orders, 10–80 ms, child of the root. */
    public static final SpanRecord ORDERS_SPAN =
            span(ORDERS_SPAN_ID, ROOT_SPAN_ID, ORDERS, "POST /orders", SERVER, 10, 70, Map.of("host.name", "orders-1"));
    /** orders' database call, 12–20 ms: the first child of {@link #ORDERS_SPAN}. */
    public static final SpanRecord ORDERS_DB_SPAN = span(
            ORDERS_DB_SPAN_ID, ORDERS_SPAN_ID, ORDERS, "SELECT orders", CLIENT, 12, 8, Map.of("host.name", "orders-1"));
    /** payments, 25–75 ms, the second child of {@link #ORDERS_SPAN}: status ERROR with an exception event. */
    public static final SpanRecord PAYMENTS_SPAN = new SpanRecord(
            TRACE_ID,
            PAYMENTS_SPAN_ID,
            ORDERS_SPAN_ID,
            PAYMENTS,
            "POST /charge",
            SERVER,
            T0_NANOS + 25_000_000L,
            50_000_000L,
            SpanRecord.Status.ERROR,
            "card declined",
            "io.opentelemetry.http",
            Map.of("http.response.status_code", "402"),
            Map.of(),
            List.of(new SpanRecord.Event(
                    T0_NANOS + 70_000_000L, "exception", Map.of("exception.type", "CardDeclined"))),
            List.of());

    /** The checkout trace in start order. */
    public static final List<SpanRecord> TRACE = List.of(ROOT, ORDERS_SPAN, ORDERS_DB_SPAN, PAYMENTS_SPAN);

    /** The state of a trace holding {@code spans}. */
    public static TraceState traceState(List<SpanRecord> spans) {
        TraceState state = TraceState.empty(spans.get(0).traceId());
        for (SpanRecord s : spans) state.add(s, Integer.MAX_VALUE);
        return state;
    }

    /** The summary of {@link #TRACE}: 4 spans, 1 error, 100 ms. */
    public static final TraceSummary TRACE_SUMMARY = traceState(TRACE).summary();

    /**
     * A summary of a one-span gateway trace starting {@code startMs} after {@link #NOW}, counting {@code spanCount}
     * spans.
     */
    public static TraceSummary summary(String traceId, long startMs, int spanCount) {
        return new TraceSummary(
                traceId,
                GATEWAY,
                "GET /checkout",
                true,
                T0_NANOS + startMs * 1_000_000L,
                100_000_000L,
                spanCount,
                0,
                List.of(GATEWAY),
                List.of(),
                List.of());
    }

    /** A log {@code offsetMs} after {@link #NOW}, of {@link #TRACE_ID} when it has a span id. */
    public static LogRecord log(
            String eventId, long offsetMs, String service, Level level, String message, String spanId) {
        return new LogRecord(
                eventId,
                T0 + offsetMs,
                service,
                level,
                message,
                spanId == null ? null : TRACE_ID,
                spanId,
                "req-1",
                "corr-1",
                Map.of());
    }

    /** gateway, INFO, written in the root span. */
    public static final LogRecord LOG_INFO =
            log("00000000000000000000000000000001", 1, GATEWAY, Level.INFO, "GET /checkout received", ROOT_SPAN_ID);
    /** payments, ERROR, written in the failing span. */
    public static final LogRecord LOG_ERROR = log(
            "00000000000000000000000000000002",
            70,
            PAYMENTS,
            Level.ERROR,
            "card declined for order 123",
            PAYMENTS_SPAN_ID);
    /** orders, INFO, outside any trace. */
    public static final LogRecord LOG_UNTRACED =
            log("00000000000000000000000000000003", 200, ORDERS, Level.INFO, "cache warmed", null);

    /** One log per level given, the i-th at {@link #NOW} + i seconds. */
    public static LogCounts logCounts(Level... levels) {
        LogCounts c = new LogCounts();
        for (int i = 0; i < levels.length; i++) c.add(levels[i], T0 + i * 1000L);
        return c;
    }

    /** {@link #logCounts} as the API's counts. */
    public static Counts counts(Level... levels) {
        long[] byLevel = new long[Level.values().length];
        for (Level l : levels) byLevel[l.ordinal()]++;
        return levels.length == 0
                ? new Counts(byLevel, null, null)
                : new Counts(byLevel, T0, T0 + (levels.length - 1) * 1000L);
    }

    /** An error template seen {@code count} times, last {@code lastSeenMs} after {@link #NOW}. */
    public static TopErrors.Entry error(String template, long count, long lastSeenMs) {
        return new TopErrors.Entry(template, count, template.replace("<n>", "30"), null, T0 + lastSeenMs);
    }

    public static final TopErrors.Entry TIMEOUT = error("timeout after <n>s", 3, 2_000);
    public static final TopErrors.Entry CARD_DECLINED =
            new TopErrors.Entry("card declined for order <n>", 2, "card declined for order 123", TRACE_ID, T0 + 70);

    /** One call per duration (milliseconds), the first {@code errors} of them failed. */
    public static SpanMetrics spanMetrics(int errors, long... durationsMs) {
        SpanMetrics m = SpanMetrics.empty();
        for (int i = 0; i < durationsMs.length; i++) m.add(durationsMs[i] * 1_000_000L, i < errors);
        return m;
    }

    /** A query string: name, value, name, value, ... (a name may repeat). */
    public static MultiValueMap<String, String> query(String... namesAndValues) {
        MultiValueMap<String, String> q = new LinkedMultiValueMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) q.add(namesAndValues[i], namesAndValues[i + 1]);
        return q;
    }

    /** A view's arguments as the asking instance sends them: null values left out, every value as text. */
    public static MultiValueMap<String, String> asQuery(Map<String, ?> arguments) {
        MultiValueMap<String, String> q = new LinkedMultiValueMap<>();
        arguments.forEach((k, v) -> {
            if (v != null) q.add(k, String.valueOf(v));
        });
        return q;
    }

    /**
     * Settings with only the given parts (each in the component of its type), the rest null: a test names what it
     * uses, and a new part of {@link io.logflow.api.config.LogFlowProperties} changes no test.
     */
    public static io.logflow.api.config.LogFlowProperties properties(Record... parts) {
        var components = io.logflow.api.config.LogFlowProperties.class.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) types[i] = components[i].getType();
        for (Record part : parts) {
            int i = java.util.Arrays.asList(types).indexOf(part.getClass());
            if (i < 0) throw new IllegalArgumentException("no settings part of type " + part.getClass());
            args[i] = part;
        }
        try {
            return io.logflow.api.config.LogFlowProperties.class
                    .getDeclaredConstructor(types)
                    .newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
