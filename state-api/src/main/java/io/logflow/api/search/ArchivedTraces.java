package io.logflow.api.search;

import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.json.JsonData;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.codec.SpanJson;
import java.nio.charset.StandardCharsets;
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
                        s -> s.index(elastic.settings().spansAlias())
                                .ignoreUnavailable(true)
                                .allowNoIndices(true)
                                .query(q ->
                                        q.term(t -> t.field(SpanJson.TRACE_ID).value(traceId)))
                                .source(src -> src.filter(f -> f.excludes("span.start", "span.end")))
                                .sort(o ->
                                        o.field(f -> f.field(SpanJson.START_NS).order(SortOrder.Asc)))
                                .size(maxSpans),
                        JsonData.class))
                .map(r -> {
                    List<SpanRecord> out = new ArrayList<>();
                    for (var h : r.hits().hits()) out.add(SpanJson.read(bytes(h.source())));
                    return out;
                });
        Mono<List<LogRecord>> logs = elastic.call(c -> c.search(
                        s -> s.index(elastic.settings().logsAlias())
                                .ignoreUnavailable(true)
                                .allowNoIndices(true)
                                .query(q ->
                                        q.term(t -> t.field(EcsJson.TRACE_ID).value(traceId)))
                                .sort(o ->
                                        o.field(f -> f.field(EcsJson.TIMESTAMP).order(SortOrder.Asc)))
                                .sort(o ->
                                        o.field(f -> f.field(EcsJson.EVENT_ID).order(SortOrder.Asc)))
                                .size(maxLogs),
                        JsonData.class))
                .map(r -> {
                    List<LogRecord> out = new ArrayList<>();
                    for (var h : r.hits().hits()) out.add(EcsJson.read(bytes(h.source())));
                    return out;
                });
        return Mono.zip(spans, logs).map(t -> new Archived(t.getT1(), t.getT2()));
    }

    /** Whether {@code e} says that the archive could not be asked (Elasticsearch down or not configured). */
    public static boolean unavailable(Throwable e) {
        return e instanceof SearchUnavailable;
    }

    private static byte[] bytes(JsonData source) {
        return source.toJson().toString().getBytes(StandardCharsets.UTF_8);
    }
}
