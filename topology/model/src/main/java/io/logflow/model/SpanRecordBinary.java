package io.logflow.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binary encoding of {@link SpanRecord} for stores and repartition topics. Version byte first. */
public final class SpanRecordBinary {
    private static final int VERSION = 1;

    private SpanRecordBinary() {}

    public static byte[] write(SpanRecord s) {
        Binary.Writer w = new Binary.Writer(256);
        w.writeByte(VERSION)
                .writeString(s.traceId())
                .writeString(s.spanId())
                .writeString(s.parentSpanId())
                .writeString(s.service())
                .writeString(s.name())
                .writeByte(s.kind().ordinal())
                .writeVarLong(s.startNanos())
                .writeVarLong(s.durationNanos())
                .writeByte(s.status().ordinal())
                .writeString(s.statusMessage())
                .writeString(s.scope());
        writeMap(w, s.attributes());
        writeMap(w, s.resource());
        w.writeVarInt(s.events().size());
        for (SpanRecord.Event e : s.events()) {
            w.writeVarLong(e.timeNanos()).writeString(e.name());
            writeMap(w, e.attributes());
        }
        w.writeVarInt(s.links().size());
        for (SpanRecord.Link l : s.links()) {
            w.writeString(l.traceId()).writeString(l.spanId());
            writeMap(w, l.attributes());
        }
        return w.toByteArray();
    }

    public static SpanRecord read(byte[] bytes) {
        Binary.Reader r = new Binary.Reader(bytes);
        int version = r.readByte();
        if (version != VERSION) throw new IllegalArgumentException("unknown SpanRecord encoding version " + version);
        String traceId = r.readString();
        String spanId = r.readString();
        String parentSpanId = r.readString();
        String service = r.readString();
        String name = r.readString();
        SpanRecord.Kind kind = SpanRecord.Kind.ofOrdinal(r.readByte());
        long start = r.readVarLong();
        long duration = r.readVarLong();
        SpanRecord.Status status = SpanRecord.Status.ofOrdinal(r.readByte());
        String statusMessage = r.readString();
        String scope = r.readString();
        Map<String, String> attributes = readMap(r);
        Map<String, String> resource = readMap(r);
        int n = r.readVarInt();
        List<SpanRecord.Event> events = n == 0 ? List.of() : new ArrayList<>(n);
        for (int i = 0; i < n; i++) events.add(new SpanRecord.Event(r.readVarLong(), r.readString(), readMap(r)));
        n = r.readVarInt();
        List<SpanRecord.Link> links = n == 0 ? List.of() : new ArrayList<>(n);
        for (int i = 0; i < n; i++) links.add(new SpanRecord.Link(r.readString(), r.readString(), readMap(r)));
        return new SpanRecord(
                traceId,
                spanId,
                parentSpanId,
                service,
                name,
                kind,
                start,
                duration,
                status,
                statusMessage,
                scope,
                attributes,
                resource,
                events,
                links);
    }

    private static void writeMap(Binary.Writer w, Map<String, String> map) {
        w.writeVarInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet())
            w.writeString(e.getKey()).writeString(e.getValue());
    }

    private static Map<String, String> readMap(Binary.Reader r) {
        int n = r.readVarInt();
        if (n == 0) return Map.of();
        Map<String, String> map = new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) map.put(r.readString(), r.readString());
        return map;
    }
}
