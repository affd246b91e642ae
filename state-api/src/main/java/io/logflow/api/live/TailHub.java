package io.logflow.api.live;

import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The live tail of one instance: one plain consumer (no group, read_committed) reads every partition
 * of {@code logflow.logs} from the end and fans each record out to the connected SSE clients.
 *
 * <p>Each event's id is a position vector ({@link Positions}); a client carries its own cursor
 * vector and only ever receives, per partition, records at or after its cursor, in offset order,
 * so "resume from V" is exactly "records with offset >= V[p]": no gap, no duplicate. A resuming
 * client first catches up outside the hub — from a temporary consumer seeking to V when V is older
 * than the in-memory ring of recent records, then from the ring — at its own pace, and joins the
 * live fan-out once nothing is left between its cursor and the hub.
 *
 * <p>Live clients get a bounded buffer; one that overflows it is dropped (counted), its stream ends
 * and it may resume with its last id. Heartbeat comments keep idle connections alive and carry the
 * client's current id when filtered-out records advanced it.
 */
@Component
public class TailHub extends TopicHub {
    private static final Logger log = LoggerFactory.getLogger(TailHub.class);
    private static final int CHUNK = 256;

    private final LogFlowMetrics metrics;
    private final long heartbeatNanos;
    private final Scheduler resumes = Schedulers.newBoundedElastic(32, 100_000, "tail-resume");

    // guarded by this
    private final List<Client> live = new ArrayList<>();
    private final TailEvent[] ring;
    private final long ringMaxBytes;
    private long ringBytes;
    private long firstSeq;
    private long nextSeq;
    private long[] pos;
    private long[] basePos;
    private int partitions;

    TailHub(LogFlowProperties props, LogFlowMetrics metrics) {
        super(
                "live tail",
                Topics.LOGS_NORMALIZED.name(),
                "-tail-hub",
                props,
                new SseClients(
                        "live-tail",
                        "LOGFLOW_TAIL_MAX_CLIENTS",
                        props.tail().maxClients(),
                        props.tail().clientBuffer(),
                        metrics::tailDropped,
                        metrics::tailRefused));
        this.metrics = metrics;
        this.heartbeatNanos = props.tail().heartbeat().toNanos();
        this.ring = new TailEvent[props.tail().replayBuffer()];
        this.ringMaxBytes = props.tail().replayBufferBytes();
        metrics.tailClientsGauge(clients::connected);
    }

    /** What a client wants: service exact, level minimum, trace id exact; null = any. */
    record Filter(String service, Level minLevel, String traceId) {
        boolean matches(LogRecord r) {
            return r != null && matches(r.service(), r.level(), r.traceId());
        }

        boolean matches(TailEvent e) {
            TailEvent.Fields f = e.fields();
            return f != null && matches(f.service(), f.level(), f.traceId());
        }

        private boolean matches(String s, Level l, String t) {
            return (service == null || service.equals(s))
                    && (minLevel == null || l.compareTo(minLevel) >= 0)
                    && (traceId == null || traceId.equals(t));
        }
    }

    /** A live-tail client: its outbox, filter and cursor. */
    private final class Client {
        final SseClients.Outbox out;
        final Filter filter;
        long[] cursor;
        boolean synced; // cursor == hub position: the hub's own ids apply
        boolean skipped; // filtered-out records advanced the cursor since the last id sent
        long lastBeat = System.nanoTime();

        Client(SseClients.Outbox out, Filter filter) {
            this.out = out;
            this.filter = filter;
        }

        String id() {
            return Positions.encode(cursor);
        }

        void beat(boolean live) {
            ServerSentEvent<String> hb = skipped
                    ? ServerSentEvent.<String>builder()
                            .id(synced ? Positions.encode(pos) : id())
                            .comment("heartbeat")
                            .build()
                    : ServerSentEvent.<String>builder().comment("heartbeat").build();
            skipped = false;
            lastBeat = System.nanoTime();
            if (live) out.offer(hb);
            else out.put(hb);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    protected synchronized void started(long[] start) {
        partitions = start.length;
        pos = start;
        basePos = start.clone();
    }

    @Override
    public void stop() {
        super.stop();
        resumes.dispose();
    }

    @Override
    protected synchronized void endClients() {
        for (Client client : live) client.out.end();
        live.clear();
    }

    /** Stops before anything else (ending the SSE streams, so graceful shutdown does not wait on them). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    public synchronized String position() {
        return pos == null ? null : Positions.encode(pos);
    }

    synchronized int partitions() {
        return partitions;
    }

    // ---------------------------------------------------------------- hub loop

    /** On the reader thread: every record into the ring and out to the live clients, then due heartbeats. */
    @Override
    protected synchronized void fanOut(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> r : records) append(r);
        heartbeats();
    }

    /** Adds one record to the ring and delivers it to every live client. Holds the lock. */
    private void append(ConsumerRecord<String, byte[]> r) {
        int p = r.partition();
        pos[p] = r.offset() + 1;
        if (r.value() == null) return; // a tombstone: no log, the position still advanced
        TailEvent e = new TailEvent(p, r.offset(), r.value(), pos.clone());
        // bounded by count and by bytes: evict the oldest; resuming before them reads Kafka instead
        while (nextSeq > firstSeq && (nextSeq - firstSeq == ring.length || ringBytes + e.bytes() > ringMaxBytes)) {
            int slot = (int) (firstSeq % ring.length);
            TailEvent old = ring[slot];
            ring[slot] = null;
            ringBytes -= old.bytes();
            basePos[old.partition] = old.offset + 1;
            firstSeq++;
        }
        ring[(int) (nextSeq % ring.length)] = e;
        ringBytes += e.bytes();
        nextSeq++;
        for (int i = live.size() - 1; i >= 0; i--) {
            Client client = live.get(i);
            if (!deliverLive(client, e)) live.remove(i);
        }
    }

    private boolean deliverLive(Client c, TailEvent e) {
        if (c.out.closed()) return false;
        if (!c.synced) {
            if (e.offset < c.cursor[e.partition]) return true; // this client already had it
            c.cursor[e.partition] = e.offset + 1;
            if (Arrays.equals(c.cursor, pos)) c.synced = true;
            if (!c.filter.matches(e)) {
                c.skipped = true;
                return true;
            }
            return c.out.offer(e.sse(c.synced ? e.id() : c.id()));
        }
        if (!c.filter.matches(e)) {
            c.skipped = true;
            return true;
        }
        return c.out.offer(e.shared());
    }

    private void heartbeats() {
        long now = System.nanoTime();
        for (int i = live.size() - 1; i >= 0; i--) {
            Client c = live.get(i);
            if (c.out.closed()) {
                live.remove(i);
            } else if (now - c.lastBeat >= heartbeatNanos) {
                c.beat(true);
                if (c.out.dropped()) live.remove(i);
            }
        }
    }

    // ---------------------------------------------------------------- clients

    /**
     * A client's event stream: live from now when {@code lastEventId} is null, else everything after that position.
     *
     * @throws ApiException 503 at the client limit or before the hub runs; 400 for a malformed Last-Event-ID
     */
    Flux<ServerSentEvent<String>> subscribe(Filter filter, String lastEventId) {
        if (!ready()) throw ApiException.unavailable("the live tail is not running yet", null);
        long[] resumeFrom = Positions.fromLastEventId(lastEventId, partitions(), "position");
        Client c = new Client(clients.admit(), filter);
        Mono<Void> begin;
        if (resumeFrom == null) {
            begin = Mono.fromRunnable(() -> joinNow(c));
        } else {
            begin = Mono.fromRunnable(() -> {
                        if (!catchUp(c, resumeFrom)) c.out.end();
                    })
                    .subscribeOn(resumes)
                    .then();
        }
        Flux<ServerSentEvent<String>> body = c.out.events()
                .doOnSubscribe(s -> begin.subscribe(null, e -> {
                    log.warn("live-tail resume failed", e);
                    c.out.end();
                }));
        return c.out.stream(body, () -> {});
    }

    /**
     * A new client: an id-only event with the current position first, so even a client that saw nothing can resume
     * exactly.
     */
    private synchronized void joinNow(Client c) {
        c.cursor = pos.clone();
        c.synced = true;
        c.out.offer(ServerSentEvent.<String>builder()
                .id(Positions.encode(pos))
                .comment("connected")
                .build());
        live.add(c);
    }

    /**
     * Delivers everything from {@code from} to the hub's position, then joins the live fan-out. Runs
     * on its own thread. False when the client did not join (gone, too slow, shutting down).
     */
    private boolean catchUp(Client c, long[] from) {
        c.cursor = from.clone();
        long scan = -1;
        synchronized (this) {
            metrics.tailResumed(Positions.atOrAfter(from, basePos) ? "ring" : "kafka");
        }
        while (!c.out.closed() && isRunning()) {
            List<TailEvent> chunk = new ArrayList<>(CHUNK);
            boolean covered;
            synchronized (this) {
                covered = Positions.atOrAfter(c.cursor, basePos);
                if (covered) {
                    if (scan < firstSeq) scan = firstSeq;
                    long[] cur = c.cursor.clone();
                    while (scan < nextSeq && chunk.size() < CHUNK) {
                        TailEvent e = ring[(int) (scan % ring.length)];
                        scan++;
                        if (e.offset >= cur[e.partition]) {
                            chunk.add(e);
                            cur[e.partition] = e.offset + 1;
                        }
                    }
                    if (chunk.isEmpty()) { // caught up: join the live fan-out, atomically with the hub
                        if (!isRunning()) return false;
                        c.synced = Arrays.equals(c.cursor, pos);
                        live.add(c);
                        return true;
                    }
                }
            }
            if (!covered) {
                scan = -1;
                if (!replayFromKafka(c)) return false;
                continue;
            }
            for (TailEvent e : chunk) {
                c.cursor[e.partition] = e.offset + 1;
                if (c.filter.matches(e)) {
                    if (!c.out.put(e.sse(c.id()))) return false;
                } else {
                    c.skipped = true;
                }
            }
            if (System.nanoTime() - c.lastBeat >= heartbeatNanos) c.beat(false);
        }
        return false;
    }

    /** Reads from Kafka at the client's cursor until the ring covers it. False when the client went away. */
    private boolean replayFromKafka(Client c) {
        try (Consumer<String, byte[]> k =
                consumer("-tail-resume", "earliest", Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, CHUNK))) {
            if (seek(k, c.cursor, null, (p, resumesAt) -> c.out.put(gapComment(p, resumesAt, "records"))) == null)
                return false;
            while (!c.out.closed() && isRunning()) {
                synchronized (this) {
                    if (Positions.atOrAfter(c.cursor, basePos)) return true;
                }
                for (ConsumerRecord<String, byte[]> r : k.poll(POLL)) {
                    int p = r.partition();
                    if (r.offset() < c.cursor[p]) continue;
                    c.cursor[p] = r.offset() + 1;
                    if (c.filter.matches(TailEvent.decode(r.value(), p, r.offset()))) {
                        if (!c.out.put(ServerSentEvent.<String>builder()
                                .id(c.id())
                                .event("log")
                                .data(new String(r.value(), StandardCharsets.UTF_8))
                                .build())) return false;
                    } else {
                        c.skipped = true;
                    }
                }
                if (System.nanoTime() - c.lastBeat >= heartbeatNanos) c.beat(false);
            }
            return false;
        }
    }
}
