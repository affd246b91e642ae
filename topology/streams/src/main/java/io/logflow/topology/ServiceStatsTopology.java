package io.logflow.topology;

import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.TopErrors;
import io.logflow.model.schema.LogHeaders;
import io.logflow.model.schema.Stores;
import java.time.Duration;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * {@code logflow.logs} → per-service statistics:
 *
 * <ul>
 *   <li>{@link Stores#SERVICE_STATS} (window store, key service, value {@link LogCounts}): counts
 *       per level and first/last seen per 1-minute tumbling window {@code [start, start + 60 s)};
 *   <li>{@link Stores#SERVICE_ERRORS} (window store, key service, value {@link TopErrors}): ERROR
 *       and FATAL messages grouped by template, same windows;
 *   <li>{@link Stores#SERVICES} (key-value store, key service, value {@link LogCounts} over all
 *       time): the service registry.
 * </ul>
 *
 * <p><b>Time and lateness.</b> Windows use the log's event time (the record timestamp written by
 * {@link NormalizeTopology}). Whether a log is too late for its window is decided by the
 * normaliser, against the progress of the raw partition the log arrived on, and carried in the
 * {@link LogHeaders#LATE} header ({@link NormalizeTopology#isLate}): a log is late when its window's
 * end plus {@link TopologyOptions#grace()} is not after that partition's stream time. Late logs are
 * left out of both window stores — the same rule for both, so the error count of a window and its
 * top errors always agree — but are always counted in the registry. Deciding here instead, against
 * the stream time of {@code logflow.logs}, would drop on-time logs whenever the normaliser tasks
 * drift apart (any catch-up after downtime). Windows are kept for {@link
 * TopologyOptions#statsRetention()} (at least window plus grace).
 *
 * <p><b>Why the Processor API.</b> The DSL would need three aggregations, each with its own
 * notion of stream time (a filtered error stream sees time advance only with errors), and a
 * timestamped wrapper around every value. One processor does one pass per log: a point lookup
 * and put per store, no repartition (the input is already keyed by service). The stores are
 * written behind ({@link WriteBehind}): the counts of a service's current window are changed as
 * an object and encoded once per commit.
 */
public final class ServiceStatsTopology {
    static final String PROCESSOR = "service-stats";
    static final Duration WINDOW = Duration.ofMillis(Stores.STATS_WINDOW_MS);
    /** Decoded values kept per store and task: the services' current and recent windows. */
    static final int REMEMBERED = 4096;

    private ServiceStatsTopology() {}

    public static void addTo(StreamsBuilder builder, TopologyOptions options) {
        addTo(builder, NormalizedLogs.stream(builder), options);
    }

    static void addTo(StreamsBuilder builder, KStream<String, LogRecord> logs, TopologyOptions options) {
        Duration retention = retention(options);
        WindowVersions versions = options.statsVersions();
        // readers learn of a window's change once it is written underneath, where they read
        WriteBehind.FlushListener changed = (partition, key, windowStart) -> versions.changed(partition, windowStart);
        builder.addStateStore(
                StoreBuilders.windowWriteBehind(Stores.SERVICE_STATS, retention, WINDOW, REMEMBERED, changed));
        builder.addStateStore(
                StoreBuilders.windowWriteBehind(Stores.SERVICE_ERRORS, retention, WINDOW, REMEMBERED, changed));
        builder.addStateStore(StoreBuilders.keyValueWriteBehind(Stores.SERVICES, REMEMBERED));
        logs.process(
                () -> new ServiceStatsProcessor(versions),
                Named.as(PROCESSOR),
                Stores.SERVICE_STATS.name(),
                Stores.SERVICE_ERRORS.name(),
                Stores.SERVICES.name());
    }

    /** How long windows are kept: the configured retention, but never less than one window plus grace. */
    static Duration retention(TopologyOptions options) {
        Duration min = WINDOW.plus(options.grace());
        return options.statsRetention().compareTo(min) < 0 ? min : options.statsRetention();
    }

    /** Start of the 1-minute window holding this timestamp. */
    static long windowStart(long timestamp) {
        return timestamp - Math.floorMod(timestamp, Stores.STATS_WINDOW_MS);
    }

    static final class ServiceStatsProcessor implements Processor<String, LogRecord, Void, Void> {
        private final WindowVersions versions;
        private int partition;
        private WindowStore<String, LogCounts> stats;
        private WindowStore<String, TopErrors> errors;
        private KeyValueStore<String, LogCounts> services;

        ServiceStatsProcessor(WindowVersions versions) {
            this.versions = versions;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            partition = context.taskId().partition();
            versions.reset(partition); // the stores may hold what another instance wrote: nothing derived before holds
            stats = context.getStateStore(Stores.SERVICE_STATS.name());
            errors = context.getStateStore(Stores.SERVICE_ERRORS.name());
            services = context.getStateStore(Stores.SERVICES.name());
        }

        @Override
        public void process(Record<String, LogRecord> record) {
            LogRecord log = record.value();
            if (log == null) return; // a tombstone on logflow.logs carries no log
            String service = record.key() != null ? record.key() : log.service();
            long ts = log.timestamp();

            LogCounts total = services.get(service);
            services.put(service, (total == null ? new LogCounts() : total).add(log.level(), ts));

            long start = windowStart(ts);
            if (record.headers().lastHeader(LogHeaders.LATE) != null) return; // its window had closed when it arrived

            LogCounts counts = stats.fetch(service, start);
            stats.put(service, (counts == null ? new LogCounts() : counts).add(log.level(), ts), start);
            if (log.level().isError()) {
                TopErrors top = errors.fetch(service, start);
                errors.put(service, (top == null ? new TopErrors() : top).add(log.message(), log.traceId(), ts), start);
            }
        }

        @Override
        public void close() {
            versions.reset(partition);
        }
    }
}
