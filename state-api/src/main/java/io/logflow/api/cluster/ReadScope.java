package io.logflow.api.cluster;

import io.logflow.api.web.Staleness;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The partitions the asking instance chose this instance to read for one view (see {@link Cluster}), and which of
 * them were read from a replica rather than a running active task. Bound to the thread running the view's read
 * (reads are synchronous, on boundedElastic), so the query classes' reads need not pass it along: {@link LocalReads}
 * finds it.
 */
final class ReadScope {
    private static final ThreadLocal<ReadScope> CURRENT = new ThreadLocal<>();

    final Set<Integer> partitions;
    final String instance;
    final Staleness stale = new Staleness();

    ReadScope(Set<Integer> partitions, String instance) {
        this.partitions = Set.copyOf(partitions);
        this.instance = instance;
    }

    /** The scope of the read running on this thread, or null (an unplanned read: active partitions only). */
    static ReadScope current() {
        return CURRENT.get();
    }

    /** Checks run once the read is done, one per name (a partition read as current: is it still?). */
    private final java.util.Map<String, Runnable> checks = new java.util.LinkedHashMap<>();

    void afterRead(String name, Runnable check) {
        checks.putIfAbsent(name, check);
    }

    /** Runs {@code read} with this scope, then the checks it registered (which may note partitions stale). */
    <T> T run(Supplier<T> read) {
        ReadScope outer = CURRENT.get();
        CURRENT.set(this);
        try {
            T result = read.get();
            checks.values().forEach(Runnable::run);
            checks.clear();
            return result;
        } finally {
            if (outer == null) CURRENT.remove();
            else CURRENT.set(outer);
        }
    }

    /** Parses the {@code partitions} parameter of an internal request ({@code "0,3,5"}); null when absent. */
    static Set<Integer> parse(String value) {
        if (value == null || value.isBlank()) return null;
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (String p : value.split(",")) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n < 0) throw new NumberFormatException();
                out.add(n);
            } catch (NumberFormatException e) {
                throw io.logflow.api.web.ApiException.badParameter(
                        PARAMETER, "expected comma-separated partition numbers, got '" + value + "'");
            }
        }
        return out;
    }

    static final String PARAMETER = "partitions";
}
