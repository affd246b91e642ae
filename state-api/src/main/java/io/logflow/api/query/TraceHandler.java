package io.logflow.api.query;

import io.logflow.api.cluster.Cluster;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.query.TraceAssembly.SummaryView;
import io.logflow.api.query.TraceStores.Search;
import io.logflow.api.query.TraceStores.SpansPart;
import io.logflow.api.query.TraceStores.TracesPart;
import io.logflow.api.search.ArchivedTraces;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Params;
import io.logflow.api.web.RequestIds;
import io.logflow.api.web.Responses;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.TraceQuery;
import io.logflow.model.TraceSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The trace read API: one trace with its logs, the logs of a trace, trace search. Trace by id is an
 * owner lookup (spans, partitioned by trace id) in parallel with a fan-out (logs, partitioned by
 * service: ADR 012); search fans out to every instance and merges (docs/adr/007-traces.md).
 */
@Component
public class TraceHandler {
    static final int MAX_TRACES = 1000;
    static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    static final Duration MAX_RANGE = Duration.ofDays(7);

    private final Cluster cluster;
    private final TraceStores stores;
    private final TraceLogs logs;
    private final ArchivedTraces archive;
    private final LogFlowProperties props;
    private final Clock clock = Clock.systemUTC();

    TraceHandler(Cluster cluster, TraceStores stores, TraceLogs logs, ArchivedTraces archive, LogFlowProperties props) {
        this.cluster = cluster;
        this.stores = stores;
        this.logs = logs;
        this.archive = archive;
        this.props = props;
    }

    /** {@code GET /api/v1/traces/{traceId}}: the span tree, critical path and every service's logs. */
    public Mono<ServerResponse> trace(ServerRequest req) {
        String traceId = Params.traceId("traceId", req.pathVariable("traceId"));
        RequestIds.Ids ids = RequestIds.of(req);
        Mono<SpansPart> spans = cluster.byKey(
                stores.spans, traceId, traceId, ids, p -> !p.spans().isEmpty());
        return Mono.zip(spans, logs.logs(traceId, ids)).flatMap(t -> {
            if (t.getT1().spans().isEmpty() && t.getT2().isEmpty()) return archived(traceId);
            return Responses.json(TraceAssembly.assemble(traceId, t.getT1(), t.getT2(), TraceAssembly.STREAM));
        });
    }

    /**
     * A trace the stream stores no longer hold (older than {@code LOGFLOW_TRACE_RETENTION}): from the search
     * archive, said so in the answer ({@code "source": "elasticsearch"}). 404 when the archive has none either, or
     * cannot be asked (the detail says which).
     */
    private Mono<ServerResponse> archived(String traceId) {
        int maxSpans = props.streams().maxSpansPerTrace();
        int maxLogs = props.streams().maxLogsPerTrace();
        return archive.trace(traceId, maxSpans, maxLogs)
                .onErrorMap(
                        ArchivedTraces::unavailable,
                        e -> ApiException.notFound("no spans or logs found for trace "
                                + traceId + " in the stream stores, and the search archive could not be asked: "
                                + e.getMessage()))
                .flatMap(a -> {
                    if (a.isEmpty())
                        return Mono.error(ApiException.notFound("no spans or logs found for trace " + traceId));
                    SpansPart part = TraceStores.part(Set.of(), traceId, null, a.spans());
                    return Responses.json(TraceAssembly.assemble(traceId, part, a.logs(), TraceAssembly.ARCHIVE));
                });
    }

    record TraceLogsView(String traceId, int count, List<String> services, List<LogRecord> logs) {
        static TraceLogsView of(String traceId, List<LogRecord> logs) {
            TreeSet<String> services = new TreeSet<>();
            logs.forEach(l -> services.add(l.service()));
            return new TraceLogsView(traceId, logs.size(), List.copyOf(services), logs);
        }
    }

    /** {@code GET /api/v1/logs/trace/{traceId}}: only the logs of a trace, oldest first. */
    public Mono<ServerResponse> logs(ServerRequest req) {
        String traceId = Params.traceId("traceId", req.pathVariable("traceId"));
        return logs.logs(traceId, RequestIds.of(req))
                .flatMap(l -> l.isEmpty()
                        ? Mono.error(ApiException.notFound("no logs found for trace " + traceId))
                        : Responses.json(TraceLogsView.of(traceId, l)));
    }

    /**
     * @param archive for a range older than the stream stores keep: {@code elasticsearch} when the search archive
     *     was asked for that part, {@code unavailable} when it could not be; null otherwise
     */
    record SearchView(String from, String to, int limit, int count, List<SummaryView> traces, String archive) {}

    /** {@code GET /api/v1/traces?service=&operation=&minDurationMs=&maxDurationMs=&error=&tag=&from=&to=&limit=}. */
    public Mono<ServerResponse> search(ServerRequest req) {
        Instant now = clock.instant();
        SearchRequest r = search(req.queryParams(), now);
        Mono<List<TracesPart>> stream = cluster.fanOut(stores.traces, r.search(), RequestIds.of(req));
        Instant kept = now.minus(props.streams().traceRetention());
        if (!r.from().isBefore(kept))
            return stream.flatMap(parts ->
                    Responses.json(searchView(r.from(), r.to(), r.search().limit(), parts, null)));
        // the part of the range the stream stores no longer hold: from the search archive
        TraceQuery q = r.search().query();
        long archiveTo = Math.min(r.to().toEpochMilli(), kept.toEpochMilli());
        Mono<TracesPart> archived = archive.recentTraces(
                        q.fromMillis(),
                        archiveTo,
                        q.service(),
                        q.operation(),
                        Math.min(MAX_TRACES, r.search().limit() * 5))
                .map(byTrace -> archivedPart(q, byTrace, r.search().limit()));
        return Mono.zip(
                        stream,
                        archived.map(p -> List.of(p))
                                .onErrorResume(ArchivedTraces::unavailable, e -> Mono.just(List.of())))
                .flatMap(t -> {
                    List<TracesPart> parts = new ArrayList<>(t.getT1());
                    parts.addAll(t.getT2());
                    String archive = t.getT2().isEmpty() ? "unavailable" : TraceAssembly.ARCHIVE;
                    return Responses.json(
                            searchView(r.from(), r.to(), r.search().limit(), parts, archive));
                });
    }

    /** The archived traces' summaries, made from their spans as the stream stores make them, that match the query. */
    static TracesPart archivedPart(TraceQuery q, Map<String, List<SpanRecord>> byTrace, int limit) {
        List<TraceSummary> found = new ArrayList<>();
        for (Map.Entry<String, List<SpanRecord>> e : byTrace.entrySet()) {
            TraceSummary summary =
                    TraceStores.part(Set.of(), e.getKey(), null, e.getValue()).summary();
            if (summary != null && q.matches(summary)) found.add(summary);
        }
        found.sort(TraceStores.NEWEST_FIRST);
        return new TracesPart(Set.of(), found.size() > limit ? found.subList(0, limit) : found);
    }

    /** A search as asked, with the range as given (shown in the answer at the precision asked). */
    record SearchRequest(Instant from, Instant to, Search search) {}

    /** The public search parameters as a search; 400 naming the parameter when one is malformed. */
    static SearchRequest search(MultiValueMap<String, String> query, Instant now) {
        Instant to = Params.instant("to", Params.first(query, "to"), now);
        Instant from = Params.instant("from", Params.first(query, "from"), to.minus(DEFAULT_RANGE));
        Params.range(from, to, MAX_RANGE);
        String service = Params.service("service", Params.first(query, "service"));
        String operation = Params.first(query, "operation")
                .filter(s -> !s.isBlank())
                .map(String::trim)
                .orElse(null);
        Long min = Params.durationNanos("minDurationMs", Params.first(query, "minDurationMs"));
        Long max = Params.durationNanos("maxDurationMs", Params.first(query, "maxDurationMs"));
        if (min != null && max != null && min > max) {
            throw ApiException.badParameter(
                    "minDurationMs", "parameter 'minDurationMs' must not be above 'maxDurationMs'");
        }
        Boolean error = Params.bool("error", Params.first(query, "error"));
        Map<String, String> tags = Params.tags("tag", query.getOrDefault("tag", List.of()));
        int limit = Params.intInRange("limit", Params.first(query, "limit"), 20, 1, MAX_TRACES);
        return new SearchRequest(
                from,
                to,
                new Search(
                        new TraceQuery(
                                service, operation, min, max, error, tags, from.toEpochMilli(), to.toEpochMilli()),
                        limit));
    }

    /**
     * Every instance's matches merged: one summary per trace (the one counting most spans), newest first, at most
     * {@code limit}.
     */
    static SearchView searchView(Instant from, Instant to, int limit, List<TracesPart> parts, String archive) {
        Map<String, TraceSummary> byId = new HashMap<>();
        for (TracesPart p : parts)
            for (TraceSummary t : p.traces())
                byId.merge(t.traceId(), t, (a, b) -> a.spanCount() >= b.spanCount() ? a : b);
        List<TraceSummary> all = new ArrayList<>(byId.values());
        all.sort(TraceStores.NEWEST_FIRST);
        List<SummaryView> views = all.stream().limit(limit).map(SummaryView::of).toList();
        return new SearchView(from.toString(), to.toString(), limit, views.size(), views, archive);
    }
}
