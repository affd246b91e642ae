package io.logflow.model;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fixed fixtures for the model's unit tests. */
final class TestObjects {
  private TestObjects() {}

  /** 2026-01-01T00:00:00Z. */
  static final long T0 = 1_767_225_600_000L;
  static final String EVENT_ID = "0123456789abcdef0123456789abcdef";
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN_ID = "00f067aa0ba902b7";

  static final LogRecord LOG = new LogRecord(EVENT_ID, T0 + 123, "orders", Level.ERROR, "timeout after 30s for order 123",
      TRACE_ID, SPAN_ID, "req-1", "corr-1", labels("region", "eu", "http.status", "504"));

  /** T0 in epoch nanoseconds: the start of the trace fixtures. */
  static final long T0_NANOS = T0 * 1_000_000L;

  /** A span of {@link #TRACE_ID} starting {@code startMillis} after T0, attributes as key, value, ... */
  static SpanRecord span(String spanId, String parentSpanId, String service, String name, SpanRecord.Kind kind,
      double startMillis, double durationMillis, boolean error, String... attributes) {
    return new SpanRecord(TRACE_ID, spanId, parentSpanId, service, name, kind, T0_NANOS + (long) (startMillis * 1e6),
        (long) (durationMillis * 1e6), error ? SpanRecord.Status.ERROR : SpanRecord.Status.OK, null, null,
        labels(attributes), null, null, null);
  }

  static Map<String, String> labels(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Normalises JSON text with the fixture id and a record time of T0, expecting acceptance. */
  static LogRecord accept(String json) {
    LogNormalizer.Result r = LogNormalizer.normalize(utf8(json), EVENT_ID, T0);
    if (r instanceof LogNormalizer.Accepted a) return a.log();
    throw new AssertionError("rejected: " + ((LogNormalizer.Rejected) r).reason());
  }

  static LogNormalizer.Rejected reject(String json) {
    LogNormalizer.Result r = LogNormalizer.normalize(utf8(json), EVENT_ID, T0);
    if (r instanceof LogNormalizer.Rejected rej) return rej;
    throw new AssertionError("accepted: " + r);
  }
}
