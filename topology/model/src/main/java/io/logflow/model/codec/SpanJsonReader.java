package io.logflow.model.codec;

import io.logflow.model.SpanRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast path of {@link SpanJson#read}: reads the documents {@link SpanJson#write} produces
 * without a Jackson parser, with exactly the result of the Jackson reader, including the exceptions
 * it throws on a bad time, kind or status. For anything else (whitespace, a name it does not know,
 * a null, a value of another type, what {@link JsonCursor} refuses) it returns null and SpanJson
 * reads the document with Jackson.
 */
final class SpanJsonReader {
    private static final byte[][] NAMES = JsonCursor.names(
            SpanJson.TIMESTAMP,
            SpanJson.TRACE_ID,
            SpanJson.SPAN_ID,
            SpanJson.PARENT_ID,
            SpanJson.SERVICE,
            SpanJson.NAME,
            SpanJson.KIND,
            SpanJson.START_NS,
            SpanJson.DURATION_NS,
            SpanJson.DURATION_MS,
            SpanJson.STATUS_CODE,
            SpanJson.STATUS_MESSAGE,
            SpanJson.SCOPE,
            SpanJson.ATTRIBUTES,
            SpanJson.RESOURCE,
            SpanJson.EVENTS,
            SpanJson.LINKS);
    private static final int TIMESTAMP = 0,
            TRACE_ID = 1,
            SPAN_ID = 2,
            PARENT_ID = 3,
            SERVICE = 4,
            NAME = 5,
            KIND = 6,
            START_NS = 7,
            DURATION_NS = 8,
            DURATION_MS = 9,
            STATUS_CODE = 10,
            STATUS_MESSAGE = 11,
            SCOPE = 12,
            ATTRIBUTES = 13,
            RESOURCE = 14,
            EVENTS = 15,
            LINKS = 16;
    private static final byte[][] EVENT_NAMES =
            JsonCursor.names(SpanJson.EVENT_TIME_NS, SpanJson.EVENT_NAME, SpanJson.ATTRIBUTES);
    private static final byte[][] LINK_NAMES =
            JsonCursor.names(SpanJson.TRACE_ID, SpanJson.SPAN_ID, SpanJson.ATTRIBUTES);

    /** Thrown inside the reader to hand the document to Jackson; never escapes {@link #read}. */
    private static final class Refused extends RuntimeException {
        Refused() {
            super(null, null, false, false);
        }
    }

    private static final Refused REFUSED = new Refused();

    private final JsonCursor in;

    private SpanJsonReader(byte[] b) {
        this.in = new JsonCursor(b);
    }

    /** The span, or null when the Jackson reader must read this document. */
    static SpanRecord read(byte[] json) {
        try {
            return new SpanJsonReader(json).document();
        } catch (Refused e) {
            return null;
        }
    }

    private SpanRecord document() {
        SpanJson.Fields f = new SpanJson.Fields();
        expect('{');
        if (!in.expect('}')) {
            while (true) {
                int field = in.knownName(NAMES);
                if (field < 0) throw REFUSED;
                expect(':');
                switch (field) {
                    case TIMESTAMP -> f.timestampMs = EcsJson.parseInstant(string());
                    case TRACE_ID -> f.traceId = string();
                    case SPAN_ID -> f.spanId = string();
                    case PARENT_ID -> f.parentId = string();
                    case SERVICE -> f.service = string();
                    case NAME -> f.name = string();
                    case KIND -> f.kind = SpanRecord.Kind.valueOf(string());
                    case START_NS -> f.startNs = integer();
                    case DURATION_NS -> f.durationNs = integer();
                    case DURATION_MS -> number();
                    case STATUS_CODE -> f.status = SpanRecord.Status.valueOf(string());
                    case STATUS_MESSAGE -> f.statusMessage = string();
                    case SCOPE -> f.scope = string();
                    case ATTRIBUTES -> f.attributes = map();
                    case RESOURCE -> f.resource = map();
                    case EVENTS -> f.events = events();
                    default -> f.links = links();
                }
                if (!more('}')) break;
            }
        }
        if (!in.atEnd()) throw REFUSED;
        return f.span();
    }

    private Map<String, String> map() {
        expect('{');
        Map<String, String> map = new LinkedHashMap<>();
        if (in.expect('}')) return map;
        while (true) {
            String k = string();
            if (k.length() > JsonCursor.MAX_FAST_NAME) throw REFUSED; // Jackson limits name lengths
            expect(':');
            map.put(k, string());
            if (!more('}')) return map;
        }
    }

    private List<SpanRecord.Event> events() {
        expect('[');
        List<SpanRecord.Event> events = new ArrayList<>();
        if (in.expect(']')) return events;
        while (true) {
            expect('{');
            long time = 0;
            String name = "";
            Map<String, String> attributes = Map.of();
            if (!in.expect('}')) {
                while (true) {
                    int field = in.knownName(EVENT_NAMES);
                    if (field < 0) throw REFUSED;
                    expect(':');
                    switch (field) {
                        case 0 -> time = integer();
                        case 1 -> name = string();
                        default -> attributes = map();
                    }
                    if (!more('}')) break;
                }
            }
            events.add(new SpanRecord.Event(time, name, attributes));
            if (!more(']')) return events;
        }
    }

    private List<SpanRecord.Link> links() {
        expect('[');
        List<SpanRecord.Link> links = new ArrayList<>();
        if (in.expect(']')) return links;
        while (true) {
            expect('{');
            String traceId = null, spanId = null;
            Map<String, String> attributes = Map.of();
            if (!in.expect('}')) {
                while (true) {
                    int field = in.knownName(LINK_NAMES);
                    if (field < 0) throw REFUSED;
                    expect(':');
                    switch (field) {
                        case 0 -> traceId = string();
                        case 1 -> spanId = string();
                        default -> attributes = map();
                    }
                    if (!more('}')) break;
                }
            }
            if (traceId != null && spanId != null) links.add(new SpanRecord.Link(traceId, spanId, attributes));
            if (!more(']')) return links;
        }
    }

    /** After a member: true on a comma (another follows), false on {@code close}. */
    private boolean more(char close) {
        int c = in.next();
        if (c == ',') return true;
        if (c == close) return false;
        throw REFUSED;
    }

    private void expect(char c) {
        if (!in.expect(c)) throw REFUSED;
    }

    private String string() {
        String s = in.string();
        if (s == null) throw REFUSED;
        return s;
    }

    private long integer() {
        Long v = in.integer();
        if (v == null) throw REFUSED;
        return v;
    }

    /** A JSON number, any form ({@code duration_ms} is a decimal), skipped. */
    private void number() {
        byte[] b = in.b;
        int i = in.pos;
        if (i < b.length && b[i] == '-') i++;
        int digits = i;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') i++;
        if (i == digits || (i - digits > 1 && b[digits] == '0')) throw REFUSED;
        if (i < b.length && b[i] == '.') {
            int frac = ++i;
            while (i < b.length && b[i] >= '0' && b[i] <= '9') i++;
            if (i == frac) throw REFUSED;
        }
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < b.length && (b[i] == '+' || b[i] == '-')) i++;
            int exp = i;
            while (i < b.length && b[i] >= '0' && b[i] <= '9') i++;
            if (i == exp) throw REFUSED;
        }
        if (i - in.pos > 1000) throw REFUSED; // Jackson limits number lengths
        in.pos = i;
    }
}
