package io.logflow.model.codec;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fast path of {@link EcsJson#read}: reads the documents {@link EcsJson#write} produces (no
 * whitespace, every value a string, only the ECS names) without a Jackson parser, with exactly the
 * result of the Jackson reader, including the exceptions it throws on a bad time or level. For
 * anything else (whitespace, another name, a value that is not a string, an escape it does not
 * decode, a byte sequence that is not plain UTF-8, content after the object) it returns null and
 * EcsJson reads the document with Jackson.
 */
final class EcsReader {
    private static final byte[][] NAMES = JsonCursor.names(
            EcsJson.TIMESTAMP,
            EcsJson.EVENT_ID,
            EcsJson.SERVICE,
            EcsJson.LEVEL,
            EcsJson.MESSAGE,
            EcsJson.TRACE_ID,
            EcsJson.SPAN_ID,
            EcsJson.REQUEST_ID,
            EcsJson.LABELS);
    private static final int TIMESTAMP = 0,
            EVENT_ID = 1,
            SERVICE = 2,
            LEVEL = 3,
            MESSAGE = 4,
            TRACE_ID = 5,
            SPAN_ID = 6,
            REQUEST_ID = 7,
            LABELS = 8;

    private final JsonCursor in;

    private EcsReader(byte[] b) {
        this.in = new JsonCursor(b);
    }

    /** The log, or null when the Jackson reader must read this document. */
    static LogRecord read(byte[] json) {
        return new EcsReader(json).document();
    }

    private LogRecord document() {
        String eventId = null,
                service = null,
                message = null,
                traceId = null,
                spanId = null,
                requestId = null,
                correlationId = null;
        Level level = Level.INFO;
        long timestamp = 0;
        Map<String, String> labels = Map.of();
        if (in.b.length < 2 || !in.expect('{')) return null;
        if (!in.expect('}')) {
            while (true) {
                int name = in.knownName(NAMES);
                if (name < 0 || !in.expect(':')) return null;
                if (name == LABELS) {
                    if (!in.expect('{')) return null;
                    labels = new LinkedHashMap<>();
                    if (!in.expect('}')) {
                        while (true) {
                            String k = in.string();
                            if (k == null || k.length() > JsonCursor.MAX_FAST_NAME || !in.expect(':'))
                                return null; // Jackson limits name lengths
                            String v = in.string();
                            if (v == null) return null;
                            if (EcsJson.CORRELATION_LABEL.equals(k)) correlationId = v;
                            else labels.put(k, v);
                            int c = in.next();
                            if (c == '}') break;
                            if (c != ',') return null;
                        }
                    }
                } else {
                    String v = in.string();
                    if (v == null) return null;
                    switch (name) {
                        case TIMESTAMP -> timestamp = EcsJson.parseInstant(v);
                        case EVENT_ID -> eventId = v;
                        case SERVICE -> service = v;
                        case LEVEL -> level = Level.valueOf(v);
                        case MESSAGE -> message = v;
                        case TRACE_ID -> traceId = v;
                        case SPAN_ID -> spanId = v;
                        default -> requestId = v;
                    }
                }
                int c = in.next();
                if (c == '}') break;
                if (c != ',') return null;
            }
        }
        if (!in.atEnd()) return null;
        return new LogRecord(
                eventId, timestamp, service, level, message, traceId, spanId, requestId, correlationId, labels);
    }
}
