package io.logflow.topology;

import io.logflow.model.LogFlowSerdes;
import io.logflow.model.LogRecord;
import io.logflow.model.Stores;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * {@code logflow.logs} → the logs of every trace, from every service, in time order.
 *
 * <p>Logs with a trace id are re-keyed by it and sent through the repartition topic {@code
 * <application.id>-trace-logs-by-trace-repartition} (key: the trace id serialised with {@code
 * StringSerializer}, value: {@link LogFlowSerdes#logRecord()}), so all logs of one trace land on one
 * partition and the owner of a trace is found with {@code
 * KafkaStreams.queryMetadataForKey(Stores.TRACE_LOGS, traceId, Serdes.String().serializer())}.
 * There each log is put into {@link Stores#TRACE_LOGS}, a window store with duplicates retained,
 * at its event time: {@code fetch(traceId, from, to)} returns the trace's logs in time order (same
 * timestamps: arrival order).
 *
 * <p><b>Retention.</b> "Stream time" is the highest log timestamp seen on the partition. A log
 * older than {@code streamTime - traceRetention} is not stored (it would expire at once); stored
 * logs are removed by Kafka Streams segment by segment once they are older than the retention,
 * so a fetch may still return logs up to one segment ({@code max(retention / 2, 60 s)}) older.
 *
 * <p><b>Bound.</b> Time is cut into buckets of one retention period, aligned to the epoch. {@link
 * Stores#TRACE_LOG_COUNTS} (window store, window = bucket) counts the logs stored per trace and
 * bucket. A log is stored only while the counts of its bucket and of both neighbouring buckets add
 * up to less than {@link TopologyOptions#maxLogsPerTrace()}; otherwise it is skipped (it is still
 * in {@code logflow.logs}). So any two adjacent buckets together never hold more than {@code
 * maxLogsPerTrace} logs of a trace, and since unexpired logs span at most two adjacent buckets, a
 * trace never has more than {@code maxLogsPerTrace} logs within any retention period. The logs
 * kept are the first ones to arrive, not the earliest by time. A very long trace gets a fresh
 * allowance once its earlier logs have expired. The counts store keeps four buckets, so its size is
 * bounded like the logs'.
 */
public final class TraceLogsTopology {
  static final String FILTER = "trace-logs-with-trace-id";
  static final String SELECT_KEY = "trace-logs-key-by-trace-id";
  static final String REPARTITION = "trace-logs-by-trace";
  static final String PROCESSOR = "trace-logs";
  /** Window size of TRACE_LOGS: a log is an instant. */
  static final Duration LOG_WINDOW = Duration.ofMillis(1);

  private TraceLogsTopology() {}

  public static void addTo(StreamsBuilder builder, TopologyOptions options) {
    addTo(builder, NormalizedLogs.stream(builder), options);
  }

  static void addTo(StreamsBuilder builder, KStream<String, LogRecord> logs, TopologyOptions options) {
    Duration retention = options.traceRetention();
    builder.addStateStore(StoreBuilders.windowWithDuplicates(Stores.TRACE_LOGS, retention, LOG_WINDOW, LogFlowSerdes.logRecord()));
    builder.addStateStore(StoreBuilders.window(Stores.TRACE_LOG_COUNTS, retention.multipliedBy(4), retention, Serdes.Long()));
    long retentionMs = retention.toMillis();
    int max = options.maxLogsPerTrace();
    logs.filter((service, log) -> log != null && log.traceId() != null, Named.as(FILTER))
        .selectKey((service, log) -> log.traceId(), Named.as(SELECT_KEY))
        .repartition(Repartitioned.<String, LogRecord>as(REPARTITION)
            .withKeySerde(Serdes.String())
            .withValueSerde(LogFlowSerdes.logRecord()))
        .process(() -> new TraceLogsProcessor(retentionMs, max), Named.as(PROCESSOR), Stores.TRACE_LOGS, Stores.TRACE_LOG_COUNTS);
  }

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
      logs = context.getStateStore(Stores.TRACE_LOGS);
      counts = context.getStateStore(Stores.TRACE_LOG_COUNTS);
    }

    @Override
    public void process(Record<String, LogRecord> record) {
      String traceId = record.key();
      LogRecord log = record.value();
      if (traceId == null || log == null) return;
      long ts = log.timestamp();
      if (ts <= context.currentStreamTimeMs() - retentionMs) return; // already expired
      long bucket = ts - Math.floorMod(ts, retentionMs);
      long inBucket = count(traceId, bucket);
      if (inBucket + count(traceId, bucket - retentionMs) + count(traceId, bucket + retentionMs) >= max) return; // trace full
      logs.put(traceId, log, ts);
      counts.put(traceId, inBucket + 1, bucket);
    }

    private long count(String traceId, long bucket) {
      Long c = counts.fetch(traceId, bucket);
      return c == null ? 0 : c;
    }
  }
}
