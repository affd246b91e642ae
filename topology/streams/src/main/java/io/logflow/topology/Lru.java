package io.logflow.topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps that keep their most recently used entries only: the decoded values a {@link WriteBehind}
 * store remembers for the thread that writes it.
 */
final class Lru {
    private Lru() {}

    /** A map holding at most {@code maxEntries}, dropping the least recently used (read or written) first. */
    static <K, V> Map<K, V> map(int maxEntries) {
        return new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxEntries;
            }
        };
    }
}
