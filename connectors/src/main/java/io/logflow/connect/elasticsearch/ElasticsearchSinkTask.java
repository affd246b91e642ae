package io.logflow.connect.elasticsearch;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes the records of {@code logflow.logs} and {@code logflow.spans} into Elasticsearch ({@link Documents} says
 * how each becomes a document, {@link Indexer} sends them, {@link Offsets} says what may be committed).
 *
 * <ul>
 *   <li>Elasticsearch down, 429 or 5xx: retried with backoff until it works; nothing is thrown, the task stays up.
 *   <li>A record that cannot be a document, or that Elasticsearch rejects as malformed: to the dead-letter queue
 *       through Connect's errant record reporter; with none configured, logged and skipped (counted in {@code
 *       records-skipped-total}).
 *   <li>{@link #preCommit} returns, per partition, only offsets below which every record is done.
 *   <li>When the buffer is full, {@link #put} waits up to {@link #PUT_WAIT_MS} for room, then pauses the task's
 *       partitions until there is room again (checked on each put and preCommit). While they are paused, each put
 *       asks Connect ({@code context.timeout}) to poll again within {@link #PAUSED_POLL_MS}: a consumer with every
 *       partition paused would otherwise wait out the whole poll, up to the next offset commit
 *       ({@code offset.flush.interval.ms}, 60 s by default), before the next put could see room and resume.
 * </ul>
 */
public final class ElasticsearchSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(ElasticsearchSinkTask.class);

    /** How long put() waits for room in a full buffer before pausing the partitions instead. */
    static final long PUT_WAIT_MS = 5_000;

    /** While the partitions are paused, the longest Connect polls before calling put (empty) again. */
    static final long PAUSED_POLL_MS = 1_000;

    private final Function<SinkConfig, SearchBackend> connect;
    private final long putWaitMs;
    private final SinkMetrics metrics = new SinkMetrics();

    private SinkConfig config;
    private Documents documents;
    private Offsets offsets;
    private SearchBackend backend;
    private Indexer indexer;
    private ScheduledExecutorService retention;
    private ErrantRecordReporter reporter;
    private boolean paused;

    public ElasticsearchSinkTask() {
        this(ElasticsearchGateway::connect, PUT_WAIT_MS);
    }

    /** With another backend than Elasticsearch (unit tests of the flow control). */
    ElasticsearchSinkTask(Function<SinkConfig, SearchBackend> connect, long putWaitMs) {
        this.connect = requireNonNull(connect, "connect");
        this.putWaitMs = putWaitMs;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new SinkConfig(props);
        documents = new Documents(config.logsTopic(), config.spansTopic(), config.logsIndices(), config.spansIndices());
        offsets = new Offsets();
        reporter = errantRecordReporter();
        if (reporter == null) {
            log.warn("No dead-letter queue (errors.deadletterqueue.topic.name, errors.tolerance=all): records that"
                    + " cannot be indexed will be logged and skipped, counted in records-skipped-total");
        }
        backend = connect.apply(config);
        indexer = new Indexer(
                        config.limits(),
                        config.backoff(),
                        backend,
                        metrics,
                        () -> ThreadLocalRandom.current().nextDouble())
                .start();
        registerMetrics();
        if (config.taskIndex() == 0 && config.retentionDays() > 0) {
            retention = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "logflow-es-sink-retention");
                t.setDaemon(true);
                return t;
            });
            long interval = config.retentionIntervalMs();
            retention.scheduleWithFixedDelay(
                    new Retention(
                            backend,
                            List.of(config.logsIndices(), config.spansIndices()),
                            config.retentionDays(),
                            Clock.systemUTC(),
                            metrics),
                    Math.min(10_000, interval),
                    interval,
                    TimeUnit.MILLISECONDS);
        }
        log.info(
                "Indexing {} into {}-yyyy.MM.dd and {} into {}-yyyy.MM.dd at {}; retention {} days",
                config.logsTopic(),
                config.logsIndices().prefix(),
                config.spansTopic(),
                config.spansIndices().prefix(),
                config.urls(),
                config.retentionDays());
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null; // a worker older than Kafka 2.6
        }
    }

    private void registerMetrics() {
        try {
            PluginMetrics pluginMetrics = context.pluginMetrics();
            if (pluginMetrics != null) metrics.register(pluginMetrics, indexer::buffered, indexer::bufferedBytes);
        } catch (RuntimeException | LinkageError e) {
            log.debug("No plugin metrics from this worker; counters are not exported", e);
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        deadLetterRejected();
        List<Indexer.Pending> docs = new ArrayList<>(records.size());
        for (SinkRecord r : records) {
            TopicPartition tp = new TopicPartition(r.originalTopic(), r.originalKafkaPartition());
            Offsets.Ticket ticket = offsets.track(tp, r.originalKafkaOffset());
            Documents.Mapped doc;
            try {
                doc = documents.map(r.originalTopic(), r.value());
            } catch (RuntimeException e) {
                doc = new Documents.Invalid("could not read the record: " + e);
            }
            if (doc instanceof Documents.Doc d) docs.add(new Indexer.Pending(d, r, ticket));
            else deadLetter(r, ticket, ((Documents.Invalid) doc).reason());
        }
        indexer.addAll(docs);
        if (indexer.full()) {
            try {
                indexer.awaitRoom(putWaitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deadLetterRejected();
        }
        pauseOrResume();
        // the next put, empty as nothing is fetched, looks for room again soon (see the class comment)
        if (paused) context.timeout(PAUSED_POLL_MS);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        if (indexer == null) return Map.of();
        deadLetterRejected();
        pauseOrResume();
        return offsets.committable();
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        if (paused && !partitions.isEmpty()) context.pause(partitions.toArray(TopicPartition[]::new));
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        if (offsets != null) offsets.forget(partitions);
    }

    @Override
    public void stop() {
        if (retention != null) retention.shutdownNow();
        if (indexer != null) indexer.close();
        if (backend != null) {
            try {
                backend.close();
            } catch (IOException | RuntimeException e) {
                log.warn("Could not close the Elasticsearch client", e);
            }
        }
    }

    private void pauseOrResume() {
        boolean full = indexer.full();
        if (full == paused) return;
        Set<TopicPartition> assigned = context.assignment();
        TopicPartition[] partitions = assigned.toArray(TopicPartition[]::new);
        if (full) {
            log.info(
                    "{} documents ({} bytes) not yet acknowledged by Elasticsearch: pausing {} partitions until"
                            + " there is room",
                    indexer.buffered(),
                    indexer.bufferedBytes(),
                    partitions.length);
            context.pause(partitions);
        } else {
            log.info("Room in the buffer again: resuming {} partitions", partitions.length);
            context.resume(partitions);
        }
        paused = full;
    }

    /** Sends what Elasticsearch rejected to the dead-letter queue (on this thread, as Connect expects). */
    private void deadLetterRejected() {
        Indexer.Rejected r;
        while ((r = indexer.pollRejected()) != null) deadLetter(r.pending().record, r.pending().ticket, r.reason());
    }

    /**
     * One record that will not be indexed: to the dead-letter queue, with the reason as the exception Connect puts
     * in its headers; or, with none, logged and skipped. With errors.tolerance=none the reporter throws, and the
     * task fails as configured.
     */
    private void deadLetter(SinkRecord record, Offsets.Ticket ticket, String reason) {
        if (reporter != null) {
            log.warn(
                    "Dead-lettering the record at {}-{} offset {}: {}",
                    record.originalTopic(),
                    record.originalKafkaPartition(),
                    record.originalKafkaOffset(),
                    reason);
            Future<Void> written = reporter.report(record, new DataException(reason));
            if (written != null) ticket.doneWhen(written);
            else ticket.done();
            metrics.deadLettered.increment();
        } else {
            log.warn(
                    "Skipping the record at {}-{} offset {} (no dead-letter queue configured): {}",
                    record.originalTopic(),
                    record.originalKafkaPartition(),
                    record.originalKafkaOffset(),
                    reason);
            ticket.done();
            metrics.skipped.increment();
        }
    }

    /** The task's counters (for tests; Connect exports them as plugin metrics). */
    SinkMetrics metrics() {
        return metrics;
    }
}
