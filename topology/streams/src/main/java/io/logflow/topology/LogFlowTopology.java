package io.logflow.topology;

import io.logflow.model.LogRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The whole LogFlow topology, assembled from its sub-topologies. Building is separate from running:
 * no KafkaStreams in here.
 *
 * <pre>
 * logs ──normalize──┬─▶ logflow.logs ──┬─ service-stats ─▶ service-stats-1m, service-errors-1m, services
 *                   └─▶ logflow.dlq    ├─ recent-logs ───▶ recent-logs, recent-logs-cursor
 *                                      └─ trace-logs ────▶ trace-logs, trace-log-counts (key trace id, no repartition)
 * otlp_logs ──otlp-logs-normalize──┬─▶ logflow.logs (as above)
 *                                  └─▶ logflow.dlq
 * otlp_spans ──otlp-spans-normalize──┬─▶ logflow.spans (key trace id)
 *                                    └─▶ logflow.dlq
 * logflow.spans (by trace id) ── trace-assembly ─▶ trace-spans, trace-states, trace-index, span-metrics-1m,
 * service-edges-1m
 * </pre>
 *
 * {@code logflow.logs} is read once and fanned out, so each log is deserialised once; its
 * sub-topology (id 1) holds every log store, the trace logs included (no repartition, ADR 012).
 * Sub-topology ids, and with them task ids and task state directories, follow the order in which
 * sources are added: the OTLP and trace sub-topologies are added after the log ones, so those keep
 * their ids 0 and 1. Removing a sub-topology renumbers the ones after it: dropping the trace-logs
 * repartition moved OTLP spans, OTLP logs, trace assembly and span alerts down by one (see
 * topology/README.md, "Sub-topology ids").
 */
public final class LogFlowTopology {
    private LogFlowTopology() {}

    public static Topology build(TopologyOptions options) {
        return build(options, new StreamsBuilder());
    }

    /** Builds into the given builder (tests pass one whose TopologyConfig enforces explicit naming). */
    static Topology build(TopologyOptions options, StreamsBuilder builder) {
        NormalizeTopology.addTo(builder, options);
        KStream<String, LogRecord> logs = NormalizedLogs.stream(builder);
        ServiceStatsTopology.addTo(builder, logs, options);
        RecentLogsTopology.addTo(builder, logs, options);
        TraceLogsTopology.addTo(builder, logs, options);
        OtlpTopology.addTo(builder, options);
        KStream<String, io.logflow.model.SpanRecord> watchedSpans = TraceTopology.addTo(builder, options, true);
        AlertTopology.addRules(builder);
        AlertTopology.addLogs(builder, logs);
        AlertTopology.addSpans(builder, watchedSpans);
        AlertTopology.addResets(builder); // last: see there
        return builder.build();
    }
}
