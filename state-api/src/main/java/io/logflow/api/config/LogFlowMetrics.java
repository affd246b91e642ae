package io.logflow.api.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** LogFlow's own Prometheus metrics (Kafka Streams and HTTP metrics come from their binders). */
@Component
public class LogFlowMetrics {
    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter tailDropped;
    private final Counter tailRefused;
    private final Counter streamsRestarts;
    private final ConcurrentMap<String, Counter> deadLetters = new ConcurrentHashMap<>();

    LogFlowMetrics(MeterRegistry registry) {
        this.registry = registry;
        accepted = Counter.builder("logflow.ingest.logs")
                .tag("outcome", "accepted")
                .description("Logs accepted by POST /api/v1/logs and produced to Kafka")
                .register(registry);
        rejected = Counter.builder("logflow.ingest.logs")
                .tag("outcome", "rejected")
                .description("Logs rejected by POST /api/v1/logs")
                .register(registry);
        tailDropped = Counter.builder("logflow.tail.clients.dropped")
                .description("Live-tail clients dropped because their buffer overflowed")
                .register(registry);
        tailRefused = Counter.builder("logflow.tail.clients.refused")
                .description("Live-tail connections refused because the instance was at its limit")
                .register(registry);
        streamsRestarts = Counter.builder("logflow.streams.restarts")
                .description("Kafka Streams clients closed and started anew after reaching ERROR (or failing to start)")
                .register(registry);
    }

    /**
     * Counters of one OTLP signal: items received (decoded), accepted (produced, acknowledged by Kafka), rejected
     * (invalid).
     */
    public record OtlpCounters(Counter received, Counter accepted, Counter rejected) {}

    /**
     * @param signal "spans" or "log.records": {@code logflow_otlp_<signal>_received_total}, {@code …_accepted_total},
     * {@code …_rejected_total}
     */
    public OtlpCounters otlp(String signal, String what) {
        return new OtlpCounters(
                Counter.builder("logflow.otlp." + signal + ".received")
                        .description(what + " received over OTLP/HTTP (decoded requests)")
                        .register(registry),
                Counter.builder("logflow.otlp." + signal + ".accepted")
                        .description(what + " accepted over OTLP/HTTP and acknowledged by Kafka")
                        .register(registry),
                Counter.builder("logflow.otlp." + signal + ".rejected")
                        .description(what + " rejected as invalid over OTLP/HTTP (partial success)")
                        .register(registry));
    }

    public void ingested(int acceptedCount, int rejectedCount) {
        accepted.increment(acceptedCount);
        rejected.increment(rejectedCount);
    }

    /** Called on a stream thread for every dead-lettered record. */
    public void deadLetter(String reason) {
        deadLetters
                .computeIfAbsent(
                        reason,
                        r -> Counter.builder("logflow.dlq.records")
                                .tag("reason", r)
                                .description("Records the topology sent to the dead-letter topic")
                                .register(registry))
                .increment();
    }

    public void tailDropped() {
        tailDropped.increment();
    }

    /** Kafka Streams is restarted after failing (see StreamsRuntime). */
    public void streamsRestarted() {
        streamsRestarts.increment();
    }

    public void tailRefused() {
        tailRefused.increment();
    }

    /** A client resumed with Last-Event-ID, from the in-memory ring or from Kafka. */
    public void tailResumed(String source) {
        Counter.builder("logflow.tail.resumes")
                .tag("source", source)
                .description("Live-tail clients resumed from a Last-Event-ID")
                .register(registry)
                .increment();
    }

    /** An alert event from logflow.alerts applied to PostgreSQL ({@code changed}: false for a replay). */
    public void alertStored(String state, boolean changed) {
        Counter.builder("logflow.alerts.stored")
                .tag("state", state)
                .tag("outcome", changed ? "changed" : "unchanged")
                .description(
                        "Alert events from logflow.alerts applied to PostgreSQL (unchanged: replays and impossible "
                                + "transitions)")
                .register(registry)
                .increment();
    }

    /** One notification attempt: sent, failed (retried later) or gave_up (the last attempt failed). */
    public void notification(String channel, String outcome) {
        Counter.builder("logflow.alerts.notifications")
                .tag("channel", channel)
                .tag("outcome", outcome)
                .description("Alert notification attempts by channel and outcome")
                .register(registry)
                .increment();
    }

    public void alertStreamGauges(Supplier<Number> connected) {
        io.micrometer.core.instrument.Gauge.builder("logflow.alerts.stream.clients", connected)
                .description("Connected /api/v1/stream/alerts clients")
                .register(registry);
    }

    public void alertStreamDropped() {
        Counter.builder("logflow.alerts.stream.clients.dropped")
                .description("Alert-stream clients dropped because their buffer overflowed")
                .register(registry)
                .increment();
    }

    public void tailClientsGauge(Supplier<Number> connected) {
        io.micrometer.core.instrument.Gauge.builder("logflow.tail.clients", connected)
                .description("Connected live-tail clients")
                .register(registry);
    }
}
