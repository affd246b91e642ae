package io.logflow.topology;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells readers in the same JVM whether a 1-minute statistics window of a partition changed, so
 * what they derived from it (decoded counts, merged error templates) can be kept until it does.
 *
 * <p>{@link ServiceStatsTopology}'s stores call {@link #changed} for every window they write to
 * {@code service-stats-1m} / {@code service-errors-1m} at a commit (they are written behind,
 * {@link WriteBehind}), right after writing it there: a reader whose stamp predates the write then
 * never keeps what it read as current. A reader takes a {@link #stamp} of a
 * window <em>before</em> reading the stores and may reuse its result while {@link #stamp} still
 * returns an equal stamp. A processor opening or closing a partition's task (assignment, restore
 * from the changelog, rebalance) starts a new {@link Partition} object, and stamps from the old
 * one never match again — writes made elsewhere while the partition was away are never hidden.
 *
 * <p>Only windows in this JVM's own tasks are tracked; an instance knows nothing of another's
 * windows and needs not to: each instance answers for its own partitions. Windows are forgotten
 * {@link #KEEP_MS} after their start (readers must not rely on stamps of older ones and read the
 * stores instead).
 */
public final class WindowVersions {
    /** How long after its start a window's version is kept: the range worth caching. */
    public static final long KEEP_MS = 3 * 60 * 60 * 1000L;

    /** A stamp that never matches (no partition object, or the window is not tracked). */
    public static final Stamp NONE = new Stamp(null, -1);

    private final ConcurrentHashMap<Integer, Partition> partitions = new ConcurrentHashMap<>();

    /** What a reader keeps beside its cached result. */
    public record Stamp(Partition partition, long version) {
        public boolean valid() {
            return partition != null;
        }
    }

    /** Called by the processor of a partition's task when it opens (after restore) or closes. */
    Partition reset(int partition) {
        Partition fresh = new Partition();
        partitions.put(partition, fresh);
        return fresh;
    }

    /**
     * After a write of the window starting at {@code windowStart} in the partition's task here (stream
     * thread only); nothing happens when the partition has no open task.
     */
    void changed(int partition, long windowStart) {
        Partition p = partitions.get(partition);
        if (p != null) p.changed(windowStart);
    }

    /** The current stamp of a window, or {@link #NONE} when the partition has no open task here. */
    public Stamp stamp(int partition, long windowStart) {
        Partition p = partitions.get(partition);
        return p == null ? NONE : p.stamp(windowStart);
    }

    /**
     * One partition's task as one processor saw it. A window's version is the sequence number of the
     * processor's last write to it: versions only grow, even for a window forgotten and written again.
     */
    public static final class Partition {
        private static final int LIMIT = (int) (2 * KEEP_MS / ServiceStatsTopology.WINDOW.toMillis());
        private final ConcurrentHashMap<Long, AtomicLong> windows = new ConcurrentHashMap<>();
        private volatile long forgottenBefore = Long.MIN_VALUE;
        private volatile boolean overflowed;
        // stream thread only
        private long seq;
        private long lastStart = Long.MIN_VALUE;
        private AtomicLong last;

        private Partition() {}

        /** After a write of the window starting at {@code windowStart}; called by the stream thread only. */
        void changed(long windowStart) {
            if (windowStart != lastStart || last == null) {
                last = windows.computeIfAbsent(windowStart, k -> new AtomicLong());
                lastStart = windowStart;
                if (windows.size() > LIMIT) forgetOld();
            }
            last.set(++seq);
        }

        private void forgetOld() {
            long cutoff = System.currentTimeMillis() - KEEP_MS;
            if (cutoff > forgottenBefore)
                forgottenBefore = cutoff; // before removing: a forgotten window never reads as unwritten
            windows.keySet().removeIf(s -> s < cutoff);
            if (windows.size() > 2 * LIMIT) { // windows far in the future: stop tracking this partition
                overflowed = true;
                windows.clear();
            }
        }

        Stamp stamp(long windowStart) {
            if (overflowed || windowStart < forgottenBefore) return NONE;
            AtomicLong v = windows.get(windowStart);
            return new Stamp(this, v == null ? 0 : v.get());
        }
    }
}
