package io.logflow.api.query;

import io.logflow.model.LogRecord;
import io.logflow.model.TopErrors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pure merging of per-window and per-instance partial results. */
public final class Merge {
    private Merge() {}

    /** Newest first; ties broken by event id so that every instance orders alike. */
    static final Comparator<LogRecord> NEWEST_FIRST =
            Comparator.comparingLong(LogRecord::timestamp).reversed().thenComparing(LogRecord::eventId);

    static final Comparator<LogRecord> OLDEST_FIRST =
            Comparator.comparingLong(LogRecord::timestamp).thenComparing(LogRecord::eventId);

    static Map<String, Counts> sumByKey(Collection<Map<String, Counts>> maps) {
        Map<String, Counts> out = new TreeMap<>();
        for (Map<String, Counts> m : maps) m.forEach((k, v) -> out.merge(k, v, Counts::plus));
        return out;
    }

    static <K> Map<K, Counts> sumBuckets(Collection<Map<K, Counts>> maps) {
        Map<K, Counts> out = new TreeMap<>();
        for (Map<K, Counts> m : maps) m.forEach((k, v) -> out.merge(k, v, Counts::plus));
        return out;
    }

    /** Buckets summed per key (a service), over every map. */
    static <K> Map<String, Map<K, Counts>> sumBucketsByKey(Collection<Map<String, Map<K, Counts>>> maps) {
        Map<String, Map<K, Counts>> out = new TreeMap<>();
        for (Map<String, Map<K, Counts>> m : maps)
            m.forEach((key, buckets) -> buckets.forEach(
                    (k, v) -> out.computeIfAbsent(key, x -> new TreeMap<>()).merge(k, v, Counts::plus)));
        return out;
    }

    static Counts sum(Collection<Counts> counts) {
        Counts total = Counts.EMPTY;
        for (Counts c : counts) total = total.plus(c);
        return total;
    }

    /**
     * Merges error templates: counts summed per template, the most recent example kept, at most
     * {@code keep} templates (most frequent first).
     */
    static List<TopErrors.Entry> mergeErrors(Collection<List<TopErrors.Entry>> lists, int keep) {
        Map<String, TopErrors.Entry> byTemplate = new HashMap<>();
        for (List<TopErrors.Entry> list : lists) {
            for (TopErrors.Entry o : list) {
                byTemplate.merge(o.template(), o, (a, b) -> {
                    TopErrors.Entry newer = b.lastSeen() > a.lastSeen() ? b : a;
                    return new TopErrors.Entry(
                            a.template(),
                            a.count() + b.count(),
                            newer.example(),
                            newer.exampleTraceId(),
                            Math.max(a.lastSeen(), b.lastSeen()));
                });
            }
        }
        List<TopErrors.Entry> all = new ArrayList<>(byTemplate.values());
        all.sort(ERRORS_ORDER);
        return all.size() > keep ? new ArrayList<>(all.subList(0, keep)) : all;
    }

    static final Comparator<TopErrors.Entry> ERRORS_ORDER = Comparator.comparingLong(TopErrors.Entry::count)
            .reversed()
            .thenComparing(Comparator.comparingLong(TopErrors.Entry::lastSeen).reversed())
            .thenComparing(TopErrors.Entry::template);

    /** One error template of one service, as shown in the overview. */
    record ServiceError(
            String service, String template, long count, String example, String exampleTraceId, String lastSeen) {}

    /** The n most frequent templates over all services. */
    static List<ServiceError> topErrorsAcrossServices(Map<String, List<TopErrors.Entry>> byService, int n) {
        List<ServiceError> all = new ArrayList<>();
        byService.forEach((service, entries) -> {
            for (TopErrors.Entry e : entries)
                all.add(new ServiceError(
                        service, e.template(), e.count(), e.example(), e.exampleTraceId(), Counts.iso(e.lastSeen())));
        });
        all.sort(Comparator.comparingLong(ServiceError::count)
                .reversed()
                .thenComparing(ServiceError::lastSeen, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(ServiceError::service)
                .thenComparing(ServiceError::template));
        return all.size() > n ? new ArrayList<>(all.subList(0, n)) : all;
    }

    /** Per-service error lists of several parts merged per service. */
    static Map<String, List<TopErrors.Entry>> mergeErrorsByService(
            Collection<Map<String, List<TopErrors.Entry>>> maps, int keep) {
        Map<String, List<List<TopErrors.Entry>>> grouped = new TreeMap<>();
        for (Map<String, List<TopErrors.Entry>> m : maps)
            m.forEach(
                    (s, l) -> grouped.computeIfAbsent(s, k -> new ArrayList<>()).add(l));
        Map<String, List<TopErrors.Entry>> out = new TreeMap<>();
        grouped.forEach((s, lists) -> out.put(s, mergeErrors(lists, keep)));
        return out;
    }

    /** The first {@code limit} by {@code order} of the records of several lists (sorted or not). */
    static List<LogRecord> mergeSorted(Collection<List<LogRecord>> lists, Comparator<LogRecord> order, int limit) {
        List<LogRecord> all = new ArrayList<>();
        for (List<LogRecord> l : lists) all.addAll(l);
        all.sort(order);
        return all.size() > limit ? new ArrayList<>(all.subList(0, limit)) : all;
    }

    /** Start of the bucket holding {@code t}, for buckets aligned to the epoch. */
    static long bucketStart(long t, long bucketMs) {
        return Math.floorDiv(t, bucketMs) * bucketMs;
    }

    /**
     * Every bucket start from the one holding {@code from} up to the one holding {@code to}, gaps filled with empty
     * counts.
     */
    static Map<Long, Counts> fillBuckets(Map<Long, Counts> buckets, long from, long to, long bucketMs) {
        Map<Long, Counts> out = new TreeMap<>();
        for (long b = bucketStart(from, bucketMs); b <= to; b += bucketMs)
            out.put(b, buckets.getOrDefault(b, Counts.EMPTY));
        return out;
    }
}
