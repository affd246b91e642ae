package io.logflow.api;

import io.logflow.model.EcsJson;
import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

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
class TailHub implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(TailHub.class);
  private static final int CHUNK = 256;
  private static final Duration POLL = Duration.ofMillis(100);

  private final LogFlowProperties props;
  private final LogFlowMetrics metrics;
  private final int clientBuffer;
  private final long heartbeatNanos;
  private final AtomicInteger connected = new AtomicInteger();
  private final Scheduler resumes = Schedulers.newBoundedElastic(32, 100_000, "tail-resume");

  // guarded by this
  private final List<Client> clients = new ArrayList<>();
  private final Event[] ring;
  private final long ringMaxBytes;
  private long ringBytes;
  private long firstSeq;
  private long nextSeq;
  private long[] pos;
  private long[] basePos;
  private int partitions;

  private volatile Consumer<String, byte[]> consumer;
  private volatile Thread thread;
  private volatile boolean running;
  private volatile boolean ready;

  TailHub(LogFlowProperties props, LogFlowMetrics metrics) {
    this.props = props;
    this.metrics = metrics;
    this.clientBuffer = props.tail().clientBuffer();
    this.heartbeatNanos = props.tail().heartbeat().toNanos();
    this.ring = new Event[props.tail().replayBuffer()];
    this.ringMaxBytes = props.tail().replayBufferBytes();
    metrics.tailClientsGauge(connected::get);
  }

  /** What a client wants: service exact, level minimum, trace id exact; null = any. */
  record Filter(String service, Level minLevel, String traceId) {
    boolean matches(LogRecord r) {
      return matches(r.service(), r.level(), r.traceId());
    }

    boolean matches(Event e) {
      return matches(e.service, e.level, e.traceId);
    }

    private boolean matches(String s, Level l, String t) {
      return (service == null || service.equals(s))
          && (minLevel == null || l.compareTo(minLevel) >= 0)
          && (traceId == null || traceId.equals(t));
    }
  }

  /**
   * One record of logflow.logs as the hub read it: what filters look at, and the ECS document as
   * sent. {@code id} is the hub's position after it.
   */
  static final class Event {
    final int partition;
    final long offset;
    final String service;
    final Level level;
    final String traceId;
    final String data;
    final String id;
    private ServerSentEvent<String> shared;

    Event(int partition, long offset, LogRecord log, String data, String id) {
      this.partition = partition;
      this.offset = offset;
      this.service = log.service();
      this.level = log.level();
      this.traceId = log.traceId();
      this.data = data;
      this.id = id;
    }

    /** Approximate heap held by the event (Java strings: two bytes a character). */
    long bytes() {
      return 96L + 2L * (data.length() + id.length() + service.length());
    }

    ServerSentEvent<String> sse(String id) {
      return ServerSentEvent.<String>builder().id(id).event("log").data(data).build();
    }

    /** The event as sent to every client in step with the hub; built once, on the hub thread. */
    ServerSentEvent<String> shared() {
      if (shared == null) shared = sse(id);
      return shared;
    }
  }

  private final class Client {
    final Filter filter;
    final Sinks.Many<ServerSentEvent<String>> sink = Sinks.many().unicast().onBackpressureBuffer(Queues.<ServerSentEvent<String>>get(clientBuffer).get());
    final Sinks.Empty<Void> kill = Sinks.empty();
    long[] cursor;
    boolean synced; // cursor == hub position: the hub's own ids apply
    boolean skipped; // filtered-out records advanced the cursor since the last id sent
    long lastBeat = System.nanoTime();
    volatile boolean closed;
    volatile boolean dropped;

    Client(Filter filter) {
      this.filter = filter;
    }

    String id() {
      return Positions.encode(cursor);
    }

    /** Live delivery on the hub thread: never waits; a full buffer drops the client. */
    boolean offer(ServerSentEvent<String> e) {
      if (closed) return false;
      Sinks.EmitResult r = sink.tryEmitNext(e);
      if (r.isSuccess()) return true;
      if (r == Sinks.EmitResult.FAIL_OVERFLOW) drop();
      return false;
    }

    /** Catch-up delivery: waits (bounded) for the client to make room. */
    boolean put(ServerSentEvent<String> e) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!closed) {
        Sinks.EmitResult r = sink.tryEmitNext(e);
        if (r.isSuccess()) return true;
        if (r != Sinks.EmitResult.FAIL_OVERFLOW) return false;
        if (System.nanoTime() > deadline) {
          drop();
          return false;
        }
        LockSupport.parkNanos(2_000_000);
      }
      return false;
    }

    void drop() {
      if (!dropped) {
        dropped = true;
        metrics.tailDropped();
        log.info("dropping a live-tail client whose buffer of {} events overflowed", clientBuffer);
      }
      kill.tryEmitEmpty();
    }

    void beat(boolean live) {
      ServerSentEvent<String> hb = skipped
          ? ServerSentEvent.<String>builder().id(synced ? Positions.encode(pos) : id()).comment("heartbeat").build()
          : ServerSentEvent.<String>builder().comment("heartbeat").build();
      skipped = false;
      lastBeat = System.nanoTime();
      if (live) offer(hb);
      else put(hb);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void start() {
    Consumer<String, byte[]> c = consumer("-tail-hub", "latest", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    List<TopicPartition> tps = partitionsOf(c);
    c.assign(tps);
    c.seekToEnd(tps);
    long[] start = new long[tps.size()];
    for (TopicPartition tp : tps) start[tp.partition()] = c.position(tp);
    synchronized (this) {
      partitions = tps.size();
      pos = start;
      basePos = start.clone();
    }
    consumer = c;
    running = true;
    ready = true;
    thread = new Thread(this::run, "logflow-tail-hub");
    thread.setDaemon(true);
    thread.start();
    log.info("live tail reading {} partitions of {} from {}", partitions, Topics.LOGS_NORMALIZED.name(), Positions.encode(start));
  }

  private static List<TopicPartition> partitionsOf(Consumer<?, ?> c) {
    List<PartitionInfo> infos = c.partitionsFor(Topics.LOGS_NORMALIZED.name(), Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) throw new IllegalStateException("topic " + Topics.LOGS_NORMALIZED.name() + " does not exist");
    List<TopicPartition> tps = new ArrayList<>();
    for (PartitionInfo i : infos) tps.add(new TopicPartition(i.topic(), i.partition()));
    tps.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    return tps;
  }

  @Override
  public void stop() {
    running = false;
    ready = false;
    Consumer<String, byte[]> c = consumer;
    if (c != null) c.wakeup();
    synchronized (this) {
      for (Client client : clients) client.kill.tryEmitEmpty();
      clients.clear();
    }
    Thread t = thread;
    if (t != null) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    resumes.dispose();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before anything else (ending the SSE streams, so graceful shutdown does not wait on them). */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }

  int connectedClients() {
    return connected.get();
  }

  boolean ready() {
    return ready;
  }

  synchronized String position() {
    return pos == null ? null : Positions.encode(pos);
  }

  synchronized int partitions() {
    return partitions;
  }

  // ---------------------------------------------------------------- hub loop

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
          log.warn("live tail poll failed; retrying", e);
          LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
          continue;
        }
        try {
          synchronized (this) {
            for (ConsumerRecord<String, byte[]> r : records) append(r);
            heartbeats();
          }
        } catch (RuntimeException e) {
          log.error("live tail failed to fan out a record; continuing", e);
        }
      }
    } finally {
      c.close(Duration.ofSeconds(2));
    }
  }

  /** Adds one record to the ring and delivers it to every live client. Holds the lock. */
  private void append(ConsumerRecord<String, byte[]> r) {
    int p = r.partition();
    pos[p] = r.offset() + 1;
    LogRecord log = decode(r);
    if (log == null) return; // not a LogFlow document: skipped, the position still advanced
    Event e = new Event(p, r.offset(), log, new String(r.value(), StandardCharsets.UTF_8), Positions.encode(pos));
    // bounded by count and by bytes: evict the oldest; resuming before them reads Kafka instead
    while (nextSeq > firstSeq && (nextSeq - firstSeq == ring.length || ringBytes + e.bytes() > ringMaxBytes)) {
      int slot = (int) (firstSeq % ring.length);
      Event old = ring[slot];
      ring[slot] = null;
      ringBytes -= old.bytes();
      basePos[old.partition] = old.offset + 1;
      firstSeq++;
    }
    ring[(int) (nextSeq % ring.length)] = e;
    ringBytes += e.bytes();
    nextSeq++;
    for (int i = clients.size() - 1; i >= 0; i--) {
      Client client = clients.get(i);
      if (!deliverLive(client, e)) clients.remove(i);
    }
  }

  private boolean deliverLive(Client c, Event e) {
    if (c.closed) return false;
    if (!c.synced) {
      if (e.offset < c.cursor[e.partition]) return true; // this client already had it
      c.cursor[e.partition] = e.offset + 1;
      if (Arrays.equals(c.cursor, pos)) c.synced = true;
      if (!c.filter.matches(e)) {
        c.skipped = true;
        return true;
      }
      return c.offer(e.sse(c.synced ? e.id : c.id()));
    }
    if (!c.filter.matches(e)) {
      c.skipped = true;
      return true;
    }
    return c.offer(e.shared());
  }

  private void heartbeats() {
    long now = System.nanoTime();
    for (int i = clients.size() - 1; i >= 0; i--) {
      Client c = clients.get(i);
      if (c.closed) {
        clients.remove(i);
      } else if (now - c.lastBeat >= heartbeatNanos) {
        c.beat(true);
        if (c.dropped) clients.remove(i);
      }
    }
  }

  private static LogRecord decode(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) return null;
    try {
      return EcsJson.read(r.value());
    } catch (RuntimeException e) {
      log.warn("live tail skipped an unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
      return null;
    }
  }

  // ---------------------------------------------------------------- clients

  /**
   * A client's event stream: live from now when {@code lastEventId} is null, else everything after that position.
   *
   * @throws ApiException 503 at the client limit or before the hub runs; 400 for a malformed Last-Event-ID
   */
  Flux<ServerSentEvent<String>> subscribe(Filter filter, String lastEventId) {
    if (!ready) throw ApiException.unavailable("the live tail is not running yet", null);
    long[] from = null;
    if (lastEventId != null && !lastEventId.isBlank()) {
      try {
        from = Positions.decode(lastEventId, partitions());
      } catch (IllegalArgumentException e) {
        throw ApiException.badParameter("Last-Event-ID", "header 'Last-Event-ID' is not a LogFlow position: " + e.getMessage());
      }
    }
    int max = props.tail().maxClients();
    if (connected.incrementAndGet() > max) {
      connected.decrementAndGet();
      metrics.tailRefused();
      throw ApiException.unavailable("this instance already serves " + max + " live-tail clients (LOGFLOW_TAIL_MAX_CLIENTS)", Duration.ofSeconds(10));
    }
    Client c = new Client(filter);
    long[] resumeFrom = from;
    Mono<Void> begin;
    if (resumeFrom == null) {
      begin = Mono.fromRunnable(() -> joinNow(c));
    } else {
      begin = Mono.fromRunnable(() -> {
        if (!catchUp(c, resumeFrom)) c.kill.tryEmitEmpty();
      }).subscribeOn(resumes).then();
    }
    return c.sink.asFlux()
        .doOnSubscribe(s -> begin.subscribe(null, e -> {
          log.warn("live-tail resume failed", e);
          c.kill.tryEmitEmpty();
        }))
        .takeUntilOther(c.kill.asMono())
        .concatWith(Mono.fromSupplier(() -> c.dropped ? ServerSentEvent.<String>builder().comment("dropped: this client fell " + clientBuffer + " events behind; reconnect to resume").build() : null))
        .doFinally(s -> {
          c.closed = true;
          connected.decrementAndGet();
        });
  }

  /** A new client: an id-only event with the current position first, so even a client that saw nothing can resume exactly. */
  private synchronized void joinNow(Client c) {
    c.cursor = pos.clone();
    c.synced = true;
    c.offer(ServerSentEvent.<String>builder().id(Positions.encode(pos)).comment("connected").build());
    clients.add(c);
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
    while (!c.closed && running) {
      List<Event> chunk = new ArrayList<>(CHUNK);
      boolean covered;
      synchronized (this) {
        covered = Positions.atOrAfter(c.cursor, basePos);
        if (covered) {
          if (scan < firstSeq) scan = firstSeq;
          long[] cur = c.cursor.clone();
          while (scan < nextSeq && chunk.size() < CHUNK) {
            Event e = ring[(int) (scan % ring.length)];
            scan++;
            if (e.offset >= cur[e.partition]) {
              chunk.add(e);
              cur[e.partition] = e.offset + 1;
            }
          }
          if (chunk.isEmpty()) { // caught up: join the live fan-out, atomically with the hub
            if (!running) return false;
            c.synced = Arrays.equals(c.cursor, pos);
            clients.add(c);
            return true;
          }
        }
      }
      if (!covered) {
        scan = -1;
        if (!replayFromKafka(c)) return false;
        continue;
      }
      for (Event e : chunk) {
        c.cursor[e.partition] = e.offset + 1;
        if (c.filter.matches(e)) {
          if (!c.put(e.sse(c.id()))) return false;
        } else {
          c.skipped = true;
        }
      }
      if (System.nanoTime() - c.lastBeat >= heartbeatNanos) c.beat(false);
    }
    return false;
  }

  /**
   * A group-less consumer of logflow.logs that reads only committed records (the topology writes
   * exactly-once); positions are managed by the caller, never committed.
   */
  private Consumer<String, byte[]> consumer(String clientIdSuffix, String offsetReset, String extraKey, Object extraValue) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, props.kafka().bootstrapServers(),
        ConsumerConfig.CLIENT_ID_CONFIG, props.streams().applicationId() + clientIdSuffix,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset,
        extraKey, extraValue);
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Reads from Kafka at the client's cursor until the ring covers it. False when the client went away. */
  private boolean replayFromKafka(Client c) {
    try (Consumer<String, byte[]> k = consumer("-tail-resume", "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, CHUNK)) {
      List<TopicPartition> tps = partitionsOf(k);
      k.assign(tps);
      Map<TopicPartition, Long> begin = k.beginningOffsets(tps);
      Map<TopicPartition, Long> end = k.endOffsets(tps);
      for (TopicPartition tp : tps) {
        int p = tp.partition();
        if (c.cursor[p] < begin.get(tp)) {
          if (!c.put(ServerSentEvent.<String>builder().comment("gap: partition " + p + " resumes at offset " + begin.get(tp) + ", older records have expired").build())) return false;
          c.cursor[p] = begin.get(tp);
        } else if (c.cursor[p] > end.get(tp)) {
          c.cursor[p] = end.get(tp); // a position from the future (topic recreated): resume at the end
        }
        k.seek(tp, c.cursor[p]);
      }
      while (!c.closed && running) {
        synchronized (this) {
          if (Positions.atOrAfter(c.cursor, basePos)) return true;
        }
        for (ConsumerRecord<String, byte[]> r : k.poll(POLL)) {
          int p = r.partition();
          if (r.offset() < c.cursor[p]) continue;
          c.cursor[p] = r.offset() + 1;
          LogRecord log = decode(r);
          if (log != null && c.filter.matches(log)) {
            if (!c.put(ServerSentEvent.<String>builder().id(c.id()).event("log").data(new String(r.value(), StandardCharsets.UTF_8)).build())) return false;
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
