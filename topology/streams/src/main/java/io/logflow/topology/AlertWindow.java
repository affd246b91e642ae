package io.logflow.topology;

import io.logflow.alerts.WindowTotals;
import io.logflow.model.SpanMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one alert rule has seen of one service lately: counts in time buckets (10 s for windows up to
 * an hour, 1 min beyond), the last few trace ids that counted, and when the service was last seen.
 * Kept per (rule, service) in the alert stores, so a rule's value over its window is a sum of a few
 * hundred buckets at most. A bucket counts when any part of it is inside the window, so the value may
 * include up to one bucket more than the window. Buckets before the window are dropped on every
 * update. Mutable; stored in binary form.
 */
final class AlertWindow {
    static final int SAMPLES = 5;
    private static final int VERSION = 1;

    /** The rule version these counts were made for: a changed rule starts from zero. */
    final long ruleVersion;

    final long bucketMs;
    /** bucket start → {logs, levelLogs, errors, matches}; span buckets hold their metrics separately. */
    private final TreeMap<Long, long[]> counts = new TreeMap<>();

    private final TreeMap<Long, SpanMetrics> spans = new TreeMap<>();
    private final ArrayDeque<String> samples = new ArrayDeque<>();
    private long lastSeen;

    AlertWindow(long ruleVersion, long bucketMs) {
        this.ruleVersion = ruleVersion;
        this.bucketMs = bucketMs;
    }

    /** Buckets of 10 s for windows up to an hour, of a minute beyond: at most 360 or 1,440 buckets. */
    static long bucketFor(int windowMinutes) {
        return windowMinutes <= 60 ? 10_000L : 60_000L;
    }

    private long bucket(long t) {
        return Math.floorDiv(t, bucketMs) * bucketMs;
    }

    void addLog(long time, boolean levelMatch, boolean error, boolean match, String traceId, boolean sample) {
        long[] c = counts.computeIfAbsent(bucket(time), k -> new long[4]);
        c[0]++;
        if (levelMatch) c[1]++;
        if (error) c[2]++;
        if (match) c[3]++;
        seen(time, sample ? traceId : null);
    }

    void addSpan(long time, long durationNanos, boolean error, String traceId, boolean sample) {
        spans.computeIfAbsent(bucket(time), k -> SpanMetrics.empty()).add(durationNanos, error);
        seen(time, sample ? traceId : null);
    }

    private void seen(long time, String traceId) {
        lastSeen = Math.max(lastSeen, time);
        if (traceId != null && !samples.contains(traceId)) {
            if (samples.size() == SAMPLES) samples.removeFirst();
            samples.addLast(traceId);
        }
    }

    /** Drops buckets wholly before {@code now - windowMs}. */
    void prune(long now, long windowMs) {
        long first = bucket(now - windowMs);
        counts.headMap(first).clear();
        spans.headMap(first).clear();
    }

    /** Totals over the buckets overlapping [now - windowMs, ...]. */
    WindowTotals totals(long now, long windowMs) {
        long first = bucket(now - windowMs);
        long logs = 0, levelLogs = 0, errors = 0, matches = 0;
        for (long[] c : counts.tailMap(first).values()) {
            logs += c[0];
            levelLogs += c[1];
            errors += c[2];
            matches += c[3];
        }
        SpanMetrics s = SpanMetrics.empty();
        for (SpanMetrics m : spans.tailMap(first).values()) s.merge(m);
        double p95 = s.count() == 0 ? 0 : s.quantileMillis(0.95);
        double p99 = s.count() == 0 ? 0 : s.quantileMillis(0.99);
        return new WindowTotals(logs, levelLogs, errors, matches, s.count(), s.errors(), p95, p99, lastSeen);
    }

    List<String> samples() {
        return new ArrayList<>(samples);
    }

    long lastSeen() {
        return lastSeen;
    }

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + counts.size() * 24);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeLong(ruleVersion);
            out.writeLong(bucketMs);
            out.writeLong(lastSeen);
            out.writeInt(counts.size());
            for (Map.Entry<Long, long[]> e : counts.entrySet()) {
                out.writeLong(e.getKey());
                for (long v : e.getValue()) out.writeLong(v);
            }
            out.writeInt(spans.size());
            for (Map.Entry<Long, SpanMetrics> e : spans.entrySet()) {
                out.writeLong(e.getKey());
                byte[] m = e.getValue().toBytes();
                out.writeInt(m.length);
                out.write(m);
            }
            out.writeByte(samples.size());
            for (Iterator<String> it = samples.iterator(); it.hasNext(); ) out.writeUTF(it.next());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AlertWindow fromBytes(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            int version = in.readByte();
            if (version != VERSION)
                throw new IllegalArgumentException("unknown AlertWindow encoding version " + version);
            AlertWindow w = new AlertWindow(in.readLong(), in.readLong());
            w.lastSeen = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                long start = in.readLong();
                w.counts.put(start, new long[] {in.readLong(), in.readLong(), in.readLong(), in.readLong()});
            }
            int s = in.readInt();
            for (int i = 0; i < s; i++) {
                long start = in.readLong();
                byte[] m = new byte[in.readInt()];
                in.readFully(m);
                w.spans.put(start, SpanMetrics.fromBytes(m));
            }
            int samples = in.readByte();
            for (int i = 0; i < samples; i++) w.samples.addLast(in.readUTF());
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
