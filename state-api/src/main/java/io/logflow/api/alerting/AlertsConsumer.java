package io.logflow.api.alerting;

import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.config.TopicReader;
import io.logflow.model.schema.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Stores every alert event of {@code logflow.alerts} in PostgreSQL and starts its notification. One
 * consumer group shared by every instance ({@code <application.id>-alerts}, read_committed), so each
 * event is handled by one instance. Per record, in partition order: apply it to {@code
 * triggered_alerts} and claim its notification — both idempotent — then, after the batch, commit the
 * offsets. Sending runs on its own ({@link Notifier}); a slow webhook never holds up this loop. When
 * PostgreSQL fails, the consumer goes back to the first unstored record and tries again.
 */
@Component
class AlertsConsumer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(AlertsConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final LogFlowProperties props;
    private final AlertStore store;
    private final Notifier notifier;
    private final LogFlowMetrics metrics;
    private volatile TopicReader reader;

    AlertsConsumer(LogFlowProperties props, AlertStore store, Notifier notifier, LogFlowMetrics metrics) {
        this.props = props;
        this.store = store;
        this.notifier = notifier;
        this.metrics = metrics;
    }

    static String groupId(String applicationId) {
        return applicationId + "-alerts";
    }

    @Override
    public void start() {
        String app = props.streams().applicationId();
        Map<String, Object> config = TopicReader.config(props, "-alerts-store", "earliest");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(app));
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        Consumer<String, byte[]> c = TopicReader.consumer(config);
        c.subscribe(List.of(Topics.ALERTS.name()));
        TopicReader r =
                new TopicReader("alerts", "logflow-alerts-store", c, POLL, Duration.ofSeconds(5), this::storeAndCommit);
        reader = r;
        r.start();
        log.info("storing alerts from {} in consumer group {}", Topics.ALERTS.name(), groupId(app));
    }

    /** On the reader thread: stores the batch in partition order, then commits what was stored. */
    private void storeAndCommit(Consumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                if (!isRunning()) break;
                if (!handle(r)) {
                    c.seek(tp, r.offset()); // PostgreSQL failed: read it again on the next poll
                    LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                    break;
                }
                done.put(tp, new OffsetAndMetadata(r.offset() + 1));
            }
        }
        if (done.isEmpty()) return;
        try {
            c.commitSync(done);
        } catch (WakeupException e) {
            c.commitSync(done);
            throw e; // stopping: the reader ends its loop
        } catch (RuntimeException e) {
            // a rebalance took the partitions: the new owner re-reads them; storing is idempotent
            log.warn("committing alert offsets failed: {}", e.toString());
        }
    }

    /** Stores one record and claims its notification; false when PostgreSQL failed (retry the record). */
    private boolean handle(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) return true;
        AlertMessage m;
        try {
            m = AlertMessage.read(r.value());
        } catch (IllegalArgumentException e) {
            log.warn(
                    "skipping an unreadable alert at {}-{}@{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.getMessage());
            return true;
        }
        try {
            Instant now = Instant.now();
            boolean changed = Boolean.TRUE.equals(store.apply(m, now).block(STORE_TIMEOUT));
            metrics.alertStored(m.state(), changed);
            Notifier.Job job = notifier.claim(m, now).block(STORE_TIMEOUT);
            if (job != null) notifier.submit(job);
            return true;
        } catch (RuntimeException e) {
            log.error(
                    "could not store alert {} ({}) from {}-{}@{}: {}",
                    m.event().alertId(),
                    m.state(),
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.toString());
            return false;
        }
    }

    /** After the notifier, before the web server stops taking requests. */
    @Override
    public int getPhase() {
        return org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE
                - 200;
    }

    @Override
    public void stop() {
        TopicReader r = reader;
        if (r != null) r.stop(Duration.ofSeconds(10));
    }

    @Override
    public boolean isRunning() {
        TopicReader r = reader;
        return r != null && r.running();
    }
}
