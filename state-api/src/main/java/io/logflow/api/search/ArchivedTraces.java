package io.logflow.api.search;

import co.elastic.clients.elasticsearch._types.SortOrder;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.codec.SpanJson;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A trace read back from the search indices, for a trace older than the stream stores keep ({@code
 * LOGFLOW_TRACE_RETENTION}): its spans from the spans alias and its logs from the logs alias, as the sink stored
 * them ({@code _source} without the fields the sink added), at most as many as the stream stores would keep.
 */
@Component
public class ArchivedTraces {
    /** What the archive holds of one trace. */
    public record Archived(List<SpanRecord> spans, List<LogRecord> logs) {
        public boolean isEmpty() {
            return spans.isEmpty() && logs.isEmpty();
        }
    }

    private final Elastic elastic;

    ArchivedTraces(Elastic elastic) {
        this.elastic = elastic;
    }

    /**
     * The trace's spans (by start) and logs (by time); fails with a 503-mapped error when Elasticsearch is not
     * there ({@link #unavailable}).
     */
    public Mono<Archived> trace(String traceId, int maxSpans, int maxLogs) {
        Mono<List<SpanRecord>> spans = elastic.call(c -> c.search(
                        s -> elastic.onSpans(s)
                                .query(q ->
                                        q.term(t -> t.field(SpanJson.TRACE_ID).value(traceId)))
                                .source(src -> src.filter(f -> f.excludes("span.start", "span.end")))
                                .sort(o ->
                                        o.field(f -> f.field(SpanJson.START_NS).order(SortOrder.Asc)))
                                .size(maxSpans),
                        Source.class))
                .map(r -> {
                    List<SpanRecord> out = new ArrayList<>();
                    for (var h : r.hits().hits()) out.add(h.source().span());
                    return out;
                });
        Mono<List<LogRecord>> logs = elastic.call(c -> c.search(
                        s -> elastic.onLogs(s)
                                .query(q ->
                                        q.term(t -> t.field(EcsJson.TRACE_ID).value(traceId)))
                                .sort(o ->
                                        o.field(f -> f.field(EcsJson.TIMESTAMP).order(SortOrder.Asc)))
                                .sort(o ->
                                        o.field(f -> f.field(EcsJson.EVENT_ID).order(SortOrder.Asc)))
                                .size(maxLogs),
                        Source.class))
                .map(r -> {
                    List<LogRecord> out = new ArrayList<>();
                    for (var h : r.hits().hits()) out.add(h.source().log());
                    return out;
                });
        return Mono.zip(spans, logs).map(t -> new Archived(t.getT1(), t.getT2()));
    }

    /** At most this many spans are read for one trace search (Elasticsearch's default window). */
    static final int MAX_SEARCH_SPANS = 10_000;

    /**
     * The spans of the newest traces that have a span starting in {@code [fromMillis, toMillis]} — of {@code service}
     * (and {@code operation}) when given — grouped by trace, for the caller to summarise and match: at most {@code
     * candidates} traces, newest latest span first, and at most {@value #MAX_SEARCH_SPANS} spans in all.
     */
    public Mono<java.util.Map<String, List<SpanRecord>>> recentTraces(
            long fromMillis, long toMillis, String service, String operation, int candidates) {
        co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery.Builder b =
                new co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery.Builder();
        b.filter(f -> f.range(r -> r.date(d -> d.field(SpanJson.TIMESTAMP)
                .gte(Long.toString(fromMillis))
                .lte(Long.toString(toMillis))
                .format("epoch_millis"))));
        if (service != null) b.filter(f -> f.term(t -> t.field(SpanJson.SERVICE).value(service)));
        if (operation != null) b.filter(f -> f.term(t -> t.field(SpanJson.NAME).value(operation)));
        var filter = b.build();
        Mono<List<String>> ids = elastic.call(c -> c.search(
                        s -> elastic.onSpans(s)
                                .size(0)
                                .query(q -> q.bool(filter))
                                .aggregations(
                                        "traces",
                                        a -> a.terms(t -> t.field(SpanJson.TRACE_ID)
                                                        .size(candidates)
                                                        .order(java.util.List.of(co.elastic.clients.util.NamedValue.of(
                                                                "latest", SortOrder.Desc))))
                                                .aggregations("latest", x -> x.max(m -> m.field(SpanJson.START_NS)))),
                        Source.class))
                .map(r -> r.aggregations().get("traces").sterms().buckets().array().stream()
                        .map(bucket -> bucket.key().stringValue())
                        .toList());
        return ids.flatMap(list -> {
            if (list.isEmpty()) return Mono.just(java.util.Map.<String, List<SpanRecord>>of());
            List<co.elastic.clients.elasticsearch._types.FieldValue> values = list.stream()
                    .map(co.elastic.clients.elasticsearch._types.FieldValue::of)
                    .toList();
            return elastic.call(c -> c.search(
                            s -> elastic.onSpans(s)
                                    .query(q -> q.terms(
                                            t -> t.field(SpanJson.TRACE_ID).terms(v -> v.value(values))))
                                    .source(src -> src.filter(f -> f.excludes("span.start", "span.end")))
                                    .size(MAX_SEARCH_SPANS),
                            Source.class))
                    .map(r -> {
                        java.util.Map<String, List<SpanRecord>> byTrace = new java.util.LinkedHashMap<>();
                        for (var h : r.hits().hits()) {
                            SpanRecord span = h.source().span();
                            byTrace.computeIfAbsent(span.traceId(), k -> new ArrayList<>())
                                    .add(span);
                        }
                        return byTrace;
                    });
        });
    }

    /** Whether {@code e} says that the archive could not be asked (Elasticsearch down or not configured). */
    public static boolean unavailable(Throwable e) {
        return e instanceof SearchUnavailable;
    }
}
