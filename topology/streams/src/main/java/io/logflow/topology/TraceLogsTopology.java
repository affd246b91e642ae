package io.logflow.topology;

import io.logflow.model.LogRecord;
import io.logflow.model.schema.Stores;
import java.time.Duration;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * {@code logflow.logs} → the logs of every trace, from every service, in time order, kept in the
 * sub-topology that reads {@code logflow.logs} (the one of {@link ServiceStatsTopology}), with no
 * repartition.
 *
 * <p>Each log with a trace id is put into {@link Stores#TRACE_LOGS}, a window store with duplicates
 * retained, keyed by its trace id, at its event time: {@code fetch(traceId, from, to)} returns the
 * trace's logs in time order (same timestamps: arrival order). The record key stays the service, so
 * the store's partition p holds the trace logs that arrived on {@code logflow.logs} partition p.
 * <b>A trace's logs are therefore spread over the partitions of its services</b>, like the span
 * metrics of {@link TraceTopology}: reading a trace means reading every partition and merging
 * (the state-api fans out to every instance). Re-keying by trace id would cost, per log, one more
 * produced and consumed record, one more deserialisation and one more task hop
 * (docs/adr/012-trace-logs-without-repartition.md).
 *
 * <p><b>Retention.</b> "Stream time" is the highest record time (= event time) seen on the task's
 * {@code logflow.logs} partition. A log older than {@code streamTime - traceRetention} is not
 * stored (it would expire at once); stored logs are removed by Kafka Streams segment by segment
 * once they are older than the retention, so a fetch may still return logs up to one segment
 * ({@code max(retention / 2, 60 s)}) older.
 *
 * <p><b>Bound, per trace and partition.</b> Time is cut into buckets of one retention period,
 * aligned to the epoch. {@link Stores#TRACE_LOG_COUNTS} (window store, window = bucket) counts the
 * logs stored per trace and bucket in this partition. A log is stored only while the counts of its
 * bucket and of both neighbouring buckets add up to less than {@link
 * TopologyOptions#maxLogsPerTrace()}; otherwise it is skipped (it is still in {@code
 * logflow.logs}). So in one partition any two adjacent buckets together never hold more than
 * {@code maxLogsPerTrace} logs of a trace, and since unexpired logs span at most two adjacent
 * buckets, a partition never holds more than {@code maxLogsPerTrace} logs of a trace within any
 * retention period. A trace whose services write to k partitions may thus keep up to {@code k ×
 * maxLogsPerTrace} logs; readers cap the merged answer at {@code maxLogsPerTrace}. The logs kept
 * are the first ones to arrive in each partition, not the earliest by time. A very long trace gets
 * a fresh allowance once its earlier logs have expired. The counts store keeps four buckets, so its
 * size is bounded like the logs'.
 */
public final class TraceLogsTopology {
    static final String PROCESSOR = "trace-logs";
    /** Counts kept decoded per task (each about 150 bytes): the traces of the last seconds. */
    static final int RECENT_COUNTS = 20_000;
    /** Window size of TRACE_LOGS: a log is an instant. */
    static final Duration LOG_WINDOW = Duration.ofMillis(1);

    private TraceLogsTopology() {}

    public static void addTo(StreamsBuilder builder, TopologyOptions options) {
        addTo(builder, NormalizedLogs.stream(builder), options);
    }

    static void addTo(StreamsBuilder builder, KStream<String, LogRecord> logs, TopologyOptions options) {
        Duration retention = options.traceRetention();
        builder.addStateStore(StoreBuilders.windowWithDuplicates(Stores.TRACE_LOGS, retention, LOG_WINDOW));
        builder.addStateStore(StoreBuilders.windowWriteBehind(
                Stores.TRACE_LOG_COUNTS,
                retention.multipliedBy(4),
                retention,
                RECENT_COUNTS,
                WriteBehind.FlushListener.NONE));
        long retentionMs = retention.toMillis();
        int max = options.maxLogsPerTrace();
        // no filter or selectKey node: the processor skips logs without a trace id and keys the stores itself
        logs.process(
                () -> new TraceLogsProcessor(retentionMs, max),
                Named.as(PROCESSOR),
                Stores.TRACE_LOGS.name(),
                Stores.TRACE_LOG_COUNTS.name());
    }

    /**
     * Record key: the service (ignored); store key: the log's trace id.
     *
     * <p>The count store is written behind ({@link WriteBehind}): the counts this task read or wrote
     * last ({@link #RECENT_COUNTS}) are kept in memory, so the three count lookups of a log whose trace
     * was seen moments ago skip RocksDB, and the logs of a trace arriving together cost one count
     * write per commit.
     */
    static final class TraceLogsProcessor implements Processor<String, LogRecord, Void, Void> {
        private final long retentionMs;
        private final int max;
        private ProcessorContext<Void, Void> context;
        private WindowStore<String, LogRecord> logs;
        private WindowStore<String, Long> counts;

        TraceLogsProcessor(long retentionMs, int max) {
            this.retentionMs = retentionMs;
            this.max = max;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            logs = context.getStateStore(Stores.TRACE_LOGS.name());
            counts = context.getStateStore(Stores.TRACE_LOG_COUNTS.name());
        }

        @Override
        public void process(Record<String, LogRecord> record) {
            LogRecord log = record.value();
            if (log == null) return;
            String traceId = log.traceId();
            if (traceId == null) return;
            long ts = log.timestamp();
            if (ts <= context.currentStreamTimeMs() - retentionMs) return; // already expired
            long bucket = ts - Math.floorMod(ts, retentionMs);
            long inBucket = count(traceId, bucket);
            if (inBucket + count(traceId, bucket - retentionMs) + count(traceId, bucket + retentionMs) >= max)
                return; // trace full
            logs.put(traceId, log, ts);
            counts.put(traceId, inBucket + 1, bucket);
        }

        private long count(String traceId, long bucket) {
            Long stored = counts.fetch(traceId, bucket);
            return stored == null ? 0 : stored;
        }
    }
}
