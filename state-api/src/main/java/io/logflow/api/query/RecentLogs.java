package io.logflow.api.query;

import io.logflow.api.cluster.Cluster;
import io.logflow.api.cluster.LocalReads;
import io.logflow.api.cluster.Part;
import io.logflow.api.cluster.QueryViews;
import io.logflow.api.cluster.View;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.Coalescer;
import io.logflow.api.web.Params;
import io.logflow.api.web.RequestIds;
import io.logflow.api.web.Responses;
import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.RecentLogKey;
import io.logflow.model.schema.Stores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/logs/recent?service=&level=&limit=}: the newest logs, from the ring buffers
 * of recent logs per service and level. One service is read from its owner; all services fan out,
 * each instance answering its newest {@code limit}, merged newest first.
 */
@Component
public class RecentLogs implements QueryViews {
    static final int MAX_RECENT = 1000;

    /** Logs, newest first (recent) or oldest first (trace). */
    record LogsPart(Set<Integer> partitions, List<LogRecord> logs) implements Part {}

    /** What to read: one service or (null) all, at or above a level (null: any), at most {@code limit}. */
    record Request(String service, Level level, int limit) {
        static Request parse(MultiValueMap<String, String> q) {
            return new Request(
                    Params.service("service", Params.first(q, "service")),
                    Params.level("level", Params.first(q, "level")),
                    Params.intInRange("limit", Params.first(q, "limit"), 100, 1, MAX_RECENT));
        }

        Map<String, Object> query() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("limit", limit);
            if (level != null) m.put("level", level.name());
            if (service != null) m.put("service", service);
            return m;
        }
    }

    record LogsView(int count, List<LogRecord> logs) {}

    private final Cluster cluster;
    private final LocalReads local;
    private final int ringSize;
    private final Coalescer coalescer = new Coalescer();

    final View<Request, LogsPart> view;

    RecentLogs(Cluster cluster, LocalReads local, LogFlowProperties props) {
        this.cluster = cluster;
        this.local = local;
        this.ringSize = props.streams().recentLogsPerLevel();
        this.view = View.of("recent", Stores.RECENT_LOGS, LogsPart.class, Request::query, Request::parse, this::read);
    }

    @Override
    public List<View<?, ?>> views() {
        return List.of(view);
    }

    public Mono<ServerResponse> recent(ServerRequest req) {
        Request r = Request.parse(req.queryParams());
        RequestIds.Ids ids = RequestIds.of(req);
        Mono<List<LogRecord>> logs = r.service() != null
                ? cluster.byKey(view, r.service(), r, ids).map(LogsPart::logs)
                : coalescer.join(
                        "recent:" + r.level() + ":" + r.limit(),
                        () -> cluster.fanOut(view, r, ids)
                                .map(parts -> Merge.mergeSorted(
                                        parts.stream().map(LogsPart::logs).toList(), Merge.NEWEST_FIRST, r.limit())));
        return logs.flatMap(l -> Responses.json(new LogsView(l.size(), l)));
    }

    /**
     * The newest {@code limit} logs at or above {@code minLevel}, of one service or all. Each
     * (service, level) ring is read from its newest slot backwards and the rings are merged by
     * timestamp, so a query reads about {@code limit + rings} entries, not whole rings.
     */
    LogsPart read(Request r) {
        List<Ring> rings = new ArrayList<>();
        Set<Integer> read = local.forEachPartition(Stores.RECENT_LOGS, r.service(), p -> {
            ReadOnlyKeyValueStore<String, Long> cursors = local.keyValue(Stores.RECENT_LOGS_CURSOR, p);
            ReadOnlyKeyValueStore<String, LogRecord> logs = local.keyValue(Stores.RECENT_LOGS, p);
            if (r.service() != null) {
                for (Level level : Level.values()) {
                    if (r.level() != null && level.compareTo(r.level()) < 0) continue;
                    Long cursor = cursors.get(RecentLogKey.cursorKey(r.service(), level));
                    if (cursor != null) rings.add(new Ring(logs, r.service(), level, cursor));
                }
            } else {
                try (KeyValueIterator<String, Long> it = cursors.all()) {
                    while (it.hasNext()) {
                        KeyValue<String, Long> kv = it.next();
                        int bar = kv.key.lastIndexOf('|');
                        Level level = Level.valueOf(kv.key.substring(bar + 1));
                        if (r.level() != null && level.compareTo(r.level()) < 0) continue;
                        rings.add(new Ring(logs, kv.key.substring(0, bar), level, kv.value));
                    }
                }
            }
        });
        PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Merge.NEWEST_FIRST.compare(a.log, b.log));
        for (Ring ring : rings) {
            Head h = ring.next(ringSize);
            if (h != null) heads.add(h);
        }
        List<LogRecord> out = new ArrayList<>(Math.min(r.limit(), 1024));
        while (out.size() < r.limit() && !heads.isEmpty()) {
            Head h = heads.poll();
            out.add(h.log);
            Head next = h.ring.next(ringSize);
            if (next != null) heads.add(next);
        }
        out.sort(Merge.NEWEST_FIRST);
        local.requireStillHeld(Stores.RECENT_LOGS, read);
        return new LogsPart(read, out);
    }

    /** One (service, level) ring, read newest first. */
    private static final class Ring {
        final ReadOnlyKeyValueStore<String, LogRecord> logs;
        final String service;
        final Level level;
        final long cursor;
        long read;

        Ring(ReadOnlyKeyValueStore<String, LogRecord> logs, String service, Level level, long cursor) {
            this.logs = logs;
            this.service = service;
            this.level = level;
            this.cursor = cursor;
        }

        Head next(int size) {
            while (read < Math.min(cursor, size)) {
                long n = cursor - 1 - read++;
                LogRecord log = logs.get(new RecentLogKey(service, level, (int) (n % size)).encode());
                if (log != null) return new Head(this, log);
            }
            return null;
        }
    }

    private record Head(Ring ring, LogRecord log) {}
}
