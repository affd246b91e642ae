package io.logflow.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most frequent error message templates of one service in one window. Keeps at most {@link
 * #CAPACITY} templates (more than the 10 shown, so that merging windows and instances stays close
 * to exact); when full, a new template replaces the least frequent one (space-saving style: it
 * inherits that count as its possible over-count, so heavy hitters are never lost).
 */
public final class TopErrors {
    public static final int CAPACITY = 50;

    /** One template: how often it occurred, one example message and trace, when last seen. */
    public record Entry(String template, long count, String example, String exampleTraceId, long lastSeen) {}

    private final Map<String, Entry> entries = new HashMap<>();

    public TopErrors add(String message, String traceId, long timestamp) {
        String template = MessageTemplates.of(message);
        Entry e = entries.get(template);
        if (e != null) {
            entries.put(
                    template,
                    new Entry(template, e.count + 1, e.example, e.exampleTraceId, Math.max(e.lastSeen, timestamp)));
            return this;
        }
        long inherited = 0;
        if (entries.size() >= CAPACITY) {
            Entry min = entries.values().stream()
                    .min(Comparator.comparingLong(Entry::count))
                    .orElseThrow();
            entries.remove(min.template);
            inherited = min.count;
        }
        String example = message.length() > 1024 ? message.substring(0, 1024) : message;
        entries.put(template, new Entry(template, inherited + 1, example, traceId, timestamp));
        return this;
    }

    public TopErrors merge(TopErrors other) {
        for (Entry o : other.entries.values()) {
            Entry e = entries.get(o.template);
            if (e == null) {
                entries.put(o.template, o);
            } else {
                boolean newer = o.lastSeen > e.lastSeen;
                entries.put(
                        o.template,
                        new Entry(
                                o.template,
                                e.count + o.count,
                                newer ? o.example : e.example,
                                newer ? o.exampleTraceId : e.exampleTraceId,
                                Math.max(e.lastSeen, o.lastSeen)));
            }
        }
        // merging may exceed capacity; trim the least frequent
        if (entries.size() > CAPACITY) {
            List<Entry> kept = top(CAPACITY);
            entries.clear();
            kept.forEach(k -> entries.put(k.template, k));
        }
        return this;
    }

    /** The n most frequent templates, most frequent first (ties: most recent first). */
    public List<Entry> top(int n) {
        List<Entry> all = new ArrayList<>(entries.values());
        all.sort(Comparator.comparingLong(Entry::count)
                .reversed()
                .thenComparing(Comparator.comparingLong(Entry::lastSeen).reversed()));
        return all.size() > n ? new ArrayList<>(all.subList(0, n)) : all;
    }

    public int size() {
        return entries.size();
    }

    /** The compact binary form kept in stores ({@link io.logflow.model.schema.LogFlowSerdes#topErrors()}). */
    public byte[] toBytes() {
        Binary.Writer w = new Binary.Writer(256);
        w.writeVarInt(entries.size());
        for (Entry e : entries.values()) {
            w.writeString(e.template)
                    .writeVarLong(e.count)
                    .writeString(e.example)
                    .writeString(e.exampleTraceId)
                    .writeVarLong(e.lastSeen);
        }
        return w.toByteArray();
    }

    public static TopErrors fromBytes(byte[] bytes) {
        Binary.Reader r = new Binary.Reader(bytes);
        TopErrors t = new TopErrors();
        int n = r.readVarInt();
        for (int i = 0; i < n; i++) {
            Entry e = new Entry(r.readString(), r.readVarLong(), r.readString(), r.readString(), r.readVarLong());
            t.entries.put(e.template, e);
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopErrors t && entries.equals(t.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "TopErrors" + top(CAPACITY);
    }
}
