package io.logflow.api.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer read by one daemon thread: poll, hand the batch to a {@link Handler}, repeat until
 * {@link #stop}. A failed poll is logged and retried a second later; a failed handler is logged and
 * the loop goes on. {@link #stop} wakes the consumer up, waits for the thread, and the thread closes
 * the consumer.
 *
 * <p>The static helpers build the consumers the state-api reads topics with: read_committed (the
 * topology writes exactly-once), never auto-committing, and — for the SSE hubs — without a group,
 * assigned to every partition of one topic, positions kept by the caller.
 */
public final class TopicReader {
    private static final Logger log = LoggerFactory.getLogger(TopicReader.class);

    /** What the reader thread does with each batch; it may use the consumer (seek, commit). */
    @FunctionalInterface
    public interface Handler {
        void handle(Consumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records);
    }

    private final String label;
    private final Consumer<String, byte[]> consumer;
    private final Duration poll;
    private final Duration closeTimeout;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean running;

    /**
     * @param label names the reader in log messages ("live tail", "alert stream", ...)
     */
    public TopicReader(
            String label,
            String threadName,
            Consumer<String, byte[]> consumer,
            Duration poll,
            Duration closeTimeout,
            Handler handler) {
        this.label = label;
        this.consumer = consumer;
        this.poll = poll;
        this.closeTimeout = closeTimeout;
        this.handler = handler;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public void start() {
        running = true;
        thread.start();
    }

    /** False once {@link #stop} was called: a handler in the middle of a batch may stop early. */
    public boolean running() {
        return running;
    }

    /** Ends the loop and waits up to {@code join} for the thread (which then closes the consumer). */
    public void stop(Duration join) {
        stop(join, () -> {});
    }

    /**
     * Ends the loop: the thread leaves its poll at once; {@code meanwhile} runs (e.g. ending the
     * clients' streams) before waiting up to {@code join} for the thread, which closes the consumer.
     */
    public void stop(Duration join, Runnable meanwhile) {
        running = false;
        consumer.wakeup();
        meanwhile.run();
        try {
            thread.join(join.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(poll);
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    log.warn("{} poll failed; retrying", label, e);
                    LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                    continue;
                }
                try {
                    handler.handle(consumer, records);
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    log.error("{} failed to handle records; continuing", label, e);
                }
            }
        } finally {
            consumer.close(closeTimeout);
        }
    }

    // ---------------------------------------------------------------- consumers

    /**
     * The settings every state-api consumer shares: read_committed, no auto-commit, client id {@code
     * <application.id><clientIdSuffix>}. Mutable: callers add their own.
     */
    public static Map<String, Object> config(LogFlowProperties props, String clientIdSuffix, String offsetReset) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, props.kafka().bootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, props.streams().applicationId() + clientIdSuffix);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        return config;
    }

    public static Consumer<String, byte[]> consumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Every partition of {@code topic}, in partition order. */
    public static List<TopicPartition> partitionsOf(Consumer<?, ?> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) throw new IllegalStateException("topic " + topic + " does not exist");
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo i : infos) tps.add(new TopicPartition(i.topic(), i.partition()));
        tps.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return tps;
    }

    /** Assigns {@code c} every partition of {@code topic}, at the end; returns the position vector there. */
    public static long[] assignAtEnd(Consumer<?, ?> c, String topic) {
        List<TopicPartition> tps = partitionsOf(c, topic);
        c.assign(tps);
        c.seekToEnd(tps);
        long[] start = new long[tps.size()];
        for (TopicPartition tp : tps) start[tp.partition()] = c.position(tp);
        return start;
    }
}
