package io.logflow.topology;

import static java.util.Objects.requireNonNull;

import io.logflow.model.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The production Kafka Streams configuration of LogFlow, used by the state-api and by the tests
 * alike.
 *
 * <ul>
 *   <li>{@code exactly_once_v2}, committing every 100 ms: under EOS, output becomes visible to
 *       downstream (read_committed) readers at commit, so this bounds end-to-end latency well below
 *       1 s while keeping transaction overhead small.
 *   <li>Bad records never stop a thread: {@link DeadLetterHandler} handles processing,
 *       deserialisation and production errors, logging topic/partition/offset and sending the
 *       record to {@code logflow.dlq} through KIP-1034's {@code errors.dead.letter.queue.topic.name}.
 *       Put a {@link DeadLetterListener} under {@link #DEAD_LETTER_LISTENER_CONFIG} to count them.
 *   <li>Throughput: producer batches of 128 KiB with 10 ms linger, uncompressed (lz4 cost ~20% of the
 * stream threads' CPU, and the broker validates uncompressed batches without decompressing them); the consumer fetches
 *       up to 2,000 records per poll; a 64 MiB record cache in front of the stores so repeated
 *       updates of the same key (a service's window) reach RocksDB and the changelog once per
 *       commit.
 *   <li>{@code max.task.idle.ms=-1}: every sub-topology reads one topic, so a task has one input
 *       partition and nothing to wait for. At the default 0, Kafka Streams 4.3 formats (with
 *       {@code String.format}) a "not ready" message for each task whose queue is empty, each time
 *       the stream thread looks at it: 17% of the aggregating thread's samples. A future join or
 *       merge of two topics in one sub-topology must decide its idling again.
 *   <li>Records up to {@link Topics#MAX_MESSAGE_BYTES} pass producers and internal topics.
 *   <li>{@code ensure.explicit.internal.resource.naming}: Kafka Streams enforces it only for
 *       topologies built with a {@code TopologyConfig}; {@code LogFlowTopologyTest} builds the
 *       LogFlow topology that way, so an unnamed store or internal topic fails the build.
 *   <li>One standby replica of every stateful task ({@code num.standby.replicas=1}): with two or more
 *       instances, each task's stores are kept warm on a second instance, which answers queries (flagged
 *       stale) the moment the active owner dies and takes over its task without a full restore. With one
 *       instance no standby is placed (never beside its own active), so it costs nothing there.
 *   <li>Fast restarts: a 15 s session timeout so a crashed member is replaced quickly; close with
 *       {@link #closeOptions(Duration)} so a stopping instance leaves the group at once and a
 *       restarted one is not kept waiting for the old member. (Kafka Streams 4.x has no {@code
 *       internal.leave.group.on.close} switch any more; the group membership on close is chosen by
 *       {@link CloseOptions}.)
 * </ul>
 *
 * Entries of {@code overrides} win over everything above.
 */
public final class StreamsSettings {
    /**
     * Properties key for a {@link DeadLetterListener} instance (not a string) that {@link
     * DeadLetterHandler} tells about every record it dead-letters.
     */
    public static final String DEAD_LETTER_LISTENER_CONFIG = "logflow.dead.letter.listener";

    static final int COMMIT_INTERVAL_MS = 100;
    static final long CACHE_MAX_BYTES = 64L * 1024 * 1024;

    private StreamsSettings() {}

    /**
     * @param applicationServer this instance's host:port for interactive queries, or null
     * @param overrides extra or replacing settings (any Streams, consumer.*, producer.* or topic.* key)
     */
    public static Properties build(
            String bootstrapServers,
            String applicationId,
            String applicationServer,
            Path stateDir,
            int streamThreads,
            Map<String, String> overrides) {
        requireNonNull(bootstrapServers, "bootstrapServers");
        requireNonNull(applicationId, "applicationId");
        requireNonNull(stateDir, "stateDir");
        if (streamThreads < 1) throw new IllegalArgumentException("streamThreads must be >= 1");
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        if (applicationServer != null && !applicationServer.isBlank())
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(streamThreads));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.toString(COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(CACHE_MAX_BYTES));
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");

        // bad records: log, dead-letter, continue
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DLQ.name());

        // producer: throughput
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.toString(128 * 1024));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "10");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
        p.put(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Integer.toString(Topics.MAX_MESSAGE_BYTES + 64 * 1024));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), Long.toString(64L * 1024 * 1024));

        // consumer: bigger polls, quick failure detection
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "2000");
        p.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                Integer.toString(2 * 1024 * 1024));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), "100");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "15000");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "3000");

        // internal topics (repartition, changelogs) accept what the input topics accept
        p.put(
                StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
                Integer.toString(Topics.MAX_MESSAGE_BYTES));

        if (overrides != null) p.putAll(overrides);
        return p;
    }

    /** How LogFlow closes its KafkaStreams: leave the group at once, so a restart rebalances in seconds. */
    public static CloseOptions closeOptions(Duration timeout) {
        return CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout);
    }
}
