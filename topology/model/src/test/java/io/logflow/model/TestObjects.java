package io.logflow.model;

import static io.logflow.model.SpanRecord.Kind.CLIENT;
import static io.logflow.model.SpanRecord.Kind.CONSUMER;
import static io.logflow.model.SpanRecord.Kind.INTERNAL;
import static io.logflow.model.SpanRecord.Kind.SERVER;

import io.logflow.model.normalize.LogNormalizer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixed fixtures for the model's unit tests, shared by the tests of every model package. */
public final class TestObjects {
    private TestObjects() {}

    /** 2026-01-01T00:00:00Z. */
    public static final long T0 = 1_767_225_600_000L;

    public static final String EVENT_ID = "0123456789abcdef0123456789abcdef";
    public static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    public static final String SPAN_ID = "00f067aa0ba902b7";

    public static final LogRecord LOG = new LogRecord(
            EVENT_ID,
            T0 + 123,
            "orders",
            Level.ERROR,
            "timeout after 30s for order 123",
            TRACE_ID,
            SPAN_ID,
            "req-1",
            "corr-1",
            labels("region", "eu", "http.status", "504"));

    /** T0 in epoch nanoseconds: the start of the trace fixtures. */
    public static final long T0_NANOS = T0 * 1_000_000L;

    /** A span of {@link #TRACE_ID} starting {@code startMillis} after T0, attributes as key, value, ... */
    public static SpanRecord span(
            String spanId,
            String parentSpanId,
            String service,
            String name,
            SpanRecord.Kind kind,
            double startMillis,
            double durationMillis,
            boolean error,
            String... attributes) {
        return new SpanRecord(
                TRACE_ID,
                spanId,
                parentSpanId,
                service,
                name,
                kind,
                T0_NANOS + (long) (startMillis * 1e6),
                (long) (durationMillis * 1e6),
                error ? SpanRecord.Status.ERROR : SpanRecord.Status.OK,
                null,
                null,
                labels(attributes),
                null,
                null,
                null);
    }

    /** A checkout: frontend → orders → payments (fails), orders → mailer via a queue. Times in ms after T0. */
    public static final List<SpanRecord> CHECKOUT = List.of(
            span("000000000000000a", null, "frontend", "GET /checkout", SERVER, 0, 100, false, "http.method", "GET"),
            span("000000000000000b", "000000000000000a", "frontend", "POST orders", CLIENT, 5, 75, false),
            span(
                    "000000000000000c",
                    "000000000000000b",
                    "orders",
                    "POST /orders",
                    SERVER,
                    10,
                    65,
                    false,
                    "order.id",
                    "123"),
            span("000000000000000d", "000000000000000c", "orders", "SELECT orders", CLIENT, 12, 8, false),
            span("000000000000000e", "000000000000000c", "orders", "charge", CLIENT, 20, 50, false),
            span(
                    "000000000000000f",
                    "000000000000000e",
                    "payments",
                    "POST /charge",
                    SERVER,
                    22,
                    46,
                    true,
                    "http.method",
                    "POST"),
            span("0000000000000010", "000000000000000c", "mailer", "send confirmation", CONSUMER, 72, 18, false),
            span("0000000000000011", "000000000000000a", "frontend", "render", INTERNAL, 80, 18, false));

    /** The state of a trace holding {@code spans}. */
    public static TraceState traceState(List<SpanRecord> spans) {
        TraceState state = TraceState.empty(TRACE_ID);
        for (SpanRecord s : spans) state.add(s, Integer.MAX_VALUE);
        return state;
    }

    public static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Normalises JSON text with the fixture id and a record time of T0, expecting acceptance. */
    public static LogRecord accept(String json) {
        LogNormalizer.Result r = LogNormalizer.normalize(utf8(json), EVENT_ID, T0);
        if (r instanceof LogNormalizer.Accepted a) return a.log();
        throw new AssertionError("rejected: " + ((LogNormalizer.Rejected) r).reason());
    }

    public static LogNormalizer.Rejected reject(String json) {
        LogNormalizer.Result r = LogNormalizer.normalize(utf8(json), EVENT_ID, T0);
        if (r instanceof LogNormalizer.Rejected rej) return rej;
        throw new AssertionError("accepted: " + r);
    }
}
