package io.logflow.api.alerting;

import io.logflow.alerts.AlertEvent;
import io.logflow.alerts.AlertEventJson;
import io.logflow.alerts.AlertRule;
import io.logflow.alerts.RuleJson;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.model.schema.Topics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Writes alerting's two topics with the idempotent acks=all producer: rules to the compacted {@code
 * logflow.alert-rules} (key = rule id, tombstone on delete) and the API's alert events to {@code
 * logflow.alerts}. At start — after the topics exist — it republishes every rule PostgreSQL holds
 * (and the tombstone of every deleted one), so a publish that failed after its database write is
 * repaired by the next start of any instance (ADR 009, ADR 010).
 */
@Component
class AlertPublisher implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(AlertPublisher.class);

    private final Producer<String, byte[]> producer;
    private final RuleStore rules;
    private final Duration timeout;
    private volatile boolean running;

    AlertPublisher(Producer<String, byte[]> producer, RuleStore rules, LogFlowProperties props) {
        this.producer = producer;
        this.rules = rules;
        this.timeout = props.ingest().sendTimeout();
    }

    Mono<Void> publish(AlertRule rule) {
        return send(new ProducerRecord<>(Topics.ALERT_RULES.name(), rule.id(), RuleJson.write(rule)));
    }

    Mono<Void> tombstone(String ruleId) {
        return send(new ProducerRecord<>(Topics.ALERT_RULES.name(), ruleId, null));
    }

    Mono<Void> publish(AlertMessage alert) {
        return send(new ProducerRecord<>(Topics.ALERTS.name(), alert.key(), alert.write()));
    }

    /**
     * Tells the topology that {@code resolved} (a manual RESOLVED) ended its alert: keyed by the alert
     * id on {@code logflow.alert-resets}, so the topology forgets the alert and fires anew if its
     * condition still holds.
     */
    Mono<Void> reset(AlertEvent resolved) {
        return send(
                new ProducerRecord<>(Topics.ALERT_RESETS.name(), resolved.alertId(), AlertEventJson.write(resolved)));
    }

    /** Completes when Kafka has acknowledged the record; errors when it does not within the send timeout. */
    private Mono<Void> send(ProducerRecord<String, byte[]> record) {
        return Mono.<Void>create(sink -> {
                    try {
                        producer.send(record, (md, e) -> {
                            if (e != null) sink.error(e);
                            else sink.success();
                        });
                    } catch (RuntimeException e) { // metadata or buffer not available within max.block.ms
                        sink.error(e);
                    }
                })
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .timeout(timeout);
    }

    /** After StreamsRuntime (which creates the topics). */
    @Override
    public int getPhase() {
        return org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE
                - 256;
    }

    @Override
    public void start() {
        running = true;
        AtomicInteger published = new AtomicInteger();
        AtomicInteger deleted = new AtomicInteger();
        try {
            rules.all()
                    .flatMap(
                            s -> s.rule() == null
                                    ? tombstone(s.id()).doOnSuccess(v -> deleted.incrementAndGet())
                                    : publish(s.rule()).doOnSuccess(v -> published.incrementAndGet()),
                            64)
                    .then()
                    .block(timeout.multipliedBy(2));
            log.info(
                    "republished {} alert rules and {} tombstones to {}",
                    published.get(),
                    deleted.get(),
                    Topics.ALERT_RULES.name());
        } catch (RuntimeException e) {
            log.warn(
                    "could not republish the alert rules to {} ({} done); the next start will: {}",
                    Topics.ALERT_RULES.name(),
                    published.get(),
                    e.toString());
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
