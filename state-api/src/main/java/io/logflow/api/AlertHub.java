package io.logflow.api;

import io.logflow.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

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
class AlertHub implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(AlertHub.class);
  private static final Duration POLL = Duration.ofMillis(100);
  static final int MAX_REPLAY = 10_000;

  private final LogFlowProperties props;
  private final LogFlowMetrics metrics;
  private final AtomicInteger connected = new AtomicInteger();

  // guarded by this
  private final List<Client> clients = new ArrayList<>();
  private long[] pos;

  private volatile Consumer<String, byte[]> consumer;
  private volatile Thread thread;
  private volatile boolean running;
  private volatile boolean ready;

  AlertHub(LogFlowProperties props, LogFlowMetrics metrics) {
    this.props = props;
    this.metrics = metrics;
    metrics.alertStreamGauges(connected::get);
  }

  private final class Client {
    final Sinks.Many<ServerSentEvent<String>> sink =
        Sinks.many().unicast().onBackpressureBuffer(Queues.<ServerSentEvent<String>>get(props.alerts().streamClientBuffer()).get());
    final Sinks.Empty<Void> kill = Sinks.empty();
    volatile boolean closed;
    volatile boolean dropped;

    /** On the hub thread: never waits; a full buffer drops the client. */
    boolean offer(ServerSentEvent<String> e) {
      if (closed) return false;
      Sinks.EmitResult r = sink.tryEmitNext(e);
      if (r.isSuccess()) return true;
      if (r == Sinks.EmitResult.FAIL_OVERFLOW && !dropped) {
        dropped = true;
        metrics.alertStreamDropped();
        log.info("dropping an alert-stream client whose buffer of {} events overflowed", props.alerts().streamClientBuffer());
        kill.tryEmitEmpty();
      }
      return false;
    }
  }

  static ServerSentEvent<String> event(String id, byte[] value) {
    return ServerSentEvent.<String>builder().id(id).event("alert").data(new String(value, StandardCharsets.UTF_8)).build();
  }

  // ---------------------------------------------------------------- lifecycle

  /** After StreamsRuntime (topics exist). */
  @Override
  public int getPhase() {
    return org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 250;
  }

  @Override
  public void start() {
    Consumer<String, byte[]> c = consumer("-alert-stream");
    List<TopicPartition> tps = partitionsOf(c);
    c.assign(tps);
    c.seekToEnd(tps);
    long[] start = new long[tps.size()];
    for (TopicPartition tp : tps) start[tp.partition()] = c.position(tp);
    synchronized (this) {
      pos = start;
    }
    consumer = c;
    running = true;
    ready = true;
    thread = new Thread(this::run, "logflow-alert-stream");
    thread.setDaemon(true);
    thread.start();
    log.info("alert stream reading {} partitions of {} from {}", tps.size(), Topics.ALERTS.name(), Positions.encode(start));
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
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  boolean ready() {
    return ready;
  }

  int connectedClients() {
    return connected.get();
  }

  private void run() {
    Consumer<String, byte[]> c = consumer;
    try {
      while (running) {
        try {
          var records = c.poll(POLL);
          synchronized (this) {
            for (ConsumerRecord<String, byte[]> r : records) {
              pos[r.partition()] = r.offset() + 1;
              if (r.value() == null) continue;
              ServerSentEvent<String> e = event(Positions.encode(pos), r.value());
              clients.removeIf(client -> !client.offer(e));
            }
          }
        } catch (WakeupException e) {
          break;
        } catch (RuntimeException e) {
          log.warn("alert stream poll failed; retrying", e);
          LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        }
      }
    } finally {
      c.close(Duration.ofSeconds(2));
    }
  }

  // ---------------------------------------------------------------- clients

  /**
   * A client's events: live from now, or — with {@code lastEventId} — every record after that position,
   * then live. Heartbeat comments every {@code streamHeartbeat}.
   *
   * @throws ApiException 503 at the client limit or before the hub runs; 400 for a malformed Last-Event-ID
   */
  Flux<ServerSentEvent<String>> subscribe(String lastEventId) {
    if (!ready) throw ApiException.unavailable("the alert stream is not running yet", null);
    long[] from = null;
    int partitions;
    synchronized (this) {
      partitions = pos.length;
    }
    if (lastEventId != null && !lastEventId.isBlank()) {
      try {
        from = Positions.decode(lastEventId, partitions);
      } catch (IllegalArgumentException e) {
        throw ApiException.badParameter("Last-Event-ID", "header 'Last-Event-ID' is not a LogFlow alert-stream position: " + e.getMessage());
      }
    }
    int max = props.alerts().streamMaxClients();
    if (connected.incrementAndGet() > max) {
      connected.decrementAndGet();
      throw ApiException.unavailable("this instance already serves " + max + " alert-stream clients (LOGFLOW_ALERT_STREAM_MAX_CLIENTS)", Duration.ofSeconds(10));
    }
    Client c = new Client();
    long[] joinedAt;
    synchronized (this) {
      joinedAt = pos.clone(); // live events after this point queue in the client's buffer meanwhile
      clients.add(c);
    }
    Flux<ServerSentEvent<String>> head = from == null
        ? Flux.just(ServerSentEvent.<String>builder().id(Positions.encode(joinedAt)).comment("connected").build())
        : replay(from, joinedAt);
    Duration beat = props.alerts().streamHeartbeat();
    Flux<ServerSentEvent<String>> heartbeats = Flux.interval(beat, beat).map(t -> ServerSentEvent.<String>builder().comment("heartbeat").build());
    return Flux.merge(head.concatWith(c.sink.asFlux()), heartbeats)
        .takeUntilOther(c.kill.asMono())
        .concatWith(Mono.fromSupplier(() -> c.dropped
            ? ServerSentEvent.<String>builder().comment("dropped: this client fell " + props.alerts().streamClientBuffer() + " events behind; reconnect to resume").build()
            : null))
        .doFinally(s -> {
          c.closed = true;
          synchronized (this) {
            clients.remove(c);
          }
          connected.decrementAndGet();
        });
  }

  /** The records from {@code from} (inclusive) to {@code to} (exclusive) per partition, read from Kafka, with their position ids. */
  private Flux<ServerSentEvent<String>> replay(long[] from, long[] to) {
    return Mono.fromCallable(() -> {
      List<ServerSentEvent<String>> out = new ArrayList<>();
      try (Consumer<String, byte[]> k = consumer("-alert-stream-resume")) {
        List<TopicPartition> tps = partitionsOf(k);
        k.assign(tps);
        Map<TopicPartition, Long> begin = k.beginningOffsets(tps);
        long[] cursor = from.clone();
        for (TopicPartition tp : tps) {
          int p = tp.partition();
          if (cursor[p] < begin.get(tp)) {
            out.add(ServerSentEvent.<String>builder().comment("gap: partition " + p + " resumes at offset " + begin.get(tp) + ", older alerts have expired").build());
            cursor[p] = begin.get(tp);
          }
          cursor[p] = Math.min(cursor[p], to[p]);
          k.seek(tp, cursor[p]);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!java.util.Arrays.equals(cursor, to) && out.size() < MAX_REPLAY && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, byte[]> r : k.poll(POLL)) {
            int p = r.partition();
            if (r.offset() < cursor[p] || r.offset() >= to[p]) continue;
            cursor[p] = r.offset() + 1;
            if (r.value() != null) out.add(event(Positions.encode(cursor), r.value()));
          }
          for (TopicPartition tp : tps) { // transaction markers and aborted records advance the position too
            int p = tp.partition();
            if (cursor[p] < to[p] && k.position(tp) >= to[p]) cursor[p] = to[p];
          }
        }
        if (!java.util.Arrays.equals(cursor, to)) {
          throw new IllegalStateException("replay stopped at " + Positions.encode(cursor));
        }
      }
      return out;
    }).subscribeOn(Schedulers.boundedElastic()).flatMapIterable(l -> l);
  }

  private Consumer<String, byte[]> consumer(String clientIdSuffix) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, props.kafka().bootstrapServers(),
        ConsumerConfig.CLIENT_ID_CONFIG, props.streams().applicationId() + clientIdSuffix,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitionsOf(Consumer<?, ?> c) {
    List<PartitionInfo> infos = c.partitionsFor(Topics.ALERTS.name(), Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) throw new IllegalStateException("topic " + Topics.ALERTS.name() + " does not exist");
    List<TopicPartition> tps = new ArrayList<>();
    for (PartitionInfo i : infos) tps.add(new TopicPartition(i.topic(), i.partition()));
    tps.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    return tps;
  }
}
