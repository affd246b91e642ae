package io.logflow.model;

import java.util.Arrays;

/**
 * Log counts by level with first/last seen, for one service over some span of time: a 1-minute
 * window in {@link io.logflow.model.schema.Stores#SERVICE_STATS}, or all time in {@link
 * io.logflow.model.schema.Stores#SERVICES}. Mutable so that the Streams aggregator can update it in
 * place; mergeable so that windows and instances can be summed.
 */
public final class LogCounts {
    private final long[] byLevel = new long[Level.values().length];
    private long firstSeen = Long.MAX_VALUE;
    private long lastSeen = Long.MIN_VALUE;

    public LogCounts add(Level level, long timestamp) {
        byLevel[level.ordinal()]++;
        firstSeen = Math.min(firstSeen, timestamp);
        lastSeen = Math.max(lastSeen, timestamp);
        return this;
    }

    public LogCounts merge(LogCounts other) {
        for (int i = 0; i < byLevel.length; i++) byLevel[i] += other.byLevel[i];
        firstSeen = Math.min(firstSeen, other.firstSeen);
        lastSeen = Math.max(lastSeen, other.lastSeen);
        return this;
    }

    public long count(Level level) {
        return byLevel[level.ordinal()];
    }

    public long total() {
        long t = 0;
        for (long c : byLevel) t += c;
        return t;
    }

    /** ERROR plus FATAL. */
    public long errors() {
        return byLevel[Level.ERROR.ordinal()] + byLevel[Level.FATAL.ordinal()];
    }

    /** errors / total, 0 when empty. */
    public double errorRate() {
        long total = total();
        return total == 0 ? 0.0 : (double) errors() / total;
    }

    /** Epoch millis of the earliest log counted; null when empty. */
    public Long firstSeen() {
        return total() == 0 ? null : firstSeen;
    }

    public Long lastSeen() {
        return total() == 0 ? null : lastSeen;
    }

    /** The compact binary form kept in stores ({@link io.logflow.model.schema.LogFlowSerdes#logCounts()}). */
    public byte[] toBytes() {
        Binary.Writer w = new Binary.Writer(32);
        w.writeVarInt(byLevel.length);
        for (long c : byLevel) w.writeVarLong(c);
        w.writeVarLong(firstSeen).writeVarLong(lastSeen);
        return w.toByteArray();
    }

    public static LogCounts fromBytes(byte[] bytes) {
        Binary.Reader r = new Binary.Reader(bytes);
        LogCounts c = new LogCounts();
        int n = r.readVarInt();
        for (int i = 0; i < n; i++) c.byLevel[i] = r.readVarLong();
        c.firstSeen = r.readVarLong();
        c.lastSeen = r.readVarLong();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogCounts c
                && Arrays.equals(byLevel, c.byLevel)
                && firstSeen == c.firstSeen
                && lastSeen == c.lastSeen;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(byLevel) * 31 + Long.hashCode(firstSeen);
    }

    @Override
    public String toString() {
        return "LogCounts" + Arrays.toString(byLevel) + "[" + firstSeen + ".." + lastSeen + "]";
    }
}
