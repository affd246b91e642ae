package io.logflow.model.codec;

import io.logflow.model.SpanRecord;
import java.util.Map;

/**
 * The fast path of {@link SpanJson#write}: writes the span document straight into a reused byte
 * buffer ({@link JsonOut}), byte for byte what Jackson's generator writes. Returns null for what it
 * does not write itself (a lone surrogate, a null string or map entry, a negative duration, a start
 * outside years 1970-9999), and SpanJson lets Jackson write it.
 */
final class SpanJsonWriter extends JsonOut {
    private static final ThreadLocal<SpanJsonWriter> WRITERS = ThreadLocal.withInitial(SpanJsonWriter::new);

    private SpanJsonWriter() {}

    static byte[] write(SpanRecord s) {
        return write(WRITERS, s, SpanJsonWriter::doWrite);
    }

    private boolean doWrite(SpanRecord s) {
        long millis = s.startMillis();
        if (millis < 0 || millis > MAX_FAST_MILLIS || s.durationNanos() < 0) return false;
        raw("{\"" + SpanJson.TIMESTAMP + "\":\"");
        timestamp(millis, true);
        byte1('"');
        if (!property(SpanJson.TRACE_ID, s.traceId()) || !property(SpanJson.SPAN_ID, s.spanId())) return false;
        if (s.parentSpanId() != null && !property(SpanJson.PARENT_ID, s.parentSpanId())) return false;
        if (!property(SpanJson.SERVICE, s.service()) || !property(SpanJson.NAME, s.name())) return false;
        raw(",\"" + SpanJson.KIND + "\":\"");
        raw(s.kind().name());
        raw("\",\"" + SpanJson.START_NS + "\":");
        number(s.startNanos());
        raw(",\"" + SpanJson.DURATION_NS + "\":");
        number(s.durationNanos());
        raw(",\"" + SpanJson.DURATION_MS + "\":");
        millisOf(s.durationNanos());
        raw(",\"" + SpanJson.STATUS_CODE + "\":\"");
        raw(s.status().name());
        byte1('"');
        if (s.statusMessage() != null && !property(SpanJson.STATUS_MESSAGE, s.statusMessage())) return false;
        if (s.scope() != null && !property(SpanJson.SCOPE, s.scope())) return false;
        byte1(',');
        if (!map(SpanJson.ATTRIBUTES, s.attributes())) return false;
        byte1(',');
        if (!map(SpanJson.RESOURCE, s.resource())) return false;
        if (!s.events().isEmpty()) {
            raw(",\"" + SpanJson.EVENTS + "\":[");
            boolean first = true;
            for (SpanRecord.Event e : s.events()) {
                if (!first) byte1(',');
                first = false;
                raw("{\"" + SpanJson.EVENT_TIME_NS + "\":");
                number(e.timeNanos());
                if (!property(SpanJson.EVENT_NAME, e.name())) return false;
                byte1(',');
                if (!map(SpanJson.ATTRIBUTES, e.attributes())) return false;
                byte1('}');
            }
            byte1(']');
        }
        if (!s.links().isEmpty()) {
            raw(",\"" + SpanJson.LINKS + "\":[");
            boolean first = true;
            for (SpanRecord.Link l : s.links()) {
                if (!first) byte1(',');
                first = false;
                byte1('{');
                raw("\"" + SpanJson.TRACE_ID + "\":");
                if (l.traceId() == null || !string(l.traceId()) || !property(SpanJson.SPAN_ID, l.spanId()))
                    return false;
                byte1(',');
                if (!map(SpanJson.ATTRIBUTES, l.attributes())) return false;
                byte1('}');
            }
            byte1(']');
        }
        byte1('}');
        return true;
    }

    /** {@code ,"name":"value"}; false for a null value or one Jackson must write. */
    private boolean property(String name, String value) {
        if (value == null) return false;
        byte1(',');
        byte1('"');
        raw(name);
        raw("\":");
        return string(value);
    }

    /** {@code "name":{...}} of string values. */
    private boolean map(String name, Map<String, String> map) {
        byte1('"');
        raw(name);
        raw("\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) return false;
            if (!first) byte1(',');
            first = false;
            if (!string(e.getKey())) return false;
            byte1(':');
            if (!string(e.getValue())) return false;
        }
        byte1('}');
        return true;
    }

    /** Nanoseconds as milliseconds, exactly and without trailing zeros (BigDecimal's plain string). */
    private void millisOf(long nanos) {
        number(nanos / 1_000_000);
        int frac = (int) (nanos % 1_000_000);
        if (frac == 0) return;
        int width = 6;
        while (frac % 10 == 0) {
            frac /= 10;
            width--;
        }
        byte1('.');
        ensure(width);
        digits(frac, width);
    }
}
