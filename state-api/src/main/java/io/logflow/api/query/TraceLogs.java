package io.logflow.api.query;

import io.logflow.api.cluster.Cluster;
import io.logflow.api.cluster.LocalReads;
import io.logflow.api.cluster.QueryViews;
import io.logflow.api.cluster.View;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.query.RecentLogs.LogsPart;
import io.logflow.api.web.RequestIds;
import io.logflow.model.LogRecord;
import io.logflow.model.schema.Stores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The logs of one trace as a queryable view. {@code trace-logs} is keyed by trace id but
 * partitioned like {@code logflow.logs} (by service), so a trace's logs may be in any partition:
 * every instance answers for all its partitions and the parts are merged (ADR 012).
 */
@Component
class TraceLogs implements QueryViews {
    private final Cluster cluster;
    private final LocalReads local;
    private final int maxLogsPerTrace;

    final View<String, LogsPart> view;

    TraceLogs(Cluster cluster, LocalReads local, LogFlowProperties props) {
        this.cluster = cluster;
        this.local = local;
        this.maxLogsPerTrace = props.streams().maxLogsPerTrace();
        this.view = View.of(
                "trace",
                Stores.TRACE_LOGS,
                LogsPart.class,
                TraceStores::traceIdQuery,
                TraceStores::traceId,
                this::read);
    }

    @Override
    public List<View<?, ?>> views() {
        return List.of(view);
    }

    /**
     * The logs of one trace from every instance, oldest first (ties: event id), at most the per-trace
     * maximum: a fan-out, complete or a 503.
     */
    Mono<List<LogRecord>> logs(String traceId, RequestIds.Ids ids) {
        return cluster.fanOut(view, traceId, ids)
                .map(parts -> Merge.mergeSorted(
                        parts.stream().map(LogsPart::logs).toList(), Merge.OLDEST_FIRST, maxLogsPerTrace));
    }

    /**
     * This instance's logs of one trace, oldest first, at most the per-trace maximum (a partition
     * keeps up to this many per trace, so several partitions may hold more).
     */
    LogsPart read(String traceId) {
        List<LogRecord> out = new ArrayList<>();
        Set<Integer> read = local.forEachPartition(Stores.TRACE_LOGS, null, p -> {
            ReadOnlyWindowStore<String, LogRecord> store = local.window(Stores.TRACE_LOGS, p);
            try (WindowStoreIterator<LogRecord> it = store.fetch(traceId, Instant.EPOCH, TraceStores.FAR_FUTURE)) {
                while (it.hasNext()) out.add(it.next().value);
            }
        });
        // the first maxLogsPerTrace of the merged answer are among the first maxLogsPerTrace of each part
        return new LogsPart(read, Merge.mergeSorted(List.of(out), Merge.OLDEST_FIRST, maxLogsPerTrace));
    }
}
