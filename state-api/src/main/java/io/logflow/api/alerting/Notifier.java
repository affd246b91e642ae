package io.logflow.api.alerting;

import io.logflow.alerts.AlertEvent;
import io.logflow.alerts.AlertRule;
import io.logflow.alerts.Backoff;
import io.logflow.alerts.Channel;
import io.logflow.alerts.Notifications;
import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.db.Database;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends the notifications of alert events — console (a log line), webhook (POST of the event JSON),
 * slack (POST of a Slack message) to the rule's {@code notification_config.url} — and records every
 * attempt in {@code notification_attempts}. Only to addresses {@link WebhookGuard} permits, checked at
 * connect time (ADR 025); redirects are not followed.
 *
 * <p>A notification is claimed once per alert and event ({@code notifications}, primary key), so a
 * replayed event never notifies twice. Each attempt is an independent job: the pool of
 * {@code notifyConcurrency} slots is held only while one HTTP request is in flight (bounded by
 * {@code notifyTimeout}); a failed attempt schedules the next after {@link Backoff#delay} without
 * holding a slot, so one failing or slow webhook never delays another alert's notification.
 *
 * <p>Pending notifications survive a restart: each carries a lease (until its next attempt plus the
 * timeout plus a margin) that its instance renews with every attempt; any instance's sweeper takes
 * over those whose lease ran out (the instance stopped or died) and continues at the recorded
 * attempt number.
 */
@Component
class Notifier implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    /** The console channel's lines: one logger, so they can be routed or silenced on their own. */
    private static final Logger console = LoggerFactory.getLogger("io.logflow.alerts.console");

    static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    private final DatabaseClient db;
    private final RuleStore rules;
    private final LogFlowMetrics metrics;
    private final Backoff backoff;
    private final Duration timeout;
    private final int concurrency;
    private final Duration sweepEvery;
    private final String uiUrl;
    private final io.logflow.api.cluster.StreamsRuntime runtime;
    private final WebClient http;
    private final ConnectionProvider connections;
    private final Sinks.Many<Job> jobs = Sinks.many().unicast().onBackpressureBuffer();
    private volatile Disposable worker;
    private volatile Disposable sweeper;
    private volatile boolean running;

    Notifier(
            DatabaseClient db,
            RuleStore rules,
            LogFlowMetrics metrics,
            LogFlowProperties props,
            io.logflow.api.cluster.StreamsRuntime runtime,
            WebhookGuard guard) {
        this.runtime = runtime;
        this.db = db;
        this.rules = rules;
        this.metrics = metrics;
        this.backoff = new Backoff(new Random());
        this.timeout = props.alerts().notifyTimeout();
        this.concurrency = props.alerts().notifyConcurrency();
        this.sweepEvery = props.alerts().notifySweep();
        this.uiUrl = props.alerts().uiUrl();
        this.connections = ConnectionProvider.builder("logflow-notify")
                .maxConnections(concurrency)
                .pendingAcquireMaxCount(-1)
                .build();
        this.http = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)
                        // resolves once, refuses forbidden addresses and connects to those it checked (ADR 025)
                        .resolver(guard.resolverGroup())
                        // a redirect could point anywhere: never followed (a 3xx is a failed attempt)
                        .followRedirect(false)
                        .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                                Math.min(timeout.toMillis(), 10_000))))
                .build();
    }

    /** One attempt to send one notification. */
    record Job(String alertId, String event, Channel channel, String url, byte[] body, int attempt) {
        Job next() {
            return new Job(alertId, event, channel, url, body, attempt + 1);
        }
    }

    /**
     * Claims the notification of this event (FIRING or RESOLVED; acknowledgements notify nobody) and,
     * when this call claimed it, returns its first job. Run before the event's offset is committed, so a
     * claimed notification is never lost; sending is {@link #submit}'s.
     */
    Mono<Job> claim(AlertMessage m, Instant now) {
        if (AlertMessage.ACKNOWLEDGED.equals(m.state())) return Mono.empty();
        AlertEvent e = m.event();
        return rules.findForAlert(e.ruleId())
                .map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty())
                .flatMap(rule -> {
                    Channel channel = rule.map(AlertRule::channel).orElse(Channel.CONSOLE);
                    String url = rule.map(AlertRule::notificationUrl).orElse(null);
                    if (channel.needsUrl() && url == null) channel = Channel.CONSOLE;
                    String link = link(uiUrl(), e.alertId());
                    byte[] body = switch (channel) {
                        case WEBHOOK -> Notifications.webhookBody(e, link);
                        case SLACK -> Notifications.slackBody(e, link);
                        case CONSOLE -> Notifications.consoleLine(e, link).getBytes(StandardCharsets.UTF_8);
                    };
                    Job job = new Job(e.alertId(), m.state(), channel, url, body, 1);
                    var spec = db.sql("INSERT INTO notifications (alert_id, event, channel, url, body, status, "
                                    + "attempts, next_attempt_at, lease_until, created_at, updated_at) "
                                    + "VALUES (:alert_id, :event, :channel, :url, :body, 'pending', 0, :now, "
                                    + ":lease, :now, :now) ON CONFLICT (alert_id, event) DO NOTHING")
                            .bind("alert_id", job.alertId())
                            .bind("event", job.event())
                            .bind("channel", channel.wire())
                            .bind("body", new String(body, StandardCharsets.UTF_8))
                            .bind("now", now)
                            .bind("lease", now.plus(timeout).plus(LEASE_MARGIN));
                    spec = AlertStore.nullable(spec, "url", url, String.class);
                    return spec.fetch().rowsUpdated().flatMap(n -> n == 1 ? Mono.just(job) : Mono.empty());
                });
    }

    /** Queues a job; it runs as soon as a slot is free. */
    void submit(Job job) {
        jobs.emitNext(job, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    private Mono<Void> run(Job job) {
        Instant at = Instant.now();
        return send(job)
                .onErrorResume(e -> Mono.just(Outcome.failed(null, failure(e))))
                .flatMap(outcome -> {
                    boolean last = !outcome.sent() && job.attempt() >= backoff.maxAttempts();
                    Duration delay = outcome.sent() || last ? null : backoff.delay(job.attempt());
                    Instant nextAt = delay == null ? null : Instant.now().plus(delay);
                    metrics.notification(job.channel().wire(), outcome.sent() ? "sent" : last ? "gave_up" : "failed");
                    if (!outcome.sent()) {
                        log.warn(
                                "notification {} of alert {} via {} failed (attempt {} of {}): {}{}",
                                job.event(),
                                job.alertId(),
                                job.channel().wire(),
                                job.attempt(),
                                backoff.maxAttempts(),
                                outcome.error(),
                                last ? "; giving up" : "; next attempt in " + delay.toMillis() + " ms");
                    }
                    return record(job, at, outcome, nextAt, last).doOnSuccess(v -> {
                        if (nextAt != null && running) Mono.delay(delay).subscribe(x -> submit(job.next()));
                    });
                })
                .onErrorResume(e -> {
                    // the attempt could not be recorded (database away): the lease runs out and a sweeper retries
                    log.error(
                            "could not record notification attempt {} of alert {}: {}",
                            job.attempt(),
                            job.alertId(),
                            e.toString());
                    return Mono.empty();
                });
    }

    /**
     * Why a request failed, for the log and {@code notification_attempts}: never the URL (its query, or a Slack
     * webhook's path, is a secret); a refused address names the host and address only.
     */
    private String failure(Throwable e) {
        if (e instanceof java.util.concurrent.TimeoutException) return "no answer within " + timeout.toMillis() + " ms";
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.logflow.alerts.OutboundPolicy.Refused r) return "refused: " + r.getMessage();
        }
        return Database.rootMessage(e);
    }

    record Outcome(boolean sent, Integer httpStatus, String error) {
        static Outcome failed(Integer status, String error) {
            return new Outcome(false, status, error);
        }
    }

    private Mono<Outcome> send(Job job) {
        if (job.channel() == Channel.CONSOLE) {
            console.warn(new String(job.body(), StandardCharsets.UTF_8));
            return Mono.just(new Outcome(true, null, null));
        }
        return http.post()
                .uri(job.url())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(job.body())
                .exchangeToMono(
                        resp -> resp.releaseBody().thenReturn(resp.statusCode().value()))
                .timeout(timeout)
                .map(status -> status >= 200 && status < 300
                        ? new Outcome(true, status, null)
                        : Outcome.failed(status, "HTTP " + status));
    }

    private Mono<Void> record(Job job, Instant at, Outcome o, Instant nextAt, boolean last) {
        String status = o.sent() ? "sent" : last ? "failed" : "pending";
        Instant lease = (nextAt == null ? Instant.now() : nextAt).plus(timeout).plus(LEASE_MARGIN);
        var spec = db.sql("WITH attempt AS (INSERT INTO notification_attempts (alert_id, event, channel, attempt, at, "
                        + "outcome, http_status, error, next_retry_at) "
                        + "VALUES (:alert_id, :event, :channel, :attempt, :at, :outcome, :http_status, "
                        + ":error, :next) ON CONFLICT (alert_id, event, attempt) DO NOTHING) "
                        + "UPDATE notifications SET status = :status, attempts = GREATEST(attempts, "
                        + ":attempt), next_attempt_at = COALESCE(:next, next_attempt_at), "
                        + "lease_until = :lease, last_error = :error, updated_at = :at WHERE alert_id = "
                        + ":alert_id AND event = :event")
                .bind("alert_id", job.alertId())
                .bind("event", job.event())
                .bind("channel", job.channel().wire())
                .bind("attempt", job.attempt())
                .bind("at", at)
                .bind("outcome", o.sent() ? "sent" : "failed")
                .bind("status", status)
                .bind("lease", lease);
        spec = AlertStore.nullable(spec, "http_status", o.httpStatus(), Integer.class);
        spec = AlertStore.nullable(spec, "error", o.error(), String.class);
        spec = AlertStore.nullable(spec, "next", nextAt, Instant.class);
        return spec.then();
    }

    /** Takes over pending notifications whose lease ran out, continuing at their next attempt. */
    private Flux<Job> sweep() {
        Instant now = Instant.now();
        return db.sql("UPDATE notifications n SET lease_until = :lease FROM (SELECT alert_id, event FROM notifications "
                        + "WHERE status = 'pending' AND lease_until < :now ORDER BY lease_until LIMIT 500 FOR UPDATE "
                        + "SKIP LOCKED) due "
                        + "WHERE n.alert_id = due.alert_id AND n.event = due.event "
                        + "RETURNING n.alert_id, n.event, n.channel, n.url, n.body, n.attempts, n.next_attempt_at")
                .bind("now", now)
                .bind("lease", now.plus(sweepEvery).plus(timeout).plus(LEASE_MARGIN))
                .map(r -> {
                    Job job = new Job(
                            r.get("alert_id", String.class),
                            r.get("event", String.class),
                            Channel.parse(r.get("channel", String.class)),
                            r.get("url", String.class),
                            r.get("body", String.class).getBytes(StandardCharsets.UTF_8),
                            r.get("attempts", Integer.class) + 1);
                    Instant due = r.get("next_attempt_at", Instant.class);
                    return Mono.delay(due == null || !due.isAfter(now) ? Duration.ZERO : Duration.between(now, due))
                            .thenReturn(job);
                })
                .all()
                .flatMap(m -> m)
                .doOnNext(j -> log.info(
                        "taking over notification {} of alert {} via {} at attempt {}",
                        j.event(),
                        j.alertId(),
                        j.channel().wire(),
                        j.attempt()));
    }

    /** Before the alert consumers (which submit jobs), after PostgreSQL is set up. */
    @Override
    public int getPhase() {
        return org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE
                - 300;
    }

    @Override
    public void start() {
        running = true;
        worker = jobs.asFlux().flatMap(this::run, concurrency).subscribe();
        sweeper = Flux.interval(Duration.ZERO, sweepEvery)
                .onBackpressureDrop()
                .concatMap(t -> sweep().doOnNext(this::submit).onErrorResume(e -> {
                    log.warn("notification sweep failed: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    @Override
    public void stop() {
        running = false;
        if (sweeper != null) sweeper.dispose();
        if (worker != null) worker.dispose();
        connections.dispose();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** {@code LOGFLOW_UI_URL}, else this instance's own address (advertised host, actual port). */
    private String uiUrl() {
        if (uiUrl != null && !uiUrl.isBlank()) return uiUrl;
        var self = runtime.self();
        return self == null ? null : "http://" + self.host() + ":" + self.port();
    }

    /** The alert's page in the UI ({@code <ui-url>/#/alert/<id>}), or null without a UI address. */
    static String link(String uiUrl, String alertId) {
        if (uiUrl == null || uiUrl.isBlank()) return null;
        String base = uiUrl.strip().replaceAll("/+$", "");
        return base + "/#/alert/" + java.net.URLEncoder.encode(alertId, StandardCharsets.UTF_8);
    }
}
