package io.logflow.api;

import io.logflow.api.cache.RedisCache;
import io.logflow.api.cluster.StreamsRuntime;
import io.logflow.api.db.Database;
import io.logflow.api.live.AlertHub;
import io.logflow.api.live.TailHub;
import io.logflow.api.search.SearchHealth;
import io.logflow.api.web.Responses;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /health}: this instance's view of its backends — Kafka (reachable within 2 s), Kafka
 * Streams (RUNNING means queryable; else why not, and how often it was restarted after failing), the live
 * tail, PostgreSQL (answers within 2 s) and the alert stream. 200 when all are up, else 503. Search
 * (Elasticsearch and the sink's tasks on Kafka Connect) is reported beside them but, as it degrades only search,
 * does not change the status. The cache (Redis) is reported as {@code UP}, {@code DOWN} or {@code OFF}; down, it
 * makes the status {@code DEGRADED}, still 200: every answer is then computed, none is missing. The same
 * Streams state is an actuator health indicator ({@code /actuator/health}).
 */
@Component("kafkaStreams")
class HealthHandler implements HealthIndicator {
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(2);

    private final StreamsRuntime runtime;
    private final TailHub tail;
    private final AlertHub alerts;
    private final org.springframework.r2dbc.core.DatabaseClient db;
    private final SearchHealth search;
    private final RedisCache cache;

    HealthHandler(
            StreamsRuntime runtime,
            TailHub tail,
            AlertHub alerts,
            org.springframework.r2dbc.core.DatabaseClient db,
            SearchHealth search,
            RedisCache cache) {
        this.runtime = runtime;
        this.tail = tail;
        this.alerts = alerts;
        this.db = db;
        this.search = search;
        this.cache = cache;
    }

    Mono<ServerResponse> health(ServerRequest req) {
        return Responses.blocking(this::check).flatMap(body -> {
            boolean up = !"DOWN".equals(body.get("status"));
            ServerResponse.BodyBuilder b = ServerResponse.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(MediaType.APPLICATION_JSON);
            if (!up) b.header(HttpHeaders.RETRY_AFTER, "5");
            return b.bodyValue(body);
        });
    }

    Map<String, Object> check() {
        Map<String, Object> kafka = new LinkedHashMap<>();
        kafka.put("bootstrapServers", runtime.bootstrapServers());
        try {
            kafka.putAll(runtime.describeKafka(KAFKA_TIMEOUT));
            kafka.put("status", "UP");
        } catch (Exception e) {
            kafka.put("status", "DOWN");
            kafka.put("error", String.valueOf(e.getMessage()));
        }
        KafkaStreams.State state = runtime.state();
        Map<String, Object> streams = new LinkedHashMap<>();
        streams.put("status", state == KafkaStreams.State.RUNNING ? "UP" : "DOWN");
        streams.put("state", state.name());
        String reason = runtime.downReason();
        if (reason != null) streams.put("reason", reason);
        streams.put("restarts", runtime.restarts());
        Map<String, Object> liveTail = new LinkedHashMap<>();
        liveTail.put("status", tail.ready() ? "UP" : "DOWN");
        liveTail.put("clients", tail.connectedClients());
        liveTail.put("position", tail.position());
        Map<String, Object> postgres = new LinkedHashMap<>();
        try {
            db.sql("SELECT 1").fetch().rowsUpdated().block(KAFKA_TIMEOUT);
            postgres.put("status", "UP");
        } catch (RuntimeException e) {
            postgres.put("status", "DOWN");
            postgres.put("error", Database.rootMessage(e));
        }
        Map<String, Object> alertStream = new LinkedHashMap<>();
        alertStream.put("status", alerts.ready() ? "UP" : "DOWN");
        alertStream.put("clients", alerts.connectedClients());
        boolean up = "UP".equals(kafka.get("status"))
                && "UP".equals(streams.get("status"))
                && "UP".equals(liveTail.get("status"))
                && "UP".equals(postgres.get("status"))
                && "UP".equals(alertStream.get("status"));
        Map<String, Object> cachePart = cache.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", !up ? "DOWN" : "DOWN".equals(cachePart.get("status")) ? "DEGRADED" : "UP");
        body.put(
                "instance",
                runtime.self() == null
                        ? null
                        : runtime.self().host() + ":" + runtime.self().port());
        body.put("kafka", kafka);
        body.put("streams", streams);
        body.put("liveTail", liveTail);
        body.put("postgres", postgres);
        body.put("alertStream", alertStream);
        body.put("search", search.check(KAFKA_TIMEOUT)); // degrades search only: not in the overall status
        body.put("cache", cachePart); // down: answers uncached, the status DEGRADED (still 200)
        return body;
    }

    /** Actuator: Kafka Streams must be RUNNING for this instance to answer queries. */
    @Override
    public Health health() {
        KafkaStreams.State state = runtime.state();
        Health.Builder health = (state == KafkaStreams.State.RUNNING ? Health.up() : Health.down())
                .withDetail("state", state.name())
                .withDetail("restarts", runtime.restarts());
        String reason = runtime.downReason();
        if (reason != null) health.withDetail("reason", reason);
        return health.build();
    }
}
