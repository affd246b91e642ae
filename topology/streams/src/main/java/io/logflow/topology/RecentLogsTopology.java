package io.logflow.topology;

import io.logflow.model.LogRecord;
import io.logflow.model.RecentLogKey;
import io.logflow.model.schema.LogFlowSerdes;
import io.logflow.model.schema.Stores;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code logflow.logs} → the most recent logs of every service, per level.
 *
 * <p>Each (service, level) pair owns a ring of {@link TopologyOptions#recentLogsPerLevel()} slots
 * in {@link Stores#RECENT_LOGS} (key {@link RecentLogKey#encode()}, value {@link
 * LogFlowSerdes#logRecord()}); {@link Stores#RECENT_LOGS_CURSOR} (key {@link
 * RecentLogKey#cursorKey}, value Long) holds how many logs that pair has received, so the next log
 * goes to slot {@code cursor % size} and overwrites the oldest. A flood of INFO logs therefore never
 * pushes the last ERRORs out, and the store holds at most {@code services × 6 × size} entries.
 *
 * <p>"Recent" means recently <em>received</em>: a late log takes the next slot like any other.
 * Readers sort what they read by {@link LogRecord#timestamp()} (ties: event id). The newest slot is
 * {@code (cursor - 1) % size}. If the ring size is reduced, slots beyond the new size keep their
 * old logs until the service's entries are removed; readers should ignore slots {@code >= size}.
 */
public final class RecentLogsTopology {
    static final String PROCESSOR = "recent-logs";

    private RecentLogsTopology() {}

    public static void addTo(StreamsBuilder builder, TopologyOptions options) {
        addTo(builder, NormalizedLogs.stream(builder), options);
    }

    static void addTo(StreamsBuilder builder, KStream<String, LogRecord> logs, TopologyOptions options) {
        // No record cache for the ring: every log lands in a different slot, so a cache would only
        // delay the same RocksDB put and changelog record (and cost a copy); the cursor is cached.
        builder.addStateStore(StoreBuilders.keyValueUncached(Stores.RECENT_LOGS));
        builder.addStateStore(StoreBuilders.keyValue(Stores.RECENT_LOGS_CURSOR));
        int size = options.recentLogsPerLevel();
        logs.process(
                () -> new RecentLogsProcessor(size),
                Named.as(PROCESSOR),
                Stores.RECENT_LOGS.name(),
                Stores.RECENT_LOGS_CURSOR.name());
    }

    static final class RecentLogsProcessor implements Processor<String, LogRecord, Void, Void> {
        private final int size;
        private KeyValueStore<String, LogRecord> recent;
        private KeyValueStore<String, Long> cursors;

        RecentLogsProcessor(int size) {
            this.size = size;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            recent = context.getStateStore(Stores.RECENT_LOGS.name());
            cursors = context.getStateStore(Stores.RECENT_LOGS_CURSOR.name());
        }

        @Override
        public void process(Record<String, LogRecord> record) {
            LogRecord log = record.value();
            if (log == null) return;
            String service = record.key() != null ? record.key() : log.service();
            String cursorKey = RecentLogKey.cursorKey(service, log.level());
            Long cursor = cursors.get(cursorKey);
            long next = cursor == null ? 0 : cursor;
            recent.put(new RecentLogKey(service, log.level(), (int) (next % size)).encode(), log);
            cursors.put(cursorKey, next + 1);
        }
    }
}
