package io.logflow.api.search;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.Time;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.HighlightField;
import co.elastic.clients.elasticsearch.core.search.HighlighterEncoder;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.TotalHitsRelation;
import co.elastic.clients.util.NamedValue;
import io.logflow.api.cache.AnswerCache;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Params;
import io.logflow.api.web.Responses;
import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.codec.EcsJson;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/logs/search}: logs matching a query, newest first, with highlighted matches, the total (exact up
 * to {@value #TRACK_TOTAL} hits, "at least" beyond), a count histogram over the range (first page only) and a cursor
 * for the next page. {@code GET /api/v1/logs/{eventId}} and {@code .../context}: one log, and the lines around it
 * from the same service instance.
 *
 * <p>Paging: every page is sorted on ({@code @timestamp}, {@code event.id}) and continues with {@code search_after}
 * from the last hit of the page before, so pages neither overlap nor skip while new logs arrive, and there is no
 * 10,000-hit wall. The first page reads the alias directly; a point in time is opened only when a second page is
 * asked for, and the pages after it read that point in time. (Most searches never ask for a second page: opening one
 * per first page cost a request to Elasticsearch each and kept thousands of search contexts open under load.) A
 * point in time that expired (a cursor older than {@code pit-keep-alive}) is replaced by a new one at the same
 * position. The last page closes it.
 */
@Component
public class LogSearch {
    static final int TRACK_TOTAL = 10_000;
    static final String TIMESTAMP = EcsJson.TIMESTAMP;

    /** Fields a bare word is looked up in: the message, and the ids a user pastes. */
    static final List<String> DEFAULT_FIELDS = List.of(
            EcsJson.MESSAGE,
            EcsJson.LEVEL,
            EcsJson.TRACE_ID,
            EcsJson.SPAN_ID,
            EcsJson.EVENT_ID,
            EcsJson.REQUEST_ID,
            EcsJson.SERVICE);

    private final Elastic elastic;
    private final AnswerCache cache;
    private final Clock clock;

    LogSearch(Elastic elastic, AnswerCache cache) {
        this.elastic = elastic;
        this.cache = cache;
        this.clock = Clock.systemUTC();
    }

    /** A first page is cached for the short TTL (what Elasticsearch holds is never closed); later pages never. */
    public Mono<ServerResponse> search(ServerRequest req) {
        LogQuery q = LogQuery.parse(req.queryParams(), clock.instant());
        if (q.cursor() != null) return pitOf(q).flatMap(pit -> page(q, pit)).flatMap(Responses::json);
        return cache.json(q.cacheKey(req.queryParams()), () -> page(q, NO_PIT));
    }

    /** The point in time of this page: none ("") for a first page, the cursor's, or a new one for a second page. */
    private Mono<String> pitOf(LogQuery q) {
        if (q.cursor() == null) return Mono.just(NO_PIT);
        if (q.cursor().pit() != null) return Mono.just(q.cursor().pit());
        return newPit();
    }

    private static final String NO_PIT = "";

    private Mono<String> newPit() {
        String keepAlive = seconds(elastic.settings().pitKeepAlive());
        return elastic.call(c ->
                        c.openPointInTime(p -> p.index(elastic.settings().logsAlias())
                                .keepAlive(Time.of(t -> t.time(keepAlive)))
                                .ignoreUnavailable(true)))
                .map(r -> r.id());
    }

    private Mono<Map<String, Object>> page(LogQuery q, String pit) {
        return elastic.call(c -> c.search(request(q, pit), Source.class))
                .onErrorResume(
                        e -> e instanceof ElasticsearchException ee && QueryErrors.expiredPit(ee),
                        // the cursor outlived its point in time: a new one, read from the same position
                        e -> newPit().flatMap(fresh -> elastic.call(c -> c.search(request(q, fresh), Source.class))))
                .onErrorMap(ElasticsearchException.class, e -> QueryErrors.badQuery(q, e))
                .map(r -> answer(q, r));
    }

    SearchRequest request(LogQuery q, String pit) {
        SortOrder order = q.ascending() ? SortOrder.Asc : SortOrder.Desc;
        return SearchRequest.of(s -> {
            if (pit.equals(NO_PIT)) elastic.onLogs(s);
            else
                s.pit(p -> p.id(pit)
                        .keepAlive(
                                Time.of(t -> t.time(seconds(elastic.settings().pitKeepAlive())))));
            s.query(query(q))
                    .size(q.limit() + 1)
                    .sort(o -> o.field(f -> f.field(TIMESTAMP).order(order).format("epoch_millis")))
                    .sort(o -> o.field(f -> f.field(EcsJson.EVENT_ID).order(order)))
                    .trackTotalHits(t -> t.count(TRACK_TOTAL))
                    .highlight(h -> h.encoder(HighlighterEncoder.Html)
                            .preTags("<mark>")
                            .postTags("</mark>")
                            .requireFieldMatch(false)
                            .fields(NamedValue.of(EcsJson.MESSAGE, HighlightField.of(f -> f.numberOfFragments(0)))));
            if (q.cursor() != null) {
                s.searchAfter(
                        q.cursor().after().stream().map(LogSearch::fieldValue).toList());
            } else {
                s.aggregations(
                        "histogram",
                        a -> a.dateHistogram(d -> d.field(TIMESTAMP)
                                .fixedInterval(Time.of(
                                        t -> t.time(q.histogramInterval().label())))
                                .minDocCount(0)
                                .extendedBounds(b -> b.min(FieldDateMath.of(
                                                m -> m.value((double) q.from().toEpochMilli())))
                                        .max(FieldDateMath.of(m -> m.value((double) q.to().toEpochMilli()))))));
            }
            return s;
        });
    }

    static Query query(LogQuery q) {
        BoolQuery.Builder b = new BoolQuery.Builder();
        if (!q.q().isEmpty()) {
            b.must(m -> m.queryString(qs -> qs.query(QueryText.rewrite(q.q()))
                    .fields(DEFAULT_FIELDS)
                    .defaultOperator(Operator.And)
                    .lenient(true)
                    .allowLeadingWildcard(false)
                    .analyzeWildcard(true)));
        }
        b.filter(f -> f.range(r -> r.date(d -> d.field(TIMESTAMP)
                .gte(Long.toString(q.from().toEpochMilli()))
                .lte(Long.toString(q.to().toEpochMilli()))
                .format("epoch_millis"))));
        if (q.service() != null)
            b.filter(f -> f.term(t -> t.field(EcsJson.SERVICE).value(q.service())));
        if (q.traceId() != null)
            b.filter(f -> f.term(t -> t.field(EcsJson.TRACE_ID).value(q.traceId())));
        if (q.level() != null) {
            List<FieldValue> levels = new ArrayList<>();
            for (Level l : Level.values()) if (l.ordinal() >= q.level().ordinal()) levels.add(FieldValue.of(l.name()));
            b.filter(f -> f.terms(t -> t.field(EcsJson.LEVEL).terms(v -> v.value(levels))));
        }
        return Query.of(x -> x.bool(b.build()));
    }

    private Map<String, Object> answer(LogQuery q, SearchResponse<Source> r) {
        List<Hit<Source>> hits = r.hits().hits();
        boolean more = hits.size() > q.limit();
        List<Map<String, Object>> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(hits.size(), q.limit()); i++) shown.add(hit(hits.get(i)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("query", q.echo());
        long total = r.hits().total() == null ? hits.size() : r.hits().total().value();
        boolean atLeast = r.hits().total() != null && r.hits().total().relation() == TotalHitsRelation.Gte;
        m.put("total", total);
        m.put("totalRelation", atLeast ? "gte" : "eq");
        m.put("tookMs", r.took());
        m.put("hits", shown);
        if (r.aggregations().containsKey("histogram")) {
            List<Map<String, Object>> buckets = new ArrayList<>();
            for (DateHistogramBucket bucket :
                    r.aggregations().get("histogram").dateHistogram().buckets().array()) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("time", Instant.ofEpochMilli(bucket.key()).toString());
                b.put("count", bucket.docCount());
                buckets.add(b);
            }
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("interval", q.histogramInterval().label());
            h.put("buckets", buckets);
            m.put("histogram", h);
        }
        String pit = r.pitId();
        if (more) {
            List<Object> after = new ArrayList<>();
            for (FieldValue v : hits.get(q.limit() - 1).sort()) after.add(plain(v));
            m.put(
                    "cursor",
                    new Cursor(pit, after, q.from().toEpochMilli(), q.to().toEpochMilli(), q.fingerprint()).encode());
        } else {
            m.put("cursor", null);
            if (pit != null) close(pit);
        }
        return m;
    }

    static Map<String, Object> hit(Hit<Source> h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("log", h.source().log());
        if (h.highlight() != null && !h.highlight().isEmpty()) m.put("highlight", h.highlight());
        return m;
    }

    private void close(String pit) {
        elastic.call(c -> c.closePointInTime(p -> p.id(pit))).subscribe(r -> {}, e -> {});
    }

    static FieldValue fieldValue(Object v) {
        if (v instanceof Long l) return FieldValue.of(l);
        if (v instanceof Double d) return FieldValue.of(d);
        return FieldValue.of((String) v);
    }

    static Object plain(FieldValue v) {
        if (v.isLong()) return v.longValue();
        if (v.isDouble()) return v.doubleValue();
        if (v.isString()) return v.stringValue();
        if (v.isBoolean()) return v.booleanValue() ? 1L : 0L;
        return "";
    }

    static String seconds(java.time.Duration d) {
        return Math.max(1, d.toSeconds()) + "s";
    }

    static String eventId(ServerRequest req) {
        String id = req.pathVariable("eventId");
        if (id.isBlank() || id.length() > 128 || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f))
            throw ApiException.badParameter("eventId", "eventId must be 1 to 128 printable ASCII characters");
        return id;
    }

    /** {@code GET /api/v1/logs/{eventId}}. */
    public Mono<ServerResponse> get(ServerRequest req) {
        String id = eventId(req);
        return find(id).flatMap(Responses::json);
    }

    private Mono<LogRecord> find(String id) {
        return elastic.call(c -> c.search(
                        s -> elastic.onLogs(s)
                                .query(x -> x.ids(i -> i.values(id)))
                                .size(1),
                        Source.class))
                .flatMap(r -> r.hits().hits().isEmpty()
                        ? Mono.error(ApiException.notFound("no log with event id " + id
                                + " in the search indices (it may be older than the search retention)"))
                        : Mono.just(r.hits().hits().get(0).source().log()));
    }

    /** Label keys that name the instance that wrote a log, most specific first. */
    static final List<String> INSTANCE_LABELS = List.of(
            "resource.service.instance.id",
            "resource.host.name",
            "service.instance.id",
            "host.name",
            "host",
            "hostname",
            "instance",
            "pod");

    /** {@code GET /api/v1/logs/{eventId}/context?before=20&after=20}: the lines around a log, as {@code grep -C}. */
    public Mono<ServerResponse> context(ServerRequest req) {
        String id = eventId(req);
        int before = Params.intInRange("before", req.queryParam("before"), 20, 0, 500);
        int after = Params.intInRange("after", req.queryParam("after"), 20, 0, 500);
        return find(id).flatMap(anchor -> {
                    String instanceLabel = null;
                    for (String k : INSTANCE_LABELS)
                        if (anchor.labels().containsKey(k)) {
                            instanceLabel = k;
                            break;
                        }
                    String label = instanceLabel;
                    Mono<List<LogRecord>> older = around(anchor, label, before, false);
                    Mono<List<LogRecord>> newer = around(anchor, label, after, true);
                    return Mono.zip(older, newer).map(t -> {
                        List<LogRecord> olderFirst = new ArrayList<>(t.getT1());
                        java.util.Collections.reverse(olderFirst);
                        Map<String, Object> m = new LinkedHashMap<>();
                        Map<String, Object> same = new LinkedHashMap<>();
                        same.put("service", anchor.service());
                        if (label != null)
                            same.put("labels." + label, anchor.labels().get(label));
                        m.put("sameAs", same);
                        m.put("before", olderFirst);
                        m.put("log", anchor);
                        m.put("after", t.getT2());
                        return m;
                    });
                })
                .flatMap(Responses::json);
    }

    private Mono<List<LogRecord>> around(LogRecord anchor, String instanceLabel, int n, boolean newer) {
        if (n == 0) return Mono.just(List.of());
        SortOrder order = newer ? SortOrder.Asc : SortOrder.Desc;
        BoolQuery.Builder b = new BoolQuery.Builder();
        b.filter(f -> f.term(t -> t.field(EcsJson.SERVICE).value(anchor.service())));
        if (instanceLabel != null)
            b.filter(f -> f.term(t -> t.field(EcsJson.LABELS + "." + instanceLabel)
                    .value(anchor.labels().get(instanceLabel))));
        Query query = Query.of(x -> x.bool(b.build()));
        return elastic.call(c -> c.search(
                        s -> elastic.onLogs(s)
                                .query(query)
                                .size(n)
                                .sort(o -> o.field(
                                        f -> f.field(TIMESTAMP).order(order).format("epoch_millis")))
                                .sort(o ->
                                        o.field(f -> f.field(EcsJson.EVENT_ID).order(order)))
                                .searchAfter(FieldValue.of(anchor.timestamp()), FieldValue.of(anchor.eventId())),
                        Source.class))
                .map(r -> r.hits().hits().stream().map(h -> h.source().log()).toList());
    }
}
