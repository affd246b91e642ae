package io.logflow.api.live;

import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.config.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.codec.ServerSentEvent;

/**
 * What the live tail and the alert stream share: one group-less, read_committed consumer per
 * instance that reads every partition of a topic from its end and hands each poll to the hub
 * ({@link #fanOut}) on its own thread; the SSE client admission ({@link SseClients}); and the
 * positioning of a resuming client's Kafka replay at its cursor ({@link #seek}). A hub's event ids
 * are position vectors ({@link Positions}, ADR 004).
 */
abstract class TopicHub implements SmartLifecycle {
    static final Duration POLL = Duration.ofMillis(100);

    /** The hub's reader answers a poll within 100 ms of a record, not the consumer's default 500 ms. */
    static final Map<String, Object> READER_CONFIG = Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String what;
    private final String topic;
    private final String clientIdSuffix;
    protected final LogFlowProperties props;
    protected final SseClients clients;

    private volatile TopicReader reader;
    private volatile boolean ready;

    /**
     * @param what the hub's name in logs and errors ("live tail")
     * @param clientIdSuffix the reader's client id suffix and thread name ("-tail-hub": thread logflow-tail-hub)
     */
    TopicHub(String what, String topic, String clientIdSuffix, LogFlowProperties props, SseClients clients) {
        this.what = what;
        this.topic = topic;
        this.clientIdSuffix = clientIdSuffix;
        this.props = props;
        this.clients = clients;
    }

    /** The hub's position when it starts reading, before any record is handed to {@link #fanOut}. */
    protected abstract void started(long[] position);

    /** On the reader thread: the records of one poll, in offset order per partition. */
    protected abstract void fanOut(ConsumerRecords<String, byte[]> records);

    /** On stop, while the reader winds down: ends every client's stream. */
    protected abstract void endClients();

    @Override
    public void start() {
        Consumer<String, byte[]> c = consumer(clientIdSuffix, "latest", READER_CONFIG);
        long[] start = TopicReader.assignAtEnd(c, topic);
        started(start);
        TopicReader r = new TopicReader(
                what, "logflow" + clientIdSuffix, c, POLL, Duration.ofSeconds(2), (k, records) -> fanOut(records));
        reader = r;
        r.start();
        ready = true;
        log.info("{} reading {} partitions of {} from {}", what, start.length, topic, Positions.encode(start));
    }

    @Override
    public void stop() {
        ready = false;
        TopicReader r = reader;
        if (r != null) r.stop(Duration.ofSeconds(5), this::endClients);
    }

    @Override
    public boolean isRunning() {
        TopicReader r = reader;
        return r != null && r.running();
    }

    /** The hub reads its topic and admits clients. */
    public boolean ready() {
        return ready;
    }

    public int connectedClients() {
        return clients.connected();
    }

    /** A group-less read_committed consumer of the topic (positions managed by the caller, never committed). */
    protected Consumer<String, byte[]> consumer(String suffix, String offsetReset, Map<String, Object> extra) {
        Map<String, Object> config = TopicReader.config(props, suffix, offsetReset);
        config.putAll(extra);
        return TopicReader.consumer(config);
    }

    /** Told of a partition whose records before {@code resumesAt} expired; false to give up. */
    @FunctionalInterface
    interface Gaps {
        boolean gap(int partition, long resumesAt);
    }

    /**
     * Assigns every partition of the topic to {@code k} and seeks each to {@code cursor[p]}, which is
     * updated: a position older than the partition's first retained record moves to that record
     * (reported to {@code gaps}), one beyond {@code limit[p]} (or, with {@code limit} null, beyond the
     * end: the topic was recreated) moves to it.
     *
     * @return the partitions, or null when {@code gaps} gave up
     */
    protected List<TopicPartition> seek(Consumer<String, byte[]> k, long[] cursor, long[] limit, Gaps gaps) {
        List<TopicPartition> tps = TopicReader.partitionsOf(k, topic);
        k.assign(tps);
        Map<TopicPartition, Long> begin = k.beginningOffsets(tps);
        Map<TopicPartition, Long> end = limit == null ? k.endOffsets(tps) : null;
        for (TopicPartition tp : tps) {
            int p = tp.partition();
            if (cursor[p] < begin.get(tp)) {
                if (!gaps.gap(p, begin.get(tp))) return null;
                cursor[p] = begin.get(tp);
            }
            cursor[p] = Math.min(cursor[p], limit == null ? end.get(tp) : limit[p]);
            k.seek(tp, cursor[p]);
        }
        return tps;
    }

    /** The comment a client gets where records expired before it could resume. */
    static ServerSentEvent<String> gapComment(int partition, long resumesAt, String expired) {
        return ServerSentEvent.<String>builder()
                .comment("gap: partition " + partition + " resumes at offset " + resumesAt + ", older " + expired
                        + " have expired")
                .build();
    }
}
