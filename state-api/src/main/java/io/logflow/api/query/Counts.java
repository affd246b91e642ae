package io.logflow.api.query;

import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Log counts by level with first/last seen: the API's immutable, JSON-transportable twin of {@link
 * LogCounts}, summed across windows and instances.
 *
 * @param levels one count per {@link Level}, in ordinal order
 * @param firstSeen epoch millis, null when empty
 * @param lastSeen epoch millis, null when empty
 */
public record Counts(long[] levels, Long firstSeen, Long lastSeen) {
    private static final int LEVELS = Level.values().length;
    static final Counts EMPTY = new Counts(new long[LEVELS], null, null);

    public Counts {
        if (levels == null || levels.length != LEVELS)
            throw new IllegalArgumentException("levels must have " + LEVELS + " entries");
        levels = levels.clone();
    }

    static Counts of(LogCounts c) {
        long[] l = new long[LEVELS];
        for (Level level : Level.values()) l[level.ordinal()] = c.count(level);
        return new Counts(l, c.firstSeen(), c.lastSeen());
    }

    Counts plus(Counts o) {
        long[] l = levels.clone();
        for (int i = 0; i < LEVELS; i++) l[i] += o.levels[i];
        return new Counts(l, min(firstSeen, o.firstSeen), max(lastSeen, o.lastSeen));
    }

    long count(Level level) {
        return levels[level.ordinal()];
    }

    long total() {
        long t = 0;
        for (long c : levels) t += c;
        return t;
    }

    long errors() {
        return count(Level.ERROR) + count(Level.FATAL);
    }

    double errorRate() {
        long total = total();
        return total == 0 ? 0.0 : (double) errors() / total;
    }

    /** The public JSON shape. */
    record View(
            long total, long errors, double errorRate, Map<String, Long> byLevel, String firstSeen, String lastSeen) {}

    View view() {
        Map<String, Long> byLevel = new LinkedHashMap<>();
        for (Level level : Level.values()) byLevel.put(level.name(), count(level));
        return new View(total(), errors(), errorRate(), byLevel, iso(firstSeen), iso(lastSeen));
    }

    static String iso(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    private static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    private static Long max(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Counts c
                && Arrays.equals(levels, c.levels)
                && java.util.Objects.equals(firstSeen, c.firstSeen)
                && java.util.Objects.equals(lastSeen, c.lastSeen);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(levels);
    }

    @Override
    public String toString() {
        return "Counts" + Arrays.toString(levels) + "[" + firstSeen + ".." + lastSeen + "]";
    }
}
