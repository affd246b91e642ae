package io.logflow.api.query;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-second rates over the last {@code windowMs} of counters that only grow: a small sliding window of their
 * snapshots. A rate is the growth since the newest snapshot at least {@code windowMs} old (the oldest one while the
 * window is not full yet) divided by the time between; a counter that went down (a replaced stream thread's metrics
 * start again at 0) counts from 0. Thread-safe.
 */
final class RateWindow {
    /** A counter's total and its growth per second over the window. */
    record Rate(double total, double perSecond) {}

    private record Snapshot(long atMs, Map<String, Double> totals) {}

    private final long windowMs;
    private final long minStepMs;
    private final Deque<Snapshot> snapshots = new ArrayDeque<>();

    /**
     * @param windowMs how far back a rate looks
     * @param minStepMs snapshots closer than this to the newest are not kept (reads in a burst keep the window small)
     */
    RateWindow(long windowMs, long minStepMs) {
        this.windowMs = windowMs;
        this.minStepMs = minStepMs;
    }

    /** Records the totals at {@code nowMs} and answers each counter's total and rate. */
    synchronized Map<String, Rate> update(long nowMs, Map<String, Double> totals) {
        Snapshot newest = snapshots.peekLast();
        if (newest == null || nowMs - newest.atMs() >= minStepMs)
            snapshots.addLast(new Snapshot(nowMs, Map.copyOf(totals)));
        // keep one snapshot at or before the window's start, drop the older ones
        while (snapshots.size() > 1) {
            var it = snapshots.iterator();
            it.next();
            if (it.next().atMs() <= nowMs - windowMs) snapshots.removeFirst();
            else break;
        }
        Snapshot base = snapshots.peekFirst();
        double seconds = (nowMs - base.atMs()) / 1000.0;
        Map<String, Rate> out = new TreeMap<>();
        totals.forEach((name, total) -> {
            double before = base.totals().getOrDefault(name, 0.0);
            double grown = total >= before ? total - before : total;
            out.put(name, new Rate(total, seconds <= 0 ? 0 : round(grown / seconds)));
        });
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
