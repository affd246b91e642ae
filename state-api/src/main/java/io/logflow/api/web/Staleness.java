package io.logflow.api.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * The partitions of one answer that were read from a replica that is not the partition's running active task — a
 * standby, or an active still restoring — and how far behind it was (KIP-535). Each public request gets one (see
 * {@link StaleAnswers}) in its Reactor context; the cluster reads note into it, and a non-empty one turns into
 * {@code "stale": true} and a {@code "staleness"} object in the answer. Thread-safe: parts arrive concurrently.
 */
public final class Staleness {
    /**
     * One partition of a store read from a replica, {@code lag} records behind its changelog's end; -1 when the
     * replica did not know its position yet (just assigned), which counts as behind.
     */
    public record Entry(String store, int partition, String instance, long lag) {}

    private final List<Entry> entries = new ArrayList<>();

    /**
     * Notes one stale partition (once per store, partition and instance, whatever the number of reads; an unknown
     * lag, -1, replaces a known one: the replica changed while it was read).
     */
    public synchronized void add(Entry e) {
        for (int i = 0; i < entries.size(); i++) {
            Entry x = entries.get(i);
            if (x.store().equals(e.store())
                    && x.partition() == e.partition()
                    && x.instance().equals(e.instance())) {
                if (e.lag() == -1) entries.set(i, e);
                return;
            }
        }
        entries.add(e);
    }

    public void addAll(Staleness other) {
        if (other != null && other != this) other.entries().forEach(this::add);
    }

    public synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** What an answer carries under {@code "staleness"}: the largest lag and every stale partition, sorted. */
    public synchronized Map<String, Object> describe() {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::store).thenComparingInt(Entry::partition));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxLag", sorted.stream().mapToLong(Entry::lag).max().orElse(0));
        m.put("partitions", sorted);
        return m;
    }

    /** The request's collector in {@code context}, or null outside a request (then nothing is noted). */
    public static Staleness of(ContextView context) {
        return context.getOrDefault(Staleness.class, null);
    }

    /** Notes {@code found} into the request's collector (no-op when there is none or nothing was stale). */
    public static Mono<Void> note(Staleness found) {
        if (found == null || found.isEmpty()) return Mono.empty();
        return Mono.deferContextual(ctx -> {
            Staleness mine = of(ctx);
            if (mine != null) mine.addAll(found);
            return Mono.empty();
        });
    }
}
