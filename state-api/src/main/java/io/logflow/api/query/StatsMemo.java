package io.logflow.api.query;

import io.logflow.model.TopErrors;
import io.logflow.topology.WindowVersions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this instance read from one 1-minute statistics window of one local partition — every
 * service's counts and error templates, decoded — kept while the window's {@link
 * WindowVersions.Stamp} is unchanged. A dashboard asks for the last 15 minutes again and again:
 * closed windows never change, so each query decodes only the windows still being written.
 * Correct under catch-up (every written window gets a new stamp) and rebalancing (a partition's
 * task opening or closing invalidates all its stamps). Windows older than {@link
 * WindowVersions#KEEP_MS} are dropped.
 */
final class StatsMemo {
    /** One window of one partition, as read under {@code stamp}. */
    record Window(WindowVersions.Stamp stamp, Map<String, Counts> totals, Map<String, List<TopErrors.Entry>> errors) {}

    private record Key(int partition, long windowStart) {}

    private final ConcurrentHashMap<Key, Window> windows = new ConcurrentHashMap<>();
    private volatile long nextSweep;

    /** The kept window, if it was read under a stamp equal to {@code current}. */
    Window get(int partition, long windowStart, WindowVersions.Stamp current) {
        if (!current.valid()) return null;
        Window w = windows.get(new Key(partition, windowStart));
        return w != null && w.stamp().equals(current) ? w : null;
    }

    void put(int partition, long windowStart, Window window, long nowMs) {
        if (!window.stamp().valid()) return;
        windows.put(new Key(partition, windowStart), window);
        if (nowMs >= nextSweep) {
            nextSweep = nowMs + 60_000;
            long oldest = nowMs - WindowVersions.KEEP_MS;
            windows.keySet().removeIf(k -> k.windowStart() < oldest);
        }
    }

    int size() {
        return windows.size();
    }
}
