package io.logflow.api;

import io.logflow.model.Topics;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
  private volatile Consumer<String, byte[]> consumer;
  private volatile Thread thread;
  private volatile boolean running;

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
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, props.kafka().bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(app));
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, app + "-alerts-store");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(Topics.ALERTS.name()));
    running = true;
    thread = new Thread(this::run, "logflow-alerts-store");
    thread.setDaemon(true);
    thread.start();
    log.info("storing alerts from {} in consumer group {}", Topics.ALERTS.name(), groupId(app));
  }

  private void run() {
    Consumer<String, byte[]> c = consumer;
    try {
      while (running) {
        ConsumerRecords<String, byte[]> records;
        try {
          records = c.poll(POLL);
        } catch (WakeupException e) {
          break;
        } catch (RuntimeException e) {
          log.warn("alerts poll failed; retrying", e);
          LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
          continue;
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
          for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
            if (!running) break;
            if (!handle(r)) {
              c.seek(tp, r.offset()); // PostgreSQL failed: read it again on the next poll
              LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
              break;
            }
            done.put(tp, new OffsetAndMetadata(r.offset() + 1));
          }
        }
        if (!done.isEmpty()) {
          try {
            c.commitSync(done);
          } catch (WakeupException e) {
            c.commitSync(done);
            break;
          } catch (RuntimeException e) {
            // a rebalance took the partitions: the new owner re-reads them; storing is idempotent
            log.warn("committing alert offsets failed: {}", e.toString());
          }
        }
      }
    } finally {
      c.close(Duration.ofSeconds(5));
    }
  }

  /** Stores one record and claims its notification; false when PostgreSQL failed (retry the record). */
  private boolean handle(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) return true;
    AlertMessage m;
    try {
      m = AlertMessage.read(r.value());
    } catch (IllegalArgumentException e) {
      log.warn("skipping an unreadable alert at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
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
      log.error("could not store alert {} ({}) from {}-{}@{}: {}", m.event().alertId(), m.state(), r.topic(), r.partition(), r.offset(), e.toString());
      return false;
    }
  }

  /** After the notifier, before the web server stops taking requests. */
  @Override
  public int getPhase() {
    return org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 200;
  }

  @Override
  public void stop() {
    running = false;
    Consumer<String, byte[]> c = consumer;
    if (c != null) c.wakeup();
    Thread t = thread;
    if (t != null) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
