package io.logflow.api.live;

import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.logflow.model.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The alert stream of one instance ({@code GET /api/v1/stream/alerts}): one plain consumer (no group,
 * read_committed) reads every partition of {@code logflow.alerts} from the end and fans every event
 * out to the local SSE clients — so each client sees every alert, whichever instance it is connected
 * to. Event ids are position vectors as in the live tail (ADR 004): {@code Last-Event-ID: V} replays
 * exactly the records at offset ≥ V[p] from Kafka, then continues live.
 *
 * <p>Each client has a bounded buffer; one that overflows it is dropped (counted) and may resume with
 * its last id. Alerts are few, so a resume reads Kafka directly (no in-memory ring) and holds the
 * replayed events in memory — at most {@link #MAX_REPLAY} of them, beyond which the client is told to
 * reconnect from where the replay stopped.
 */
@Component
public class AlertHub extends TopicHub {
    static final int MAX_REPLAY = 10_000;

    // guarded by this
    private final List<SseClients.Outbox> live = new ArrayList<>();
    private long[] pos;

    AlertHub(LogFlowProperties props, LogFlowMetrics metrics) {
        super(
                "alert stream",
                Topics.ALERTS.name(),
                "-alert-stream",
                props,
                new SseClients(
                        "alert-stream",
                        "LOGFLOW_ALERT_STREAM_MAX_CLIENTS",
                        props.alerts().streamMaxClients(),
                        props.alerts().streamClientBuffer(),
                        metrics::alertStreamDropped,
                        () -> {}));
        metrics.alertStreamGauges(clients::connected);
    }

    static ServerSentEvent<String> event(String id, byte[] value) {
        return ServerSentEvent.<String>builder()
                .id(id)
                .event("alert")
                .data(new String(value, StandardCharsets.UTF_8))
                .build();
    }

    // ---------------------------------------------------------------- lifecycle

    /** After StreamsRuntime (topics exist). */
    @Override
    public int getPhase() {
        return org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE
                - 250;
    }

    @Override
    protected synchronized void started(long[] start) {
        pos = start;
    }

    @Override
    protected synchronized void endClients() {
        for (SseClients.Outbox client : live) client.end();
        live.clear();
    }

    /** On the reader thread: every alert to every live client, with the position after it as id. */
    @Override
    protected synchronized void fanOut(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            pos[r.partition()] = r.offset() + 1;
            if (r.value() == null) continue;
            ServerSentEvent<String> e = event(Positions.encode(pos), r.value());
            live.removeIf(client -> !client.offer(e));
        }
    }

    // ---------------------------------------------------------------- clients

    /**
     * A client's events: live from now, or — with {@code lastEventId} — every record after that position,
     * then live. Heartbeat comments every {@code streamHeartbeat}.
     *
     * @throws ApiException 503 at the client limit or before the hub runs; 400 for a malformed Last-Event-ID
     */
    public Flux<ServerSentEvent<String>> subscribe(String lastEventId) {
        if (!ready()) throw ApiException.unavailable("the alert stream is not running yet", null);
        int partitions;
        synchronized (this) {
            partitions = pos.length;
        }
        long[] from = Positions.fromLastEventId(lastEventId, partitions, "alert-stream position");
        SseClients.Outbox c = clients.admit();
        long[] joinedAt;
        synchronized (this) {
            joinedAt = pos.clone(); // live events after this point queue in the client's buffer meanwhile
            live.add(c);
        }
        Flux<ServerSentEvent<String>> head = from == null
                ? Flux.just(ServerSentEvent.<String>builder()
                        .id(Positions.encode(joinedAt))
                        .comment("connected")
                        .build())
                : replay(from, joinedAt);
        Duration beat = props.alerts().streamHeartbeat();
        Flux<ServerSentEvent<String>> heartbeats = Flux.interval(beat, beat)
                .map(t -> ServerSentEvent.<String>builder().comment("heartbeat").build());
        return c.stream(Flux.merge(head.concatWith(c.events()), heartbeats), () -> {
            synchronized (this) {
                live.remove(c);
            }
        });
    }

    /**
     * The records from {@code from} (inclusive) to {@code to} (exclusive) per partition, read from Kafka, with their
     * position ids.
     */
    private Flux<ServerSentEvent<String>> replay(long[] from, long[] to) {
        return Mono.fromCallable(() -> {
                    List<ServerSentEvent<String>> out = new ArrayList<>();
                    try (Consumer<String, byte[]> k = consumer("-alert-stream-resume", "earliest", READER_CONFIG)) {
                        long[] cursor = from.clone();
                        List<TopicPartition> tps =
                                seek(k, cursor, to, (p, resumesAt) -> out.add(gapComment(p, resumesAt, "alerts")));
                        long deadline =
                                System.nanoTime() + Duration.ofSeconds(30).toNanos();
                        while (!java.util.Arrays.equals(cursor, to)
                                && out.size() < MAX_REPLAY
                                && System.nanoTime() < deadline) {
                            for (ConsumerRecord<String, byte[]> r : k.poll(POLL)) {
                                int p = r.partition();
                                if (r.offset() < cursor[p] || r.offset() >= to[p]) continue;
                                cursor[p] = r.offset() + 1;
                                if (r.value() != null) out.add(event(Positions.encode(cursor), r.value()));
                            }
                            for (TopicPartition tp :
                                    tps) { // transaction markers and aborted records advance the position too
                                int p = tp.partition();
                                if (cursor[p] < to[p] && k.position(tp) >= to[p]) cursor[p] = to[p];
                            }
                        }
                        if (!java.util.Arrays.equals(cursor, to)) {
                            throw new IllegalStateException("replay stopped at " + Positions.encode(cursor));
                        }
                    }
                    return out;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapIterable(l -> l);
    }
}
