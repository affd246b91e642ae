package io.logflow.api.config;

import io.logflow.alerts.AlertEvent;
import io.logflow.alerts.Channel;
import io.logflow.model.schema.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * LogFlow's own Prometheus metrics (Kafka Streams and HTTP metrics come from their binders). Every counter is
 * registered when this is created, each known tag value at 0, so that a {@code rate()} or an alert on it shows 0 on a
 * healthy system rather than "no data".
 */
@Component
public class LogFlowMetrics {
    /** {@code logflow_tail_resumes_total{source}}: from the in-memory ring or from Kafka. */
    public static final List<String> TAIL_RESUME_SOURCES = List.of("ring", "kafka");
    /** {@code logflow_alerts_stored_total{state}}: the topology's states and ACKNOWLEDGED, which the API adds. */
    public static final List<String> ALERT_STATES = alertStates();
    /** {@code logflow_alerts_notifications_total{outcome}}. */
    public static final List<String> NOTIFICATION_OUTCOMES = List.of("sent", "failed", "gave_up");
    /** {@code logflow_cache_errors_total{operation}}: what of Redis failed or did not answer in time. */
    public static final List<String> CACHE_OPERATIONS = List.of("connect", "get", "set", "health", "stats");

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter tailDropped;
    private final Counter tailRefused;
    private final Counter alertStreamDropped;
    private final Counter streamsRestarts;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final OtlpCounters otlpSpans;
    private final OtlpCounters otlpLogRecords;
    private final ConcurrentMap<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> tailResumes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> alertsStored = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> notifications = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> cacheErrors = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rateLimited = new ConcurrentHashMap<>();

    public LogFlowMetrics(MeterRegistry registry) {
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
        alertStreamDropped = Counter.builder("logflow.alerts.stream.clients.dropped")
                .description("Alert-stream clients dropped because their buffer overflowed")
                .register(registry);
        otlpSpans = otlp("spans", "Spans");
        otlpLogRecords = otlp("log.records", "Log records");
        DeadLetters.CATEGORIES.forEach(this::deadLetterCounter);
        TAIL_RESUME_SOURCES.forEach(this::tailResumeCounter);
        for (String state : ALERT_STATES) {
            alertStoredCounter(state, true);
            alertStoredCounter(state, false);
        }
        for (Channel channel : Channel.values())
            for (String outcome : NOTIFICATION_OUTCOMES) notificationCounter(channel.wire(), outcome);
        cacheHits = Counter.builder("logflow.cache.lookups")
                .tag("result", "hit")
                .description("Query answers read from the Redis cache")
                .register(registry);
        cacheMisses = Counter.builder("logflow.cache.lookups")
                .tag("result", "miss")
                .description("Cacheable query answers computed: not in Redis, or Redis did not answer")
                .register(registry);
        CACHE_OPERATIONS.forEach(this::cacheErrorCounter);
        streamsRestarts = Counter.builder("logflow.streams.restarts")
                .description("Kafka Streams clients closed and started anew after reaching ERROR (or failing to start)")
                .register(registry);
    }

    private static List<String> alertStates() {
        List<String> states = new ArrayList<>();
        for (AlertEvent.State s : AlertEvent.State.values()) states.add(s.name());
        states.add("ACKNOWLEDGED");
        return List.copyOf(states);
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
    private OtlpCounters otlp(String signal, String what) {
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

    /** {@code logflow_otlp_spans_*_total}. */
    public OtlpCounters otlpSpans() {
        return otlpSpans;
    }

    /** {@code logflow_otlp_log_records_*_total}. */
    public OtlpCounters otlpLogRecords() {
        return otlpLogRecords;
    }

    public void ingested(int acceptedCount, int rejectedCount) {
        accepted.increment(acceptedCount);
        rejected.increment(rejectedCount);
    }

    /**
     * Items accepted so far by source, as the counters hold them: {@code api} (POST /api/v1/logs), {@code otlp_spans},
     * {@code otlp_log_records}.
     */
    public Map<String, Double> ingestTotals() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("api", accepted.count());
        out.put("otlp_spans", otlpSpans.accepted().count());
        out.put("otlp_log_records", otlpLogRecords.accepted().count());
        return out;
    }

    /** Records dead-lettered so far by this instance's topology, by reason (every known reason, 0 included). */
    public Map<String, Double> deadLetterTotals() {
        Map<String, Double> out = new java.util.TreeMap<>();
        deadLetters.forEach((reason, c) -> out.put(reason, c.count()));
        return out;
    }

    /** Called on a stream thread for every dead-lettered record. */
    public void deadLetter(String reason) {
        deadLetterCounter(reason).increment();
    }

    private Counter deadLetterCounter(String reason) {
        return deadLetters.computeIfAbsent(
                reason,
                r -> Counter.builder("logflow.dlq.records")
                        .tag("reason", r)
                        .description("Records the topology sent to the dead-letter topic")
                        .register(registry));
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
        tailResumeCounter(source).increment();
    }

    private Counter tailResumeCounter(String source) {
        return tailResumes.computeIfAbsent(
                source,
                s -> Counter.builder("logflow.tail.resumes")
                        .tag("source", s)
                        .description("Live-tail clients resumed from a Last-Event-ID")
                        .register(registry));
    }

    /** An alert event from logflow.alerts applied to PostgreSQL ({@code changed}: false for a replay). */
    public void alertStored(String state, boolean changed) {
        alertStoredCounter(state, changed).increment();
    }

    private Counter alertStoredCounter(String state, boolean changed) {
        String outcome = changed ? "changed" : "unchanged";
        return alertsStored.computeIfAbsent(
                state + "/" + outcome,
                k -> Counter.builder("logflow.alerts.stored")
                        .tag("state", state)
                        .tag("outcome", outcome)
                        .description("Alert events from logflow.alerts applied to PostgreSQL (unchanged: replays and "
                                + "impossible transitions)")
                        .register(registry));
    }

    /** One notification attempt: sent, failed (retried later) or gave_up (the last attempt failed). */
    public void notification(String channel, String outcome) {
        notificationCounter(channel, outcome).increment();
    }

    private Counter notificationCounter(String channel, String outcome) {
        return notifications.computeIfAbsent(
                channel + "/" + outcome,
                k -> Counter.builder("logflow.alerts.notifications")
                        .tag("channel", channel)
                        .tag("outcome", outcome)
                        .description("Alert notification attempts by channel and outcome")
                        .register(registry));
    }

    public void alertStreamGauges(Supplier<Number> connected) {
        Gauge.builder("logflow.alerts.stream.clients", connected)
                .description("Connected /api/v1/stream/alerts clients")
                .register(registry);
    }

    public void alertStreamDropped() {
        alertStreamDropped.increment();
    }

    public void tailClientsGauge(Supplier<Number> connected) {
        Gauge.builder("logflow.tail.clients", connected)
                .description("Connected live-tail clients")
                .register(registry);
    }

    /** A cacheable answer read from Redis ({@code hit}) or computed. */
    public void cacheLookup(boolean hit) {
        (hit ? cacheHits : cacheMisses).increment();
    }

    /** A Redis operation that failed or timed out ({@link #CACHE_OPERATIONS}). */
    public void cacheError(String operation) {
        cacheErrorCounter(operation).increment();
    }

    private Counter cacheErrorCounter(String operation) {
        return cacheErrors.computeIfAbsent(
                operation,
                o -> Counter.builder("logflow.cache.errors")
                        .tag("operation", o)
                        .description("Redis cache operations that failed or timed out (the answer was computed)")
                        .register(registry));
    }

    /** This instance's cache counters since start. */
    public record CacheCounts(long hits, long misses, long errors) {}

    public CacheCounts cacheCounts() {
        long errors = 0;
        for (Counter c : cacheErrors.values()) errors += (long) c.count();
        return new CacheCounts((long) cacheHits.count(), (long) cacheMisses.count(), errors);
    }

    /**
     * {@code logflow_rate_limited_total{group}}: requests answered 429 by a rate limit of that endpoint group; the rate
     * limiter registers each group's counter (at 0) when it starts.
     */
    public Counter rateLimitedCounter(String group) {
        return rateLimited.computeIfAbsent(
                group,
                g -> Counter.builder("logflow.rate.limited")
                        .tag("group", g)
                        .description("Requests refused with 429 by a rate limit, by endpoint group")
                        .register(registry));
    }
}
